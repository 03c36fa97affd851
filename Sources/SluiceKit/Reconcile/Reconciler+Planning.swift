import Foundation

extension Reconciler {
    /// What the pass plans from besides each workspace's own read: the queue grouped by
    /// workspace, the rejected targets, and the time new records carry.
    struct PlanContext: Sendable {
        var scope: Scope
        var pendingByWorkspace: [String: [QueueEntry]]
        var approvedByWorkspace: [String: [QueueEntry]]
        var rejections: Set<RejectionKey>
        var timestamp: String
    }

    /// The number of workspaces one planning task takes at a time, as for reading.
    static let planChunk = 64

    /// Plans every workspace of `snapshot`, on up to `workers` cores, in workspace order: nil
    /// for a workspace whose manifest is invalid.
    ///
    /// Planning is pure (``Planner/plan(_:)``) and independent per workspace, so the plans are
    /// made before any is carried out; carrying them out (writing, reporting, logging) stays in
    /// workspace order. ``PlanCache`` is shared behind its own lock.
    func planWorkspaces(_ snapshot: Snapshot, context: PlanContext, workers: Int) async -> [[PlanAction]?] {
        let workspaces = snapshot.workspaces
        guard workers > 1, workspaces.count > Self.planChunk else {
            return workspaces.map { plan($0, snapshot: snapshot, context: context) }
        }
        let chunks = stride(from: 0, to: workspaces.count, by: Self.planChunk).map { $0..<min($0 + Self.planChunk, workspaces.count) }
        let planned = await concurrentMap(chunks, limit: workers) { range in
            workspaces[range].map { plan($0, snapshot: snapshot, context: context) }
        }
        return Array(planned.joined())
    }

    /// One workspace's actions, or nil when its manifest is invalid.
    ///
    /// A workspace read from the cache, with the same targets and an unchanged queue, has the
    /// same plan as last pass; a plan that changed nothing is reused rather than recomputed.
    private func plan(_ workspace: WorkspaceState, snapshot: Snapshot, context: PlanContext) -> [PlanAction]? {
        guard case .success(let manifest) = workspace.manifest else { return nil }
        let scope = context.scope
        var scoped = manifest
        var scopedPending = context.pendingByWorkspace[workspace.path] ?? []
        var installed = workspace.installed
        if scope.sources != nil {
            let names = Set(manifest.plugins.filter { scope.resolves($0) }.map(\.name))
            scoped.plugins = manifest.plugins.filter { names.contains($0.name) }
            scopedPending = scopedPending.filter { names.contains($0.record.plugin) }
            installed = installed.filter { names.contains($0.key) }
        } else if !scope.skip.isEmpty {
            // Only the skipped sources' subscriptions are left out; removals and holds are planned as usual.
            let skipped = Set(manifest.plugins.filter { scope.skip.contains($0.source) }.map(\.name))
            scoped.plugins = manifest.plugins.filter { !skipped.contains($0.name) }
            scopedPending = scopedPending.filter { !skipped.contains($0.record.plugin) }
            installed = installed.filter { !skipped.contains($0.key) }
        }
        let memoable = scope.sources == nil && scope.skip.isEmpty && workspace.version != 0
        if memoable, let memo = cache.plans.plan(for: workspace.path), memo.version == workspace.version,
           memo.queueGeneration == snapshot.queueGeneration, memo.upstreamGeneration == snapshot.upstreamGeneration {
            return memo.actions
        }
        var input = PlanInput(
            workspace: workspace.path, manifest: scoped, installed: installed, resolutions: snapshot.resolutions[workspace.path] ?? [:],
            pending: scopedPending, approved: context.approvedByWorkspace[workspace.path] ?? [],
            rejected: context.rejections, now: context.timestamp)
        input.signatures = (snapshot.vetting[workspace.path] ?? [:]).compactMapValues(\.signature)
        let actions = Planner.plan(input)
        cache.plans.remember(plan: memoable && !Self.writes(actions)
            ? PlanCache.Memo(version: workspace.version, queueGeneration: snapshot.queueGeneration,
                             upstreamGeneration: snapshot.upstreamGeneration, actions: actions)
            : nil, for: workspace.path)
        return actions
    }

    /// Whether `actions` write or remove a pending file.
    static func writes(_ actions: [PlanAction]) -> Bool {
        actions.contains { action in
            switch action {
            case .queue, .withdraw: return true
            case .keep, .suppressed, .failed: return false
            }
        }
    }
}
