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
    public func read(scope: Reconciler.Scope = .all, now: Date = Date(), recordsSightings: Bool = false) async -> Snapshot {
        let store = QueueStore(layout: layout)
        var phases = PassPhases()
        var started = ContinuousClock.now
        var paths = WorkspaceDiscovery.find(in: layout)
        paths = paths.filter { scope.contains(workspace: $0) }
        phases.discover = started.secondsElapsed
        started = ContinuousClock.now
        var timing = WorkspaceState.ReadTiming()
        let workspaces = await WorkspaceState.read(paths, layout: layout, cache: cache.workspaces,
                                                   workers: WorkspaceState.readWorkers, timing: &timing)
        let reading = started.secondsElapsed
        let share = timing.manifests + timing.stamps > 0 ? timing.manifests / (timing.manifests + timing.stamps) : 1
        phases.readManifests = reading * share
        phases.readStamps = reading - phases.readManifests
        started = ContinuousClock.now
        let pending = await store.read(.pending, cache: cache.queue, workers: WorkspaceState.readWorkers)
        // A file being applied counts as approved: its target must not be queued again meanwhile.
        let approvedFiles = await store.read(.approved, cache: cache.queue, workers: WorkspaceState.readWorkers)
        let applying = await store.read(.applying, cache: cache.queue, workers: WorkspaceState.readWorkers)
        let approved = (entries: approvedFiles.entries + applying.entries, problems: approvedFiles.problems + applying.problems)
        let rejected = await store.read(.rejected, cache: cache.queue, workers: WorkspaceState.readWorkers)
        let queueGeneration = cache.queue.generation
        phases.readQueue = started.secondsElapsed
        started = ContinuousClock.now

        var subscribers: [String: Int] = [:]
        var subscriptions: [UpstreamResolver.Subscription] = []
        var resolutions: [String: [String: TrackResolution]] = [:]
        var subjects: [(workspace: String, plugin: String, subject: TargetVetter.Subject)] = []
        for workspace in workspaces {
            guard case .success(let manifest) = workspace.manifest else { continue }
            resolutions[workspace.path] = [:]
            for entry in manifest.plugins where scope.resolves(entry) {
                subscribers[entry.source, default: 0] += 1
                subscriptions.append(.init(workspace: workspace.path, plugin: entry.name, source: entry.source, track: entry.track))
                let stamp = workspace.installed[entry.name]?.stamp
                let subject = TargetVetter.Subject(
                    source: entry.source, track: entry.track, subpath: entry.subpath, policy: entry.policy(defaults: layout.config.defaults),
                    installedSHA: stamp?.sha, installedRef: stamp?.ref, installedSource: stamp?.source, installedSubpath: stamp?.subpath)
                if subject.needsVetting { subjects.append((workspace.path, entry.name, subject)) }
            }
        }
        let resolved = await resolver.resolve(subscriptions)
        resolutions.merge(resolved.resolutions) { $1 }
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
