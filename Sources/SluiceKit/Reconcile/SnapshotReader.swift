import Foundation

/// Reads the world as a pass sees it: workspaces, queue, and every subscription in scope
/// resolved upstream and vetted against its release policy. It writes nothing but first
/// sightings (and those only for `reconcile`), so `status` uses it on its own and `reconcile`
/// plans from what it returns.
public struct SnapshotReader: Sendable {
    /// The root's layout.
    public let layout: RootLayout
    /// Resolves subscriptions upstream.
    public let resolver: UpstreamResolver
    /// Parsed files kept between reads.
    public let cache: ReconcileCache

    /// Creates a reader over `upstream`.
    public init(layout: RootLayout, upstream: any Upstream, cache: ReconcileCache = ReconcileCache()) {
        self.layout = layout
        self.resolver = UpstreamResolver(upstream: upstream, concurrency: layout.config.concurrency)
        self.cache = cache
    }

    /// Creates a reader that resolves with real git.
    public init(layout: RootLayout, git: Git, cache: ReconcileCache = ReconcileCache()) {
        self.init(layout: layout, upstream: GitUpstream(git: git, layout: layout), cache: cache)
    }

    /// Reads workspaces and queue, and resolves every subscription in scope upstream, then
    /// applies each subscription's release policy (``TargetVetter``).
    ///
    /// - Parameters:
    ///   - now: The clock reading a soak is measured against.
    ///   - recordsSightings: Whether first sightings of candidate refs are written to the state
    ///     folder (a reconcile pass) or only read (`status`).
    ///   - sweepsPending: Whether temporaries left in `pending/` by a writer that died are removed,
    ///     from the listing that reads it (a reconcile pass, which writes there next).
    public func read(scope: Reconciler.Scope = .all, now: Date = Date(), recordsSightings: Bool = false, sweepsPending: Bool = false) async -> Snapshot {
        let store = QueueStore(layout: layout)
        var phases = PassPhases()
        var started = ContinuousClock.now
        // Every change notification so far, before anything is taken as unchanged.
        cache.refresh()
        let watcher = cache.watcher
        var paths = watcher.map { cache.listings.workspaces(layout, watcher: $0) } ?? WorkspaceDiscovery.find(in: layout)
        paths = paths.filter { scope.contains(workspace: $0) }
        phases.discover = started.secondsElapsed
        started = ContinuousClock.now
        var timing = WorkspaceState.ReadTiming()
        let workspaces = await WorkspaceState.read(paths, layout: layout, cache: cache.workspaces, watcher: watcher,
                                                   workers: WorkspaceState.readWorkers, timing: &timing)
        let reading = started.secondsElapsed
        let share = timing.manifests + timing.stamps > 0 ? timing.manifests / (timing.manifests + timing.stamps) : 1
        phases.readManifests = reading * share
        phases.readStamps = reading - phases.readManifests
        started = ContinuousClock.now
        // The sources to list are known once the manifests are read: they are listed upstream
        // while the queue is read, so that waiting for `git ls-remote` overlaps the reads.
        async let listing = resolver.list(sourcesToList(for: workspaces, scope: scope))
        func read(_ folder: QueueFolder) async -> (entries: [QueueEntry], problems: [QueueStore.Problem]) {
            let workers = QueueStore.readWorkers
            let sweeping = sweepsPending && folder == .pending
            if let watcher {
                return await cache.listings.read(folder, store: store, cache: cache.queue, watcher: watcher, workers: workers, sweepingTemporaries: sweeping)
            }
            return await store.read(folder, cache: cache.queue, workers: workers, sweepingTemporaries: sweeping)
        }
        let pending = await read(.pending)
        // A file being applied counts as approved: its target must not be queued again meanwhile.
        let approvedFiles = await read(.approved)
        let applying = await read(.applying)
        let approved = (entries: approvedFiles.entries + applying.entries, problems: approvedFiles.problems + applying.problems)
        let rejected = await read(.rejected)
        let queueGeneration = cache.queue.generation
        phases.readQueue = started.secondsElapsed
        started = ContinuousClock.now

        let resolution = await resolveSubscriptions(of: workspaces, scope: scope, listed: await listing)
        var resolutions = resolution.resolutions
        let subjects = resolution.subjects
        let subscribers = resolution.subscribers
        let resolved = (refs: resolution.refs, lookedUp: resolution.lookedUp)
        var vetting: [String: [String: Vetting]] = [:]
        var stateProblem: String?
        if !subjects.isEmpty {
            let sightings = Sightings(state: layout.state)
            let vetter = TargetVetter(upstream: resolver.upstream, sightings: sightings, now: now, recordsSightings: recordsSightings)
            // Workspaces that share a source, track, policy and installed commit are vetted once.
            var memo: [TargetVetter.Subject: (TrackResolution, Vetting)] = [:]
            for item in subjects {
                guard let resolution = resolutions[item.workspace]?[item.plugin], case .success(let refs)? = resolved.refs[item.subject.source] else { continue }
                let result: (TrackResolution, Vetting)
                if let known = memo[item.subject] {
                    result = known
                } else {
                    result = await vetter.vet(item.subject, resolution: resolution, refs: refs)
                    memo[item.subject] = result
                }
                resolutions[item.workspace]?[item.plugin] = result.0
                vetting[item.workspace, default: [:]][item.plugin] = result.1
            }
            if recordsSightings {
                do {
                    try sightings.save()
                } catch {
                    // A lost sighting is recorded again next pass, later: the soak only grows.
                    stateProblem = "cannot record first sightings under \(layout.state)/sightings: \(error)"
                }
            }
        }

        phases.resolve = started.secondsElapsed
        var snapshot = Snapshot(
            workspaces: workspaces, refs: resolved.refs, resolutions: resolutions, subscribers: subscribers,
            pending: pending.entries, approved: approved.entries, rejected: rejected.entries,
            queueProblems: pending.problems + approved.problems + rejected.problems)
        snapshot.queueGeneration = queueGeneration
        snapshot.vetting = vetting
        snapshot.stateProblem = stateProblem
        snapshot.phases = phases
        // A soak ends with time and a key file can change without any ref moving: a pass with a
        // release policy never reuses an earlier plan.
        let timeDependent = subjects.contains { !$0.subject.policy.isEmpty }
        snapshot.upstreamGeneration = cache.plans.upstreamGeneration(resolved.refs, lookedUp: resolved.lookedUp || timeDependent)
        return snapshot
    }
}
