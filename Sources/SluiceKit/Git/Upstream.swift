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

    /// The tag or commit `object` of `source` as the release policy reads it (date, target,
    /// signature kind).
    func inspect(_ object: String, kind: Git.ObjectKind, source: String) async -> Result<ReleaseObject, ReleaseProblem>

    /// Whether `object` carries a good `mode` signature by one of the root's trusted keys (and,
    /// for a tag, points at `target`).
    func verify(_ object: String, kind: Git.ObjectKind, source: String, mode: VerifyMode, pointingAt target: String?) async -> Result<SignatureRecord, ReleaseProblem>

    /// The tree at `subpath` of `commit`, or nil when it cannot be read.
    func treeID(of commit: String, at subpath: String?, source: String) async -> String?
}

extension Upstream {
    /// Reads a tag or commit for the release policy; an upstream without objects has none.
    public func inspect(_ object: String, kind: Git.ObjectKind, source: String) async -> Result<ReleaseObject, ReleaseProblem> {
        .failure(ReleaseProblem("this upstream holds no objects to read"))
    }

    /// Checks a signature; an upstream without objects verifies nothing.
    public func verify(_ object: String, kind: Git.ObjectKind, source: String, mode: VerifyMode, pointingAt target: String?) async -> Result<SignatureRecord, ReleaseProblem> {
        .failure(ReleaseProblem("this upstream holds no objects to verify"))
    }

    /// The tree at a subpath of a commit; an upstream without objects knows none.
    public func treeID(of commit: String, at subpath: String?, source: String) async -> String? {
        nil
    }
}
