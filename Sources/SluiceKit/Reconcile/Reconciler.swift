import Foundation
import Logging

/// The reconcile pass: resolve every tracked ref upstream, compare with the stamps, and keep
/// `pending/` equal to the drift. It never installs, removes or approves anything.
public struct Reconciler: Sendable {
    /// The root's layout.
    public let layout: RootLayout
    /// The git choke point.
    public let git: Git
    /// Where refs and commits come from (``GitUpstream`` over ``git`` unless a test passes another).
    public let upstream: any Upstream
    /// Where events go.
    public let logger: Logger
    /// The clock for detection times.
    public let now: @Sendable () -> Date
    /// Parsed files kept between passes (a long-running service reuses one reconciler).
    public let cache: ReconcileCache

    /// Creates a reconciler.
    ///
    /// - Parameters:
    ///   - upstream: Where refs and commits come from; nil for real git through `git`.
    ///   - watchesChanges: Whether to watch what passes read with inotify, so that an unchanged
    ///     workspace or queue folder is reused without a `stat` (`serve`; worth it only for a
    ///     reconciler that runs many passes). Only when `watch` in `sluice.yaml` is `auto`, the
    ///     root is on a local filesystem and inotify can be set up; else every pass checks by `stat`.
    public init(layout: RootLayout, git: Git, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }, upstream: (any Upstream)? = nil,
                watchesChanges: Bool = false) {
        self.init(layout: layout, git: git, logger: logger, now: now, upstream: upstream,
                  watcher: watchesChanges ? Self.makeWatcher(layout: layout, logger: logger) : nil)
    }

    /// Creates a reconciler whose read cache trusts `watcher` (tests pass one with a watch limit).
    package init(layout: RootLayout, git: Git, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }, upstream: (any Upstream)? = nil,
                 watcher: ChangeWatcher?) {
        self.layout = layout
        self.git = git
        self.upstream = upstream ?? GitUpstream(git: git, layout: layout)
        self.logger = logger
        self.now = now
        self.cache = ReconcileCache(watcher: watcher)
    }

    /// The change watcher `watch: auto` asks for, or nil (with the reason logged).
    private static func makeWatcher(layout: RootLayout, logger: Logger) -> ChangeWatcher? {
        let reason: String
        if layout.config.watch == .stat {
            reason = "watch: stat in sluice.yaml"
        } else if !ChangeWatcher.isLocalFilesystem(layout.root) {
            reason = "the root is on a network or FUSE filesystem, where inotify does not see other machines' writes"
        } else {
            do {
                let watcher = try ChangeWatcher()
                logger.info("watching for changes between passes", metadata: ["watch.mode": "inotify", "watch.root": "\(layout.root)"])
                return watcher
            } catch {
                reason = "inotify is not available: \(error)"
            }
        }
        logger.info("checking files by stat between passes", metadata: ["watch.mode": "stat", "watch.reason": "\(reason)"])
        return nil
    }

    /// Reads what a pass plans from, through this reconciler's upstream and read cache.
    public var reader: SnapshotReader {
        SnapshotReader(layout: layout, upstream: upstream, cache: cache)
    }

    /// Which workspaces and sources a pass covers.
    public struct Scope: Sendable {
        /// Only subscriptions to these sources (a webhook's repository), or all when nil.
        public var sources: Set<String>?
        /// Only the workspaces of this shard, or all when nil.
        public var shard: Shard?
        /// Only the workspaces whose path matches this `fnmatch` pattern, or all when nil.
        public var workspaces: String?
        /// Sources left out of this pass (`serve`'s backoff): not listed, and their subscriptions
        /// and pending files left as they are, exactly as outside a `sources` scope.
        public var skip: Set<String> = []

        /// Everything.
        public static let all = Scope()

        /// Creates a scope.
        public init(sources: Set<String>? = nil, shard: Shard? = nil, workspaces: String? = nil, skip: Set<String> = []) {
            self.sources = sources
            self.shard = shard
            self.workspaces = workspaces
            self.skip = skip
        }

        /// Whether a subscription is resolved upstream in a pass of this scope.
        public func resolves(_ entry: PluginEntry) -> Bool {
            entry.track != .none && !entry.hold && (sources.map { $0.contains(entry.source) } ?? true) && !skip.contains(entry.source)
        }

        /// Whether the workspace at `path` is in this scope (its shard and pattern).
        public func contains(workspace path: String) -> Bool {
            (shard?.contains(path) ?? true) && (workspaces.map { fnmatch($0, path, 0) == 0 } ?? true)
        }
    }

    /// Runs one pass.
    ///
    /// One bad workspace or unreachable source never stops the others; each failure is in the
    /// report. Each distinct source is listed with `git ls-remote` once, however many
    /// workspaces subscribe to it.
    public func run(scope: Scope = .all) async throws -> ReconcileReport {
        try await reconcile(scope: scope).report
    }

    /// Runs one pass and also returns what it read, with `pending/` read again after the pass,
    /// so that `serve` can count subscriptions by state without listing any source twice.
    ///
    /// - Throws: ``SluiceError/queueUnusable(_:_:)`` when the queue folders cannot be created.
    public func pass(scope: Scope = .all) async throws -> (report: ReconcileReport, snapshot: Snapshot) {
        var (report, snapshot) = try await reconcile(scope: scope)
        // The pass's own writes are events: take them, so that pending/ is read again.
        cache.refresh()
        let store = QueueStore(layout: layout)
        let workers = QueueStore.readWorkers
        if let watcher = cache.watcher {
            snapshot.pending = await cache.listings.read(.pending, store: store, cache: cache.queue, watcher: watcher, workers: workers).entries
        } else {
            snapshot.pending = await store.read(.pending, cache: cache.queue, workers: workers).entries
        }
        return (report, snapshot)
    }

    private func reconcile(scope: Scope) async throws -> (report: ReconcileReport, snapshot: Snapshot) {
        let started = ContinuousClock.now
        var report = ReconcileReport()
        do {
            try layout.createQueueFolders()
        } catch {
            throw SluiceError.queueUnusable(layout.queue, "\(error)")
        }
        let store = QueueStore(layout: layout)
        // Temporaries are left by a writer that died: they go when pending/ is listed to be read
        // (with pending/ watched and quiet since its last listing, which swept it, none appeared).
        let snapshot = await reader.read(scope: scope, now: now(), recordsSightings: true, sweepsPending: true)
        if let failure = cache.watcher?.takeFailure() {
            logger.info("some folders are not watched; what is read from them is checked by stat every pass", metadata: ["watch.problem": "\(failure)"])
        }
        if let problem = snapshot.stateProblem {
            logger.warning("first sightings not recorded", metadata: ["state.problem": "\(problem)"])
        }
        report.workspaces = snapshot.workspaces.count
        report.sources = snapshot.refs.count
        report.queueProblems = snapshot.queueProblems.map(\.description)
        for problem in report.queueProblems {
            logger.warning("queue file unreadable", metadata: ["queue.problem": "\(problem)"])
        }
        for (source, result) in snapshot.refs.sorted(by: { $0.key < $1.key }) {
            if case .failure(let error) = result {
                report.sourceFailures.append(.init(source: source, reason: error.description, subscribers: snapshot.subscribers[source] ?? 0))
                logger.warning("source unreachable", metadata: ["git.url": "\(source)", "git.error": "\(error)"])
            }
        }
        let pendingByWorkspace = Dictionary(grouping: snapshot.pending, by: \.record.workspace)
        let context = PlanContext(
            scope: scope, pendingByWorkspace: pendingByWorkspace,
            approvedByWorkspace: Dictionary(grouping: snapshot.approved, by: \.record.workspace),
            rejections: Set(snapshot.rejected.map { RejectionKey(workspace: $0.record.workspace, plugin: $0.record.plugin, sha: $0.record.to?.sha) }),
            timestamp: Timestamp.string(now()))
        var changes: [NotificationPayload.Change] = []
        report.phases = snapshot.phases
        let writer = PendingWriter(store: store)
        let planning = ContinuousClock.now
        let plans = await planWorkspaces(snapshot, context: context, workers: WorkspaceState.readWorkers)
        report.phases.plan = planning.secondsElapsed

        for (workspace, planned) in zip(snapshot.workspaces, plans) {
            guard let actions = planned, case .success(let manifest) = workspace.manifest else {
                if case .failure(let error) = workspace.manifest {
                    report.workspaceFailures.append(.init(workspace: workspace.path, diagnostics: error.diagnostics))
                    logger.warning("workspace manifest invalid", metadata: ["workspace.path": "\(workspace.path)", "manifest.errors": "\(error.diagnostics.count)"])
                }
                continue
            }
            let resolutions = snapshot.resolutions[workspace.path] ?? [:]
            report.subscriptions += resolutions.count
            let writing = ContinuousClock.now
            // A subscription of an unreachable source is already counted once, as the source's failure.
            let unreachable = report.sourceFailures.isEmpty ? [] : Set(manifest.plugins.filter { if case .failure? = snapshot.refs[$0.source] { return true } else { return false } }.map(\.name))
            // Actions are settled in plan order: once one workspace's records wait for the batch,
            // the workspaces after it wait too.
            if Self.writes(actions) || !writer.isEmpty {
                writer.hold(actions, workspace: workspace.path, unreachable: unreachable, pending: pendingByWorkspace[workspace.path] ?? [])
                if writer.isFull { settle(writer, store: store, report: &report, changes: &changes) }
            } else {
                execute(actions, workspace: workspace.path, unreachable: unreachable, pending: pendingByWorkspace[workspace.path] ?? [], outcomes: [],
                        store: store, report: &report, changes: &changes)
            }
            report.inSync += resolutions.keys.count { plugin in !actions.contains { $0.plugin == plugin } }
            report.phases.write += writing.secondsElapsed
        }
        let writing = ContinuousClock.now
        settle(writer, store: store, report: &report, changes: &changes)
        if scope.sources == nil {
            withdrawOrphans(snapshot: snapshot, scope: scope, store: store, report: &report, changes: &changes)
        }
        report.soaking = SoakingTarget.list(in: snapshot)
        if scope.sources == nil, scope.skip.isEmpty {
            do {
                try SoakingTarget.record(report.soaking, covering: Set(snapshot.workspaces.map(\.path)), state: layout.state)
            } catch {
                logger.warning("soaking targets not recorded", metadata: ["state.problem": "\(error)"])
            }
        }
        report.phases.write += writing.secondsElapsed
        report.seconds = started.secondsElapsed
        report.phases.other = max(0, report.seconds - report.phases.named.dropLast().reduce(0) { $0 + $1.seconds })
        logger.info("reconcile pass done", metadata: [
            "pass.workspaces": "\(report.workspaces)", "pass.queued": "\(report.queued.count)",
            "pass.replaced": "\(report.replaced.count)", "pass.withdrawn": "\(report.withdrawn.count)",
            "pass.failed": "\(report.workspaceFailures.count + report.sourceFailures.count + report.subscriptionFailures.count)",
            "pass.seconds": "\(String(format: "%.3f", report.seconds))",
        ])
        await Notifier(layout: layout, logger: logger).notify(.queue, changes: changes)
        return (report, snapshot)
    }

    /// Commits the writer's batch, then settles the held actions in order.
    private func settle(_ writer: PendingWriter, store: QueueStore, report: inout ReconcileReport, changes: inout [NotificationPayload.Change]) {
        writer.settle { held, outcomes in
            execute(held.actions, workspace: held.workspace, unreachable: held.unreachable, pending: held.pending, outcomes: outcomes,
                    store: store, report: &report, changes: &changes)
        }
    }

    /// Reports and logs a workspace's actions, removes replaced and withdrawn files.
    ///
    /// - Parameter outcomes: per `.queue` action, in order, whether its record is in place and durable
    ///   (``PendingWriter``); the files it replaces are removed only then.
    private func execute(_ actions: [PlanAction], workspace: String, unreachable: Set<String>, pending: [QueueEntry],
                         outcomes: [Result<Void, any Error>], store: QueueStore,
                         report: inout ReconcileReport, changes: inout [NotificationPayload.Change]) {
        var written = outcomes.makeIterator()
        for action in actions {
            switch action {
            case .queue(let record, let replacing):
                var meta: Logger.Metadata = [
                    "workspace.path": "\(workspace)", "plugin.name": "\(record.plugin)", "update.id": "\(record.id)",
                    "update.kind": "\(record.kind.rawValue)", "update.from": "\(record.from?.logValue ?? "none")", "update.to": "\(record.to?.logValue ?? "none")",
                ]
                do {
                    try (written.next() ?? .failure(FileSystemError(operation: "write", path: store.path(record.fileName, in: .pending), errno: EIO))).get()
                    for old in replacing where old != record.fileName { try store.remove(old, from: .pending) }
                    changes.append(.init(replacing.isEmpty ? "queued" : "replaced", record: record))
                    if replacing.isEmpty {
                        report.queued.append(record.id)
                        logger.info("update queued", metadata: meta)
                    } else {
                        report.replaced.append(record.id)
                        meta["update.replaced"] = "\(replacing.joined(separator: ","))"
                        logger.info("pending update replaced", metadata: meta)
                    }
                    if let warning = record.warning { logger.warning("update needs attention", metadata: meta.merging(["update.warning": "\(warning)"]) { $1 }) }
                } catch {
                    report.subscriptionFailures.append(.init(workspace: workspace, plugin: record.plugin, reason: "cannot write the pending file: \(error)"))
                }
            case .keep:
                report.unchanged += 1
            case .withdraw(let plugin, let fileName, let reason):
                do {
                    try store.remove(fileName, from: .pending)
                    report.withdrawn.append(fileName)
                    if let entry = pending.first(where: { $0.fileName == fileName }) {
                        changes.append(.init("withdrawn", record: entry.record, reason: reason))
                    } else {
                        changes.append(.init(change: "withdrawn", id: nil, workspace: workspace, plugin: plugin, reason: reason))
                    }
                    logger.info("pending update withdrawn", metadata: ["workspace.path": "\(workspace)", "plugin.name": "\(plugin)", "update.file": "\(fileName)", "update.reason": "\(reason)"])
                } catch {
                    report.subscriptionFailures.append(.init(workspace: workspace, plugin: plugin, reason: "cannot withdraw \(fileName): \(error)"))
                }
            case .suppressed(let plugin, let reason):
                report.suppressed += 1
                logger.debug("drift not queued", metadata: ["workspace.path": "\(workspace)", "plugin.name": "\(plugin)", "update.reason": "\(reason)"])
            case .failed(let plugin, let reason):
                if !unreachable.contains(plugin) {
                    report.subscriptionFailures.append(.init(workspace: workspace, plugin: plugin, reason: reason))
                }
                logger.warning("subscription not resolved", metadata: ["workspace.path": "\(workspace)", "plugin.name": "\(plugin)", "update.reason": "\(reason)"])
            }
        }
    }

    /// Withdraws pending files of workspaces that no longer exist or are no longer discovered
    /// (removed, excluded, moved deeper than `maxDepth`): nobody could apply them.
    private func withdrawOrphans(snapshot: Snapshot, scope: Scope, store: QueueStore, report: inout ReconcileReport,
                                 changes: inout [NotificationPayload.Change]) {
        let known = Set(snapshot.workspaces.map(\.path))
        for entry in snapshot.pending where !known.contains(entry.record.workspace) {
            if !scope.contains(workspace: entry.record.workspace) { continue }
            do {
                try store.remove(entry.fileName, from: .pending)
                report.withdrawn.append(entry.fileName)
                changes.append(.init("withdrawn", record: entry.record, reason: "the workspace no longer exists or is not discovered"))
                logger.info("pending update withdrawn", metadata: [
                    "workspace.path": "\(entry.record.workspace)", "plugin.name": "\(entry.record.plugin)",
                    "update.file": "\(entry.fileName)", "update.reason": "the workspace no longer exists or is not discovered",
                ])
            } catch {
                report.subscriptionFailures.append(.init(workspace: entry.record.workspace, plugin: entry.record.plugin, reason: "cannot withdraw \(entry.fileName): \(error)"))
            }
        }
    }

}
