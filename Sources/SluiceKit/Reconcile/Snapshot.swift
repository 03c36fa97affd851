import Foundation

/// Everything a pass reads before it decides anything: workspaces, queue and upstream refs.
///
/// `reconcile` plans from it and `status` reports from it, so both see the world the same way.
public struct Snapshot: Sendable {
    /// The workspaces read, in path order.
    public var workspaces: [WorkspaceState]
    /// The refs of each source listed in this pass.
    public var refs: [String: Result<RemoteRefs, GitError>]
    /// Each workspace's resolved subscriptions, by plugin name (tracked, not held, in scope).
    public var resolutions: [String: [String: TrackResolution]]
    /// What the release policy found for each workspace's subscriptions, by plugin name (only
    /// those with a policy or a subpath).
    public var vetting: [String: [String: Vetting]] = [:]
    /// Why the pass could not record first sightings, if it could not.
    public var stateProblem: String?
    /// How many subscriptions each source has.
    public var subscribers: [String: Int]
    /// Files in `pending/`.
    public var pending: [QueueEntry]
    /// Files in `approved/` and `applying/`.
    public var approved: [QueueEntry]
    /// Files in `rejected/`.
    public var rejected: [QueueEntry]
    /// Queue files that could not be read.
    public var queueProblems: [QueueStore.Problem]
    /// How many changes the queue record cache had seen in the queue folders once they were read.
    var queueGeneration = 0
    /// Changes whenever upstream resolved differently from the previous pass (see ``PlanCache``).
    var upstreamGeneration = 0
    /// How long reading took, by phase (planning and writing are added by ``Reconciler``).
    public var phases = PassPhases()
}
