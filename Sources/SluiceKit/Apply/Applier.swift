import Foundation
import Logging
import Synchronization

/// Applies approved updates: claims through the queue, locks, decides, installs, runs the hook,
/// finishes the claim.
///
/// Every file that enters `approved/` ends in exactly one of `applied/` or `failed/`, once:
/// it is claimed by an atomic rename into `applying/` before any work (``QueueStore/claim(_:at:)``),
/// all work on a workspace happens under that workspace's lock, and each step can be redone or
/// finished by the next run after a crash at any point (``TreeInstaller/recoverStaging(_:record:)``,
/// ``ApplyDecision/finishedEarlier(_:facts:)``). What to do is decided by ``ApplyDecision``
/// without I/O; the trees are moved by ``TreeInstaller``.
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
    /// One `syncfs` for every durable step of the updates in flight at the same time (group
    /// commit): their claims, staged trees and outcomes (spec/lifecycle.md, "Durable batches").
    let flushes = FlushGroup()
    /// The after-apply hooks running at once: `git.concurrency`, however many updates are in flight.
    let hookSlots: AsyncLimiter

    /// How many updates are processed at once, at least. Most of an update's time is spent
    /// waiting for a shared flush; the more updates wait together, the fewer flushes a fan-out
    /// pays. Git processes and hooks stay within `git.concurrency` (``Git/slots``, ``hookSlots``).
    static let updatesInFlight = 64

    /// Creates an applier.
    public init(layout: RootLayout, git: Git, logger: Logger, force: Bool = false) {
        var git = git
        if git.slots == nil { git.slots = AsyncLimiter(limit: layout.config.concurrency) }
        self.layout = layout
        self.git = git
        self.logger = logger
        self.force = force
        self.trees = PreparedTrees(layout: layout, git: git)
        self.hookSlots = AsyncLimiter(limit: layout.config.concurrency)
    }

    /// The queue this applier claims from and records into.
    var store: QueueStore { QueueStore(layout: layout) }
    /// The checks, as a pure function of what was read.
    var decision: ApplyDecision { ApplyDecision(config: layout.config, force: force) }
    /// Stages, swaps, retains and prunes trees.
    var installer: TreeInstaller { TreeInstaller(layout: layout, logger: logger, now: now, flushes: flushes, syncsFolders: false) }
    /// The `apply.afterApply` command.
    var hook: AfterApplyHook { AfterApplyHook(layout: layout, logger: logger) }

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
        try layout.prepareStateFolder()
        let store = self.store
        var names: [String]
        if files.isEmpty {
            names = store.names(in: .approved)
        } else {
            names = try files.map { file throws(SluiceError) -> String in
                guard let name = store.fileName(of: file, in: .approved) else {
                    throw SluiceError.usage("\(file) is not in \(store.displayPath(.approved))/; approve it first (mv it there), then apply")
                }
                return name
            }
        }
        sweepTrees()
        // Temporary files of outcome, claim and tag writes cut short by a crash.
        for folder in [QueueFolder.applying, .applied, .failed] {
            store.sweepTemporaries(in: folder)
        }
        if let shard {
            names = names.filter { owned($0, in: .approved, by: shard) }
        }
        var claimed = store.names(in: .applying).filter { name in shard.map { owned(name, in: .applying, by: $0) } ?? true }
        var report = ApplyReport()
        var newClaims = 0
        for name in names {
            // Not synced one by one: one flush below makes every claim durable before any work.
            switch store.claim(name, at: now(), durable: false) {
            case .claimed:
                claimed.append(name)
                newClaims += 1
            case .taken: report.items.append(.init(file: name, result: "skipped", reason: "claimed by another apply"))
            case .duplicate(let reason): report.items.append(.init(file: name, result: "failed", reason: reason))
            case .unclaimable(let error): report.items.append(.init(file: name, result: "failed", reason: "cannot claim \(name): \(error)"))
            }
        }
        if newClaims > 0 {
            do {
                try await flushes.flush(filesystemOf: layout.folder(.applying))
            } catch {
                // Each update flushes again before its outcome exists; a failing disk fails them there.
                logger.warning("cannot sync the claims", metadata: ["fs.error": "\(error)"])
            }
        }
        FailPoint.hit("claims-synced")
        let counterBefore = git.counter.count("fetch")
        let work = Array(Set(claimed)).sorted()
        let done = Mutex(0)
        let items = await concurrentMap(work, limit: max(layout.config.concurrency, Self.updatesInFlight)) { name in
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
        await Notifier(layout: layout, logger: logger).notify(.apply, changes: report.items.compactMap { item in
            guard let outcome = item.outcome else { return nil }
            return .init(change: outcome.rawValue, id: item.id, workspace: item.workspace, plugin: item.plugin, verdict: item.verdict, reason: item.reason)
        })
        return report
    }

    /// Processes one claimed file under its workspace's lock; nil when someone else finished it.
    private func process(_ name: String) async -> ApplyReport.Item? {
        let store = self.store
        let record: UpdateRecord
        switch store.readClaim(name) {
        case nil: return nil
        case .failure(let problem)?: return failMalformed(name, reason: problem.reason)
        case .success(let decoded)?: record = decoded
        }
        if let problem = decision.invalidity(of: record, fileName: name, workspace: workspaceFacts(record)) {
            return failMalformed(name, reason: problem)
        }
        do {
            return try await FileLock.withLock(layout.workspaceLock(record.workspace)) { () async -> ApplyReport.Item? in
                // Re-read under the lock: the claim may have been finished, or tagged, meanwhile.
                guard case .success(var record)? = store.readClaim(name) else { return nil }
                let movedBack = record.outcome != nil
                if movedBack {
                    // An outcome file moved back into approved/ by hand: a new approval, not a claim
                    // left by a crash. Its earlier attempt and outcome are dropped.
                    record.outcome = nil
                    record.attempt = nil
                }
                if let attempt = record.attempt {
                    if store.recorded(name, attempt: attempt) {
                        // The outcome was written before a crash; only the claim is left to clear.
                        store.clearClaim(name)
                        return nil
                    }
                } else {
                    do {
                        // Made durable by the next flush, before any outcome of this attempt. A
                        // text with an outcome is rewritten without it, not tagged in place.
                        record = try store.tagAttempt(name, record: record, durable: false, inPlace: !movedBack)
                    } catch {
                        return await finish(record, fileName: name, outcome: failure("cannot tag the claim: \(error)"), verdict: nil)
                    }
                }
                // Who approved it goes into the outcome's record; under approvals.require-signed an
                // approval that is not a signed commit does not count.
                let approvals = ApprovalReader(git: git, layout: layout)
                record.approvedBy = await approvals.attribution(of: record, fileName: name)
                if let approvedBy = record.approvedBy, let refusal = approvals.refusal(of: approvedBy) {
                    return await finish(record, fileName: name, outcome: failure(refusal), verdict: nil)
                }
                return await applyLocked(record, fileName: name)
            }
        } catch {
            return await finish(record, fileName: name, outcome: failure("cannot lock the workspace: \(error)"), verdict: nil)
        }
    }

    /// What the record's workspace is, read before any other path is built from the record.
    func workspaceFacts(_ record: UpdateRecord) -> ApplyDecision.Workspace {
        let problem = layout.workspaceProblem(record.workspace)
        let hasManifest = problem == nil && Directory.isRegularFile(layout.workspacePath(record.workspace) + "/" + Manifest.fileName)
        return ApplyDecision.Workspace(problem: problem, hasManifest: hasManifest)
    }

    private func failMalformed(_ name: String, reason: String) -> ApplyReport.Item? {
        do {
            guard try store.failMalformed(name, reason: reason, at: now()) else { return nil }
        } catch {
            logger.error("cannot record a failed update", metadata: ["update.file": "\(name)", "fs.error": "\(error)"])
        }
        logger.warning("update refused", metadata: ["update.file": "\(name)", "update.reason": "\(reason)"])
        return .init(file: name, result: "failed", reason: "invalid record: \(reason)")
    }

    func failure(_ reason: String) -> Outcome {
        var outcome = Outcome(result: .failed, at: Timestamp.string(now()))
        outcome.reason = reason
        return outcome
    }

    /// Writes the record with its outcome into `applied/` or `failed/`, then clears the claim.
    func finish(_ record: UpdateRecord, fileName: String, outcome: Outcome, verdict: String?) async -> ApplyReport.Item {
        var done = record
        done.outcome = outcome
        var meta: Logger.Metadata = ["workspace.path": "\(record.workspace)", "plugin.name": "\(record.plugin)", "update.id": "\(record.id)"]
        var unrecorded: String?
        do {
            try await store.finish(done, fileName: fileName, flushes: flushes)
        } catch {
            meta["fs.error"] = "\(error)"
            logger.error("cannot record the outcome; the claim stays in applying/ for the next run", metadata: meta)
            unrecorded = "cannot record the outcome (\(error)); the claim stays in applying/: fix that, then run 'sluice apply' again, which records it"
        }
        if outcome.result == .applied {
            meta["apply.verdict"] = "\(verdict ?? "-")"
            meta["update.to"] = "\(record.to?.sha ?? "removed")"
            logger.info("update applied", metadata: meta)
        } else {
            meta["update.reason"] = "\(outcome.reason ?? "")"
            logger.warning("update failed", metadata: meta)
        }
        return .init(file: fileName, id: record.id, workspace: record.workspace, plugin: record.plugin, result: outcome.result.rawValue,
                     verdict: verdict, reason: outcome.result == .applied ? outcome.why : outcome.reason, unrecorded: unrecorded)
    }

    /// Whether the update in `folder/name` belongs to `shard` (by its workspace path).
    private func owned(_ name: String, in folder: QueueFolder, by shard: Shard) -> Bool {
        switch store.decode(name, in: folder) {
        case .success(let record): return shard.contains(record.workspace)
        case .failure: return shard.index == 1
        }
    }

    /// Removes exports and cache repositories left by a crash, and exported trees unused for a
    /// week; all are caches.
    private func sweepTrees() {
        let folder = layout.state + "/trees"
        AtomicFile.sweepTemporaries(in: folder)
        AtomicFile.sweepTemporaries(in: layout.cache)
        let cutoff = now().addingTimeInterval(-7 * 24 * 3600)
        for name in Directory.names(folder) where !name.hasPrefix(".") {
            let path = folder + "/" + name
            if let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date, modified < cutoff {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
    }
}
