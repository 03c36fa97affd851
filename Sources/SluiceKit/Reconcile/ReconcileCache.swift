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

    /// Creates an empty cache.
    public init() {}
}
