import Synchronization

/// Each workspace's resolved subscriptions, kept between passes while the workspace read and the
/// refs listed upstream are both as they were, so that an unchanged pass does not rebuild one
/// subscription, resolution and vetting subject per plugin of every workspace.
///
/// A resolution is a function of the track and the listed refs alone, except for a SHA looked
/// up in a history and for the release policy (a soak ends with time, a key file changes without
/// any ref moving): a workspace with a subscription that needs vetting is never kept, nor any
/// workspace of a pass that looked a SHA up. Only full passes (no `sources` or `skip` scope)
/// keep or reuse entries, since a scope changes which subscriptions a workspace resolves.
final class ResolutionCache: Sendable {
    /// One workspace's resolutions, valid for one workspace read and one listing generation.
    struct Memo: Sendable {
        /// The ``WorkspaceState/version`` they were resolved for.
        var version: Int
        /// The ``generation(_:)`` of the refs they were resolved against.
        var listing: Int
        /// By plugin name.
        var resolutions: [String: TrackResolution]
        /// How many of its subscriptions each source has.
        var sources: [(source: String, count: Int)]
    }

    /// One workspace read: its path and ``WorkspaceState/version``.
    struct Read: Sendable, Equatable {
        var path: String
        var version: Int
    }

    /// A whole full pass's result, valid for the same reads (in order) and listing generation.
    struct Pass: Sendable {
        var reads: [Read]
        var listing: Int
        var resolutions: [String: [String: TrackResolution]]
        var subscribers: [String: Int]
        var sources: Set<String>
    }

    private let memos = Mutex<[String: Memo]>([:])
    private let last = Mutex<Pass?>(nil)
    private let listed = Mutex<(refs: [String: RemoteRefs], generation: Int)>(([:], 0))

    init() {}

    /// The workspace's memo, if it was resolved for this read.
    func memo(for workspace: String, version: Int) -> Memo? {
        memos.withLock { $0[workspace] }.flatMap { $0.version == version ? $0 : nil }
    }

    /// Keeps (or, with nil, drops) a workspace's memo.
    func remember(_ memo: Memo?, for workspace: String) {
        memos.withLock { $0[workspace] = memo }
    }

    /// The last full pass's result, when it read exactly `reads`.
    func pass(matching reads: [Read]) -> Pass? {
        last.withLock { $0 }.flatMap { $0.reads == reads ? $0 : nil }
    }

    /// Keeps (or, with nil, drops) a full pass's result.
    func remember(pass: Pass?) {
        last.withLock { $0 = pass }
    }

    /// Drops every memo of a workspace not in `present`, so that removed workspaces are not
    /// kept for the life of the process.
    func forget(keeping present: Set<String>) {
        memos.withLock { memos in
            if memos.count > present.count || memos.keys.contains(where: { !present.contains($0) }) {
                memos = memos.filter { present.contains($0.key) }
            }
        }
    }

    /// A number that changes whenever the listed refs differ from the previous listing's, a
    /// listing failed, or a listing covered other sources: equal numbers mean every track
    /// resolves as it did.
    func generation(_ refs: [String: Result<RemoteRefs, GitError>]) -> Int {
        var listing: [String: RemoteRefs] = [:]
        var failed = false
        for (source, result) in refs {
            switch result {
            case .success(let remote): listing[source] = remote
            case .failure: failed = true
            }
        }
        return listed.withLock { state in
            if failed || state.refs != listing {
                state.generation += 1
                state.refs = failed ? [:] : listing
            }
            return state.generation
        }
    }
}
