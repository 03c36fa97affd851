import SluiceKit

/// The upstream as the service's passes last listed it, so that subscription states can be
/// recounted after a webhook pass or an apply without running `git ls-remote` again.
///
/// A source no pass has listed, or whose last listing failed, reads as failed (its
/// subscriptions count as `error`, as after a full pass). SHA lookups go to the real upstream,
/// which answers from the local source cache.
struct LastKnownUpstream: Upstream {
    let refs: [String: Result<RemoteRefs, GitError>]
    let lookups: any Upstream

    func listRefs(_ source: String) async -> Result<RemoteRefs, GitError> {
        refs[source] ?? .failure(GitError(arguments: ["ls-remote"], status: nil, message: "\(source) has not been listed by a pass yet"))
    }

    func lookup(_ prefix: String, source: String) async -> Result<String, SourceCache.LookupFailure> {
        await lookups.lookup(prefix, source: source)
    }
}
