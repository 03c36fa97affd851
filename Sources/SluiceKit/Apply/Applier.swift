import Foundation
import Logging
import Synchronization
import Yams

/// Applies approved updates: claim, check, fetch, stage, classify, swap, retain, record.
///
/// Every file that enters `approved/` ends in exactly one of `applied/` or `failed/`, once:
/// it is claimed by an atomic rename into `applying/` before any work, all work on a workspace
/// happens under that workspace's lock, and each step can be redone or finished by the next run
/// after a crash at any point (see ``Applier/recover(_:record:)``).
public struct Applier: Sendable {
    /// The root's layout.
    public let layout: RootLayout
    /// The git choke point.
    public let git: Git
    /// Where events go.
    public let logger: Logger
    /// Install over a live tree that was modified locally, keeping the edited tree retained.
    public var force = false
    /// The clock for outcome times and retained tree names.
    public var now: @Sendable () -> Date = { Date() }
    /// Only updates of this share of the workspaces are applied; the others are left for the
    /// instances that own them. Files that cannot be read belong to shard 1.
    public var shard: Shard?
    /// Called after each update with (done, total), for a progress line.
    public var progress: (@Sendable (Int, Int) -> Void)?

    let trees: PreparedTrees

    /// Creates an applier.
    public init(layout: RootLayout, git: Git, logger: Logger, force: Bool = false) {
        self.layout = layout
        self.git = git
        self.logger = logger
        self.force = force
        self.trees = PreparedTrees(layout: layout, git: git)
    }

    /// Applies the approved files named in `files` (names or paths inside `approved/`), or all of them.
    ///
    /// Files left in `applying/` by a crashed run are finished first.
    /// - Throws: ``SluiceError`` when the queue cannot be used or a named file is not approved.
    public func run(files: [String] = []) async throws -> ApplyReport {
        do {
            try layout.createQueueFolders()
        } catch {
            throw SluiceError.queueUnusable(layout.queue, "\(error)")
        }
        let approved = layout.folder(.approved)
        var names: [String]
        if files.isEmpty {
            names = listYAML(approved)
        } else {
            names = try files.map { file throws(SluiceError) -> String in
                let name = (file as NSString).lastPathComponent
                let folder = file.contains("/") ? Paths.absolute((file as NSString).deletingLastPathComponent) : approved
                guard folder == approved, FileManager.default.fileExists(atPath: approved + "/" + name) else {
                    throw SluiceError.usage("\(file) is not in \(layout.config.queue)/approved/; approve it first (mv it there), then apply")
                }
                return name
            }
        }
        sweepTrees()
        if let shard {
            names = names.filter { owned($0, in: .approved, by: shard) }
        }
        var claimed = listYAML(layout.folder(.applying)).filter { name in shard.map { owned(name, in: .applying, by: $0) } ?? true }
        var report = ApplyReport()
        for name in names {
            switch claim(name) {
            case .claimed: claimed.append(name)
            case .taken: report.items.append(.init(file: name, result: "skipped", reason: "claimed by another apply"))
            case .failed(let item): report.items.append(item)
            }
        }
        let counterBefore = git.counter.count("fetch")
        let work = Array(Set(claimed)).sorted()
        let done = Mutex(0)
        let items = await concurrentMap(work, limit: layout.config.concurrency) { name in
            let item = await self.process(name)
            let count = done.withLock { value in
                value += 1
                return value
            }
            self.progress?(count, work.count)
            return item
        }
        report.items += items.compactMap { $0 }
        report.fetches = git.counter.count("fetch") - counterBefore
        return report
    }

    private enum Claim {
        case claimed, taken
        case failed(ApplyReport.Item)
    }

    /// Renames `approved/<name>` into `applying/<name>`; only one process can win.
    private func claim(_ name: String) -> Claim {
        let source = layout.folder(.approved) + "/" + name
        let destination = layout.folder(.applying) + "/" + name
        do {
            return try AtomicFile.moveNoReplace(source, to: destination) ? .claimed : .taken
        } catch where error.code == EEXIST {
            // The same update is already being applied; keep this copy as a failure, never drop it.
            let reason = "the same update is already in \(layout.config.queue)/applying/; this duplicate approval was not applied"
            let target = layout.folder(.failed) + "/" + uniqueName(name, in: .failed)
            guard (try? AtomicFile.moveNoReplace(source, to: target)) == true else { return .taken }
            if case .success(var record) = QueueStore.decode(file: target) {
                record.outcome = failure(reason)
                if let data = try? QueueStore.encode(record, folder: .failed) { try? AtomicFile.write(data, to: target) }
            }
            return .failed(.init(file: name, result: "failed", reason: reason))
        } catch {
            return .failed(.init(file: name, result: "failed", reason: "cannot claim \(name): \(error)"))
        }
    }

    /// Processes one claimed file under its workspace's lock; nil when someone else finished it.
    private func process(_ name: String) async -> ApplyReport.Item? {
        let path = layout.folder(.applying) + "/" + name
        // Another run may finish this claim at any moment: a file that is gone is not an error.
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let record: UpdateRecord
        do {
            record = try YAMLDecoder().decode(UpdateRecord.self, from: data)
        } catch {
            return failMalformed(name, reason: DecodingProblem.describe(error))
        }
        if let problem = invalidity(of: record, fileName: name) {
            return failMalformed(name, reason: problem)
        }
        let lock = workspaceLock(record.workspace)
        do {
            return try await FileLock.withLock(lock) { () async -> ApplyReport.Item? in
                // Re-read under the lock: the claim may have been finished, or tagged, meanwhile.
                guard let data = FileManager.default.contents(atPath: path), var record = try? YAMLDecoder().decode(UpdateRecord.self, from: data) else {
                    return nil
                }
                if record.outcome != nil {
                    // An outcome file moved back into approved/ by hand: a new approval, not a claim
                    // left by a crash. Its earlier attempt and outcome are dropped.
                    record.outcome = nil
                    record.attempt = nil
                }
                if let attempt = record.attempt {
                    if recorded(name, attempt: attempt) {
                        // The outcome was written before a crash; only the claim is left to clear.
                        unlink(path)
                        return nil
                    }
                } else {
                    // Tag this attempt before any work, so that an outcome written before a crash is
                    // told apart from the outcome of an earlier approval of the same update.
                    record.attempt = UUID().uuidString.lowercased()
                    do {
                        try AtomicFile.write(try QueueStore.encode(record, folder: .applying), to: path)
                    } catch {
                        return finish(record, fileName: name, outcome: failure("cannot tag the claim: \(error)"), verdict: nil)
                    }
                }
                return await applyLocked(record, fileName: name)
            }
        } catch {
            return finish(record, fileName: name, outcome: failure("cannot lock the workspace: \(error)"), verdict: nil)
        }
    }

    /// Checks a record from an untrusted file before any path is built from it.
    func invalidity(of record: UpdateRecord, fileName: String) -> String? {
        guard record.format == 1 else { return "format \(record.format) is not known to this sluice (it writes format 1)" }
        if let problem = layout.workspaceProblem(record.workspace) { return problem }
        guard Directory.isRegularFile(layout.workspacePath(record.workspace) + "/" + Manifest.fileName) else {
            return "'\(record.workspace)' holds no plugins.yaml; it is not a workspace"
        }
        if let problem = PluginName.problem(with: record.plugin) { return "invalid plugin name '\(record.plugin)': \(problem)" }
        if let to = record.to, !ObjectID.isFull(to.sha) { return "to.sha '\(to.sha)' is not a full lowercase commit id" }
        if record.to == nil, record.kind != .remove { return "to is missing; only a remove has no target" }
        if record.to != nil, record.kind == .remove { return "a remove has no target, but this record has one" }
        if record.kind == .rollback { return "a rollback record is written by 'sluice rollback' and is never applied" }
        if let subpath = record.subpath, let problem = Manifest.subpathProblem(subpath) { return "subpath \(problem)" }
        do {
            _ = try layout.config.sources.check(record.source)
        } catch {
            return "source: \(error.message)"
        }
        let expected = UpdateRecord.makeID(workspace: record.workspace, plugin: record.plugin, targetSHA: record.to?.sha)
        guard record.id == expected, fileName == expected + ".yaml" else {
            return "the file name and id do not match its workspace, plugin and target (expected \(expected).yaml); approve the file sluice wrote, unedited"
        }
        return nil
    }

    /// Whether an outcome of this exact attempt is already in `applied/` or `failed/`.
    private func recorded(_ name: String, attempt: String) -> Bool {
        let stem = (name as NSString).deletingPathExtension
        for folder in [QueueFolder.applied, .failed] {
            for candidate in Directory.names(layout.folder(folder)) where candidate == name || candidate.hasPrefix(stem + ".") {
                if case .success(let done) = QueueStore.decode(file: layout.folder(folder) + "/" + candidate), done.attempt == attempt {
                    return true
                }
            }
        }
        return false
    }

    private func failMalformed(_ name: String, reason: String) -> ApplyReport.Item? {
        let path = layout.folder(.applying) + "/" + name
        let target = layout.folder(.failed) + "/" + uniqueName(name, in: .failed)
        // Moving the file is the claim on its failure: of two runs, one moves it, the other stops.
        do {
            guard try AtomicFile.moveNoReplace(path, to: target) else { return nil }
            let original = FileManager.default.contents(atPath: target) ?? Data()
            let note = "# sluice: apply refused this file at \(Timestamp.string(now())): invalid record: \(reason)\n"
            try AtomicFile.write(Data(note.utf8) + original, to: target)
        } catch {
            logger.error("cannot record a failed update", metadata: ["update.file": "\(name)", "fs.error": "\(error)"])
        }
        logger.warning("update refused", metadata: ["update.file": "\(name)", "update.reason": "\(reason)"])
        return .init(file: name, result: "failed", reason: "invalid record: \(reason)")
    }

    func uniqueName(_ name: String, in folder: QueueFolder) -> String {
        var candidate = name
        var index = 1
        while FileManager.default.fileExists(atPath: layout.folder(folder) + "/" + candidate) {
            candidate = (name as NSString).deletingPathExtension + ".\(index).yaml"
            index += 1
        }
        return candidate
    }

    func failure(_ reason: String) -> Outcome {
        var outcome = Outcome(result: "failed", at: Timestamp.string(now()))
        outcome.reason = reason
        return outcome
    }

    /// Writes the record with its outcome into `applied/` or `failed/`, then clears the claim.
    func finish(_ record: UpdateRecord, fileName: String, outcome: Outcome, verdict: String?) -> ApplyReport.Item {
        var done = record
        done.outcome = outcome
        let folder: QueueFolder = outcome.result == "applied" ? .applied : .failed
        let target = uniqueName(fileName, in: folder)
        var meta: Logger.Metadata = ["workspace.path": "\(record.workspace)", "plugin.name": "\(record.plugin)", "update.id": "\(record.id)"]
        do {
            try AtomicFile.write(try QueueStore.encode(done, folder: folder), to: layout.folder(folder) + "/" + target)
            unlink(layout.folder(.applying) + "/" + fileName)
        } catch {
            meta["fs.error"] = "\(error)"
            logger.error("cannot record the outcome; the claim stays in applying/ for the next run", metadata: meta)
        }
        if folder == .applied {
            meta["apply.verdict"] = "\(verdict ?? "-")"
            meta["update.to"] = "\(record.to?.sha ?? "removed")"
            logger.info("update applied", metadata: meta)
        } else {
            meta["update.reason"] = "\(outcome.reason ?? "")"
            logger.warning("update failed", metadata: meta)
        }
        return .init(file: fileName, id: record.id, workspace: record.workspace, plugin: record.plugin, result: outcome.result,
                     verdict: verdict, reason: outcome.result == "applied" ? outcome.why : outcome.reason)
    }

    /// Whether the update in `folder/name` belongs to `shard` (by its workspace path).
    private func owned(_ name: String, in folder: QueueFolder, by shard: Shard) -> Bool {
        switch QueueStore.decode(file: layout.folder(folder) + "/" + name) {
        case .success(let record): return shard.contains(record.workspace)
        case .failure: return shard.index == 1
        }
    }

    /// Removes exports left by a crash and exported trees unused for a week; both are caches.
    private func sweepTrees() {
        let folder = layout.state + "/trees"
        AtomicFile.sweepTemporaries(in: folder)
        let cutoff = now().addingTimeInterval(-7 * 24 * 3600)
        for name in Directory.names(folder) where !name.hasPrefix(".") {
            let path = folder + "/" + name
            if let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date, modified < cutoff {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
    }

    private func listYAML(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yaml") && !$0.hasPrefix(".") }.sorted()
    }
}
