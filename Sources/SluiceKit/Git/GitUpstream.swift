/// The real ``Upstream``: `git ls-remote` for listings and the root's ``SourceCache`` for
/// searching history.
public struct GitUpstream: Upstream {
    /// The git choke point.
    public let git: Git
    /// The root's layout (timeouts and the cache folder).
    public let layout: RootLayout

    /// Creates the upstream of `layout`'s root.
    public init(git: Git, layout: RootLayout) {
        self.git = git
        self.layout = layout
    }

    /// Lists `source` with one `git ls-remote --heads --tags`, within `resolveTimeout`.
    public func listRefs(_ source: String) async -> Result<RemoteRefs, GitError> {
        do {
            return .success(try await git.listRefs(source: source, timeout: .seconds(layout.config.resolveTimeout)))
        } catch {
            return .failure(error)
        }
    }

    /// Fetches every ref of `source` into its cache, then resolves `prefix` there.
    public func lookup(_ prefix: String, source: String) async -> Result<String, SourceCache.LookupFailure> {
        await SourceCache(git: git, layout: layout).lookup(prefix, source: source)
    }
}
