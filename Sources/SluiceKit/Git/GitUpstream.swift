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

    /// Reads `object` from the source's cache, fetching it once.
    public func inspect(_ object: String, kind: Git.ObjectKind, source: String) async -> Result<ReleaseObject, ReleaseProblem> {
        await ReleaseInspector(git: git, layout: layout).inspect(object, kind: kind, source: source)
    }

    /// Checks `object`'s signature against the root's trusted keys only.
    public func verify(_ object: String, kind: Git.ObjectKind, source: String, mode: VerifyMode, pointingAt target: String?) async -> Result<SignatureRecord, ReleaseProblem> {
        await ReleaseInspector(git: git, layout: layout).verify(object, kind: kind, source: source, mode: mode, pointingAt: target)
    }

    /// The tree at `subpath` of `commit`, from the source's cache.
    public func treeID(of commit: String, at subpath: String?, source: String) async -> String? {
        await ReleaseInspector(git: git, layout: layout).treeID(of: commit, at: subpath, source: source)
    }
}
