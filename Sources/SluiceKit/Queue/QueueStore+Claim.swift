import Foundation
import Yams

/// Apply's side of the queue: claiming approved files, tagging a claim with its attempt, and
/// finishing it into `applied/` or `failed/`.
///
/// Every approved file ends in exactly one outcome, once: the claim is a no-replace rename into
/// `applying/`, and the outcome is written before the claim is deleted, so a crash in between
/// leaves a claim that the next run finishes (``recorded(_:attempt:)`` tells it whether the
/// outcome of that attempt is already there).
extension QueueStore {
    /// What claiming an approved file came to.
    public enum Claim: Sendable, Hashable {
        /// The file is now in `applying/`, owned by this run.
        case claimed
        /// Another run took it first (or it was moved away).
        case taken
        /// The same update is already claimed; this copy was moved to `failed/` with an outcome
        /// saying why.
        case duplicate(reason: String)
        /// The rename failed for another reason.
        case unclaimable(String)
    }

    /// Renames `approved/<name>` into `applying/<name>`; only one process can win.
    ///
    /// A copy of an update that is already in `applying/` is kept as a failure (never dropped):
    /// it is moved into `failed/` and given an outcome dated `at`, unless the claim there is a
    /// leftover of a run killed after writing its outcome (its attempt is recorded): that claim is
    /// finished (deleted) and this file claimed, so that `sluice install` run again after such a
    /// kill applies instead of failing as a duplicate of a finished update.
    ///
    /// With `durable` false the rename is not synced here: the caller makes it durable with one
    /// flush for all its claims before any work (``Applier``).
    public func claim(_ name: String, at time: Date, durable: Bool = true) -> Claim {
        let source = path(name, in: .approved)
        do {
            try checkFolder(.approved)
            try checkFolder(.applying)
            try checkFolder(.failed)
        } catch {
            return .unclaimable("\(error)")
        }
        do {
            do {
                return try AtomicFile.moveNoReplace(source, to: path(name, in: .applying), durable: durable) ? .claimed : .taken
            } catch where error.code == EEXIST && isFinishedClaim(name) {
                clearClaim(name)
                return try AtomicFile.moveNoReplace(source, to: path(name, in: .applying), durable: durable) ? .claimed : .taken
            }
        } catch where error.code == EEXIST {
            let reason = "the same update is already in \(displayPath(.applying))/; this duplicate approval was not applied"
            let target = path(uniqueName(name, in: .failed), in: .failed)
            guard (try? AtomicFile.moveNoReplace(source, to: target)) == true else { return .taken }
            if case .success(var record) = Self.decode(file: target) {
                var outcome = Outcome(result: .failed, at: Timestamp.string(time))
                outcome.reason = reason
                record.outcome = outcome
                if let data = try? Self.encode(record, folder: .failed) { try? AtomicFile.write(data, to: target) }
            }
            return .duplicate(reason: reason)
        } catch {
            return .unclaimable("\(error)")
        }
    }

    /// Reads a claim in `applying/`, with the attempt it was tagged with in place
    /// (``ClaimAttempt``) when its text names no attempt and no outcome.
    ///
    /// - Returns: nil when the claim is gone (another run finished it), else the record or why
    ///   it cannot be read.
    public func readClaim(_ name: String) -> Result<UpdateRecord, Problem>? {
        // Another run may finish this claim at any moment: a file that is gone is not an error.
        guard let file = WholeFile(path: path(name, in: .applying), attribute: ClaimAttempt.attribute) else { return nil }
        return RecordDecoding.decode(file.data).map { record in
            // A text with an attempt or an outcome was tagged by a rewrite (or moved back by
            // hand); only a clean text takes its attempt from the attribute.
            guard record.attempt == nil, record.outcome == nil, let attempt = file.attribute else { return record }
            var tagged = record
            tagged.attempt = attempt
            return tagged
        }.mapError { Problem(file: name, reason: $0.reason) }
    }

    /// Tags a claim with a fresh attempt token before any work, so that an outcome written
    /// before a crash is told apart from the outcome of an earlier approval of the same update.
    ///
    /// The tag is an extended attribute of the claim file (``ClaimAttempt``) when `inPlace` is
    /// set (the claim's text names no attempt and no outcome) and the filesystem takes it;
    /// otherwise the claim is rewritten with its `attempt`, by a temporary renamed over it.
    ///
    /// With `durable` false the tag is not synced here; it must then be made durable before the
    /// outcome of this attempt is written, which ``finish(_:fileName:flushes:)`` does (its first
    /// flush covers everything written before it).
    ///
    /// - Returns: the record as tagged.
    public func tagAttempt(_ name: String, record: UpdateRecord, durable: Bool = true, inPlace: Bool = true) throws -> UpdateRecord {
        var tagged = record
        let attempt = UUID().uuidString.lowercased()
        tagged.attempt = attempt
        try checkFolder(.applying)
        let path = path(name, in: .applying)
        if inPlace, ClaimAttempt.set(attempt, on: path, durable: durable) { return tagged }
        try AtomicFile.write(try Self.encode(tagged, folder: .applying), to: path, durable: durable)
        return tagged
    }

    /// Whether an outcome of this exact attempt is already in `applied/` or `failed/`.
    public func recorded(_ name: String, attempt: String) -> Bool {
        for folder in [QueueFolder.applied, .failed] {
            for candidate in Directory.names(layout.folder(folder)) where QueueFileName.isCopy(candidate, of: name) {
                if case .success(let done) = decode(candidate, in: folder), done.attempt == attempt {
                    return true
                }
            }
        }
        return false
    }

    /// Whether the claim `name` in `applying/` carries an attempt whose outcome is already written.
    func isFinishedClaim(_ name: String) -> Bool {
        guard case .success(let claim)? = readClaim(name), let attempt = claim.attempt else { return false }
        return recorded(name, attempt: attempt)
    }

    /// Deletes a claim whose outcome is already written.
    public func clearClaim(_ name: String) {
        unlink(path(name, in: .applying))
    }

    /// Writes `record` (with its outcome) into `applied/` or `failed/`, after the outcome's
    /// result, under a name no other file has there.
    ///
    /// - Returns: the folder and the file name it was written under.
    @discardableResult
    public func writeOutcome(_ record: UpdateRecord, fileName: String) throws -> (folder: QueueFolder, fileName: String) {
        let folder = Self.outcomeFolder(of: record)
        try checkFolder(folder)
        let name = uniqueName(fileName, in: folder)
        try AtomicFile.write(try Self.encode(record, folder: folder), to: path(name, in: folder))
        return (folder, name)
    }

    /// Where a record with its outcome goes: `applied/` after an applied outcome, else `failed/`.
    static func outcomeFolder(of record: UpdateRecord) -> QueueFolder {
        record.outcome?.result == .applied ? .applied : .failed
    }

    /// Finishes a claim with flushes shared with concurrent updates (group commit), in this
    /// order: the outcome is written as a temporary; a `syncfs` makes it durable together with
    /// everything this update wrote before (its claim, its attempt tag, its swapped tree); the
    /// temporary is renamed into `applied/` or `failed/`; a second `syncfs` makes the rename
    /// durable; only then is the claim deleted. A crash before the rename is durable leaves the
    /// claim with its attempt for the next run, which finds no outcome of that attempt and
    /// finishes it; a crash after leaves a claim whose outcome is recorded, which is cleared.
    ///
    /// - Throws: when the outcome cannot be written or a flush fails; the claim then stays for
    ///   the next run.
    func finish(_ record: UpdateRecord, fileName: String, flushes: FlushGroup) async throws {
        let folder = Self.outcomeFolder(of: record)
        try checkFolder(folder)
        let target = path(uniqueName(fileName, in: folder), in: folder)
        let temporary = try AtomicFile.writeTemporary(try Self.encode(record, folder: folder), for: target, durable: false)
        do {
            try await flushes.flush(filesystemOf: layout.folder(folder))
        } catch {
            unlink(temporary)
            throw error
        }
        FailPoint.hit("outcome-synced")
        try AtomicFile.moveIntoPlace(temporary, target)
        try await flushes.flush(filesystemOf: layout.folder(folder))
        clearClaim(fileName)
    }

    /// Moves a claim that is not a usable record into `failed/`, with a note on top saying why.
    ///
    /// Moving the file is the claim on its failure: of two runs, one moves it, the other stops.
    /// - Returns: false when another run moved it first.
    public func failMalformed(_ name: String, reason: String, at time: Date) throws -> Bool {
        try checkFolder(.failed)
        let target = path(uniqueName(name, in: .failed), in: .failed)
        guard try AtomicFile.moveNoReplace(path(name, in: .applying), to: target) else { return false }
        let original = FileManager.default.contents(atPath: target) ?? Data()
        let note = "# sluice: apply refused this file at \(Timestamp.string(time)): invalid record: \(reason)\n"
        try AtomicFile.write(Data(note.utf8) + original, to: target)
        return true
    }

    /// `name`, or `<id>.N.yaml` with the first N that is free in `folder`.
    func uniqueName(_ name: String, in folder: QueueFolder) -> String {
        var candidate = name
        var index = 1
        while FileManager.default.fileExists(atPath: path(candidate, in: folder)) {
            candidate = QueueFileName.numbered(name, index)
            index += 1
        }
        return candidate
    }
}
