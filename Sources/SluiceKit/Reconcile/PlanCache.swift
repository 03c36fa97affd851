import Synchronization

/// Plans of unchanged workspaces and the upstream they were made against, kept between passes.
///
/// A plan is reused only while the workspace read, the queue and upstream are all as they were
/// when it was made (see ``Reconciler``); the upstream generation is the number that says the
/// last of these.
final class PlanCache: Sendable {
    /// The plan of an unchanged workspace, reused while nothing it depends on changed.
    struct Memo: Sendable {
        var version: Int
        var queueGeneration: Int
        var upstreamGeneration: Int
        var actions: [PlanAction]
    }

    private let plans = Mutex<[String: Memo]>([:])
    private let upstream = Mutex<(refs: [String: RemoteRefs], generation: Int)>(([:], 0))

    init() {}

    func plan(for workspace: String) -> Memo? {
        plans.withLock { $0[workspace] }
    }

    func remember(plan: Memo?, for workspace: String) {
        plans.withLock { $0[workspace] = plan }
    }

    /// A number that changes whenever the refs listed upstream differ from the previous pass's
    /// (or a SHA had to be looked up, or a source failed): equal numbers mean every
    /// subscription resolves as it did. Keeps one `RemoteRefs` per source, not one per workspace.
    func upstreamGeneration(_ refs: [String: Result<RemoteRefs, GitError>], lookedUp: Bool) -> Int {
        var listed: [String: RemoteRefs] = [:]
        var failed = lookedUp
        for (source, result) in refs {
            switch result {
            case .success(let remote): listed[source] = remote
            case .failure: failed = true
            }
        }
        return upstream.withLock { state in
            if failed || state.refs != listed {
                state.generation += 1
                state.refs = listed
            }
            return state.generation
        }
    }
}
