/// What one process keeps between reconcile passes: workspaces, queue records and plans.
///
/// A long-running service reuses one ``Reconciler`` and so one of these; a command that runs one
/// pass starts empty and gains nothing from it. Each part lives next to what it caches.
public final class ReconcileCache: Sendable {
    /// Workspaces, reused while none of their files changed.
    public let workspaces = WorkspaceCache()
    /// Queue records, reused while their files are unchanged.
    public let queue = QueueRecordCache()
    /// Plans of unchanged workspaces and the upstream generation.
    let plans = PlanCache()
    /// Resolutions of unchanged workspaces against unchanged refs.
    let resolutions = ResolutionCache()
    /// The change notifications that let unchanged reads skip `stat` (`serve`), or nil.
    let watcher: ChangeWatcher?
    /// Discovery and queue folders kept while watched.
    let listings = WatchedListings()

    /// Creates an empty cache that checks every file by `stat`.
    public init() {
        watcher = nil
    }

    /// Creates an empty cache that trusts what `watcher` reports no change for.
    package init(watcher: ChangeWatcher?) {
        self.watcher = watcher
    }

    /// Takes every change notification queued since the last call and forgets what it concerns.
    /// Called before a read decides what is unchanged (see ``ChangeWatcher/drain()``).
    func refresh() {
        guard let watcher else { return }
        let changes = watcher.drain()
        switch changes {
        case .everything:
            workspaces.distrustAll()
        case .folders(let changed, _):
            for folder in changed { workspaces.distrust(near: folder) }
        }
        listings.invalidate(changes)
    }
}
