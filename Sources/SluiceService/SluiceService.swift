import Foundation
import Logging
import ServiceLifecycle
import SluiceKit

/// `sluice serve`'s work: reconcile passes on a schedule and on webhooks, and approvals applied
/// as they appear. A ServiceLifecycle `Service`; the HTTP side is separate (``ServiceRoutes``).
///
/// One loop runs every pass, so two passes never overlap: a full pass at start, then every
/// `interval` (± jitter) after the previous one ended, and scoped passes for the sources that
/// webhooks name, fed to the loop through an `AsyncStream` (see ``PassSchedule``). Sources that
/// keep failing back off (see ``SourceBackoff``). A second loop polls `approved/` every second
/// and applies what it finds through the same code as `sluice apply`.
///
/// On graceful shutdown a pass in flight is cancelled (its git processes are stopped; every file
/// it writes is written atomically, so nothing is left half-written and the next start redoes
/// the pass), while an apply in flight finishes the update it is on. `run()` may be called once.
public struct SluiceService: Service {
    /// The root's layout.
    public let layout: RootLayout
    /// The git choke point.
    public let git: Git
    /// Where events go.
    public let logger: Logger
    /// How it runs.
    public let configuration: ServeConfiguration
    /// The one reconciler, reused so that its read cache spans passes.
    public let reconciler: Reconciler
    /// What the loop publishes.
    public let state: ServiceState
    /// The metrics `/metrics` renders.
    public let metrics: ServiceMetrics
    /// The service's time.
    public let clock: ServiceClock

    let lane = ApplyLane()
    /// The read cache of subscription recounts, apart from the reconciler's so that its plan
    /// cache only ever sees what passes listed.
    private let recountCache = ReconcileCache()
    private let events: AsyncStream<Event>
    private let continuation: AsyncStream<Event>.Continuation

    enum Event: Sendable {
        case sources(Set<String>)
        case wake
    }

    /// Creates the service.
    ///
    /// - Parameters:
    ///   - layout: The root.
    ///   - git: The git choke point (its counter counts the service's git processes).
    ///   - logger: Where events go.
    ///   - configuration: Interval, listener, secrets.
    ///   - clock: The clock the loops sleep on; tests pass a manual one.
    public init(layout: RootLayout, git: Git, logger: Logger, configuration: ServeConfiguration, clock: any Clock<Duration> = ContinuousClock()) {
        self.layout = layout
        self.git = git
        self.logger = logger
        self.configuration = configuration
        self.reconciler = Reconciler(layout: layout, git: git, logger: logger, watchesChanges: true)
        self.clock = ServiceClock(any: clock)
        self.state = ServiceState(backoff: SourceBackoff(
            interval: configuration.interval, cap: configuration.backoffCap, slack: configuration.interval * min(max(configuration.jitter, 0), 0.5)))
        self.metrics = ServiceMetrics()
        (events, continuation) = AsyncStream.makeStream(of: Event.self)
    }

    /// Runs both loops until a graceful shutdown or cancellation.
    public func run() async throws {
        logger.info("serve started", metadata: [
            "serve.root": "\(layout.root)", "serve.interval": "\(configuration.interval.seconds)", "serve.apply": "\(configuration.apply)",
        ])
        writeStatus()
        await withDiscardingTaskGroup { group in
            group.addTask { await self.passLoop() }
            if configuration.apply {
                group.addTask { await self.approvalLoop() }
            }
        }
        logger.info("serve stopped", metadata: ["serve.passes": "\(state.passes)"])
    }

    /// Asks for a pass over `sources` (a webhook's repository); returns at once.
    public func trigger(sources: Set<String>) {
        guard !sources.isEmpty else { return }
        continuation.yield(.sources(sources))
    }

    /// The sources that tracked, not held subscriptions name, read from the manifests (no git).
    public func subscribedSources() -> Set<String> {
        // Under --git a push to the root's own repository triggers a pass too, which pulls first.
        var sources: Set<String> = rootRemoteURL.map { [$0] } ?? []
        for path in WorkspaceDiscovery.find(in: layout) {
            guard case .success(let manifest) = WorkspaceState.read(path, layout: layout, cache: reconciler.cache.workspaces).manifest else { continue }
            for entry in manifest.plugins where entry.track != .none && !entry.hold {
                sources.insert(entry.source)
            }
        }
        return sources
    }

    // MARK: - Passes

    private func passLoop() async {
        var schedule = PassSchedule(interval: configuration.interval, jitter: configuration.jitter, debounce: configuration.debounce)
        var backoff = state.backoff
        var iterator = events.makeAsyncIterator()
        let continuation = self.continuation
        let clock = self.clock
        await withGracefulShutdownHandler {
            while !Task.isCancelled, !Task.isShuttingDownGracefully {
                if let action = schedule.take(at: clock.now) {
                    let (end, soakEnds) = await pass(action, backoff: &backoff)
                    if case .full = action {
                        // A target that ends its soak before the next interval gets a pass of its own.
                        let untilSoak = soakEnds.map { Duration.seconds(max(0, $0.timeIntervalSinceNow.rounded(.up)) + 1) }
                        schedule.fullPassEnded(at: end, random: Double.random(in: 0...1), soakEndsIn: untilSoak)
                    }
                    continue
                }
                // Wait for the schedule's next time or a webhook, whichever comes first. The
                // sleeper wakes the loop through the same stream, so the iterator never leaves
                // this task; a stale wake only makes the loop look at the schedule again.
                let wake = schedule.wake
                let event: Event? = await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        do {
                            try await clock.sleep(until: wake)
                            continuation.yield(.wake)
                        } catch {}
                    }
                    let event = await iterator.next()
                    group.cancelAll()
                    return event
                }
                guard let event else { break }
                if case .sources(let sources) = event { schedule.request(sources) }
            }
        } onGracefulShutdown: {
            continuation.finish()
        }
    }

    /// Runs one pass and records it in the backoff, the metrics, the state and the status file.
    ///
    /// - Returns: when the pass ended, on the service clock (read once, before the pass is
    ///   published, so that the next pass is scheduled from the same instant the backoff uses),
    ///   and when the first target still soaking for `min-age` becomes eligible.
    private func pass(_ action: PassSchedule.Action, backoff: inout SourceBackoff) async -> (end: Duration, soakEnds: Date?) {
        let start = clock.now
        let startedAt = Date()
        let scope: Reconciler.Scope
        let label: String
        var skipped: Set<String> = []
        var covered: [String]?
        switch action {
        case .full(let requested):
            skipped = backoff.waiting(at: start).subtracting(requested)
            scope = Reconciler.Scope(shard: configuration.shard, skip: skipped)
            label = "full"
        case .scoped(let sources):
            // A push to the root repository itself (--git) may change any manifest: every
            // subscription is passed over, after the pull.
            let rootPush = rootRemoteURL.map { sources.contains($0) } ?? false
            scope = rootPush ? Reconciler.Scope(shard: configuration.shard, skip: backoff.waiting(at: start).subtracting(sources))
                : Reconciler.Scope(sources: sources, shard: configuration.shard)
            label = "webhook"
            covered = sources.sorted()
        }
        for source in skipped.sorted() {
            logger.info("source skipped while backing off", metadata: [
                "git.url": "\(source)", "backoff.failures": "\(backoff.entries[source]?.failures ?? 0)",
                "backoff.seconds": "\(Int(backoff.remaining(source, at: start).seconds.rounded(.up)))",
            ])
        }
        if configuration.gitOps, !(await pullRoot()) {
            return (clock.now, nil)
        }
        let reconciler = self.reconciler
        let outcome: Result<(report: ReconcileReport, snapshot: Snapshot), any Error>
        do {
            outcome = .success(try await cancelWhenGracefulShutdown { try await reconciler.pass(scope: scope) })
        } catch {
            outcome = .failure(error)
        }
        let end = clock.now
        let interrupted = Task.isCancelled || Task.isShuttingDownGracefully
        let result: String
        let summary: String
        var soakEnds: Date?
        switch outcome {
        case .success(let (report, snapshot)):
            summary = report.summary
            soakEnds = report.soaking.first.flatMap { try? Date($0.until, strategy: .iso8601) }
            if interrupted {
                // A cancelled ls-remote is not the source's fault: the backoff is left as it was.
                result = "interrupted"
            } else {
                result = report.hasFailures ? "partial" : "ok"
                record(report, snapshot: snapshot, action: action, skipped: skipped, at: end, backoff: &backoff)
                if case .scoped = action { await refreshSubscriptions() }
            }
        case .failure(let error):
            result = interrupted ? "interrupted" : "error"
            summary = "\(error)"
            logger.error("pass failed", metadata: ["pass.scope": "\(label)", "pass.error": "\(error)"])
        }
        if configuration.gitOps, !interrupted { await publishRoot(after: "reconcile") }
        let duration = end - start
        metrics.recordPass(scope: label, result: result, duration: duration, finished: Date())
        metrics.setQueueSizes(layout)
        metrics.setBackoff(backoff, at: end, known: state.everBackedOff)
        state.recordPass(ServeStatus.Pass(
            scope: label, result: result, started: Timestamp.string(startedAt), seconds: duration.seconds,
            summary: summary, skipped: skipped.sorted(), sources: covered), backoff: backoff)
        writeStatus()
        // What the pass read is released; between passes the process holds what it keeps.
        FreeMemory.release()
        logger.info("serve pass done", metadata: [
            "pass.scope": "\(label)", "pass.result": "\(result)", "pass.skipped": "\(skipped.count)",
            "pass.seconds": "\(String(format: "%.3f", duration.seconds))",
        ])
        return (end, soakEnds)
    }

    private func record(_ report: ReconcileReport, snapshot: Snapshot, action: PassSchedule.Action, skipped: Set<String>, at now: Duration, backoff: inout SourceBackoff) {
        let failed = Dictionary(report.sourceFailures.map { ($0.source, $0.reason) }, uniquingKeysWith: { first, _ in first })
        let listed = Set(snapshot.refs.keys)
        for (source, reason) in failed.sorted(by: { $0.key < $1.key }) {
            metrics.recordResolveFailure(source: source)
            let wait = backoff.failed(source, at: now, reason: reason)
            logger.warning("source backing off", metadata: [
                "git.url": "\(source)", "backoff.failures": "\(backoff.entries[source]?.failures ?? 0)",
                "backoff.seconds": "\(Int(wait.seconds.rounded(.up)))", "git.error": "\(reason)",
            ])
        }
        for source in listed where failed[source] == nil && backoff.entries[source] != nil {
            backoff.succeeded(source)
            logger.info("source recovered", metadata: ["git.url": "\(source)"])
        }
        if case .full = action {
            backoff.keep(only: listed.union(skipped))
            state.recordRefs(snapshot.refs, full: true)
            metrics.setSubscriptions(StatusReport.stateCounts(snapshot: snapshot))
        } else {
            state.recordRefs(snapshot.refs, full: false)
        }
    }

    /// Recounts `sluice_subscriptions` from the files on disk and the refs the passes last
    /// listed (no git listing), after a webhook pass or an apply changed what a full pass saw.
    func refreshSubscriptions() async {
        let upstream = LastKnownUpstream(refs: state.refs, lookups: GitUpstream(git: git, layout: layout))
        let snapshot = await SnapshotReader(layout: layout, upstream: upstream, cache: recountCache).read(scope: Reconciler.Scope(shard: configuration.shard))
        metrics.setSubscriptions(StatusReport.stateCounts(snapshot: snapshot))
    }

    /// Writes `<state>/serve-status.json`; a failure is logged, never fatal.
    func writeStatus() {
        do {
            try state.status(configuration: configuration, now: clock.now).write(layout: layout)
        } catch {
            logger.warning("cannot write the status file", metadata: ["fs.error": "\(error)"])
        }
    }

    // MARK: - GitOps

    /// The URL of the root's remote under `--git` (a webhook for it triggers a pass), else nil.
    var rootRemoteURL: String? {
        guard configuration.gitOps else { return nil }
        return state.rootRemote
    }

    /// Pulls the root's remote branch before a pass; false when following stopped or the pull
    /// failed (the pass is skipped, and said so in the logs, `/readyz` and the status file).
    private func pullRoot() async -> Bool {
        let sync = RootSync(git: git, layout: layout, logger: logger)
        do {
            // Git work on the root takes turns with applies: a pull must never restore a file
            // into approved/ that an apply has just claimed.
            switch try await lane.perform({ try await sync.pull() }) {
            case .followed:
                state.setGitStopped(nil)
                if state.rootRemote == nil, let url = await sync.remoteURL() { state.setRootRemote(url) }
                return true
            case .stopped(let reason):
                state.setGitStopped(reason)
                writeStatus()
                logger.error("root not followed; pass skipped", metadata: ["gitops.reason": "\(reason)"])
                return false
            }
        } catch {
            logger.warning("cannot pull the root's remote branch; pass skipped", metadata: ["git.error": "\(error)"])
            return false
        }
    }

    /// Commits and pushes what Sluice changed in the queue; a failure is logged and retried
    /// with the next pass or apply.
    private func publishRoot(after what: String) async {
        do {
            let sync = RootSync(git: git, layout: layout, logger: logger)
            if case .stopped(let reason) = try await lane.perform({ try await sync.publish(after: what) }).status {
                state.setGitStopped(reason)
            }
        } catch {
            logger.warning("cannot push the queue; the commit stays local until the next sync", metadata: ["git.error": "\(error)"])
        }
    }

    // MARK: - Approvals

    private func approvalLoop() async {
        // Claims left in applying/ by a crash are finished before anything new.
        if !QueueStore(layout: layout).names(in: .applying).isEmpty {
            await apply(files: [])
        }
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            let clock = self.clock
            let poll = configuration.approvalPoll
            do {
                try await cancelWhenGracefulShutdown { try await clock.sleep(for: poll) }
            } catch {
                break
            }
            var applied = false
            for name in QueueStore(layout: layout).names(in: .approved) {
                // Stop between updates, never inside one.
                if Task.isShuttingDownGracefully || Task.isCancelled { break }
                applied = await apply(files: [name]) != nil || applied
            }
            if applied { await refreshSubscriptions() }
        }
    }

    /// Applies approved files one run at a time in this process, and counts the outcomes.
    ///
    /// - Returns: the report, or nil when the run could not start (the file was taken meanwhile).
    @discardableResult
    func apply(files: [String]) async -> ApplyReport? {
        let layout = self.layout
        let git = self.git
        let logger = self.logger
        let metrics = self.metrics
        let shard = configuration.shard
        // nil too when the lane has stopped taking work (the service is stopping).
        let report = (try? await lane.perform { () async -> ApplyReport? in
            await Self.applyNow(files: files, layout: layout, git: git, logger: logger, metrics: metrics, shard: shard)
        }) ?? nil
        if configuration.gitOps, let report, !report.items.isEmpty { await publishRoot(after: "apply") }
        return report
    }

    static func applyNow(files: [String], layout: RootLayout, git: Git, logger: Logger, metrics: ServiceMetrics, shard: Shard? = nil) async -> ApplyReport? {
        do {
            var applier = Applier(layout: layout, git: git, logger: logger)
            applier.shard = shard
            let report = try await applier.run(files: files)
            metrics.recordApplies(report)
            metrics.setQueueSizes(layout)
            return report
        } catch {
            // Another process took the file between the listing and the claim.
            logger.debug("apply not started", metadata: ["update.files": "\(files.joined(separator: ","))", "apply.error": "\(error)"])
            return nil
        }
    }
}
