/// Where tracked plugins come from, as the resolver sees it: a repository that lists its refs
/// and finds commits by abbreviated id.
///
/// The real one (``GitUpstream``) runs git; tests pass an in-memory one, so that the reconcile
/// pass is tested without starting a process.
public protocol Upstream: Sendable {
    /// The branches and tags `source` advertises, or why it could not be listed.
    func listRefs(_ source: String) async -> Result<RemoteRefs, GitError>

    /// The full SHA of the one commit in `source`'s history whose id starts with `prefix`, or
    /// why there is none (unknown, ambiguous, or the history could not be read).
    func lookup(_ prefix: String, source: String) async -> Result<String, SourceCache.LookupFailure>
}
