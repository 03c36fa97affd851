/// Reads the world as a pass sees it: workspaces, queue, and every subscription in scope
/// resolved upstream. It writes nothing, so `status` uses it on its own and `reconcile` plans
/// from what it returns.
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

    /// Reads workspaces and queue, and resolves every subscription in scope upstream.
    public func read(scope: Reconciler.Scope = .all) async -> Snapshot {
        let store = QueueStore(layout: layout)
        var paths = WorkspaceDiscovery.find(in: layout)
        paths = paths.filter { scope.contains(workspace: $0) }
        let workspaces = paths.map { WorkspaceState.read($0, layout: layout, cache: cache.workspaces) }
        let pending = store.read(.pending, cache: cache.queue)
        // A file being applied counts as approved: its target must not be queued again meanwhile.
        let approvedFiles = store.read(.approved, cache: cache.queue)
        let applying = store.read(.applying, cache: cache.queue)
        let approved = (entries: approvedFiles.entries + applying.entries, problems: approvedFiles.problems + applying.problems)
        let rejected = store.read(.rejected, cache: cache.queue)
        let queueGeneration = cache.queue.generation

        var subscribers: [String: Int] = [:]
        var subscriptions: [UpstreamResolver.Subscription] = []
        var resolutions: [String: [String: TrackResolution]] = [:]
        for workspace in workspaces {
            guard case .success(let manifest) = workspace.manifest else { continue }
            resolutions[workspace.path] = [:]
            for entry in manifest.plugins where scope.resolves(entry) {
                subscribers[entry.source, default: 0] += 1
                subscriptions.append(.init(workspace: workspace.path, plugin: entry.name, source: entry.source, track: entry.track))
            }
        }
        let resolved = await resolver.resolve(subscriptions)
        resolutions.merge(resolved.resolutions) { $1 }

        var snapshot = Snapshot(
            workspaces: workspaces, refs: resolved.refs, resolutions: resolutions, subscribers: subscribers,
            pending: pending.entries, approved: approved.entries, rejected: rejected.entries,
            queueProblems: pending.problems + approved.problems + rejected.problems)
        snapshot.queueGeneration = queueGeneration
        snapshot.upstreamGeneration = cache.plans.upstreamGeneration(resolved.refs, lookedUp: resolved.lookedUp)
        return snapshot
    }
}
