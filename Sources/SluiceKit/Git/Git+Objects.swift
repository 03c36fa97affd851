import Foundation

/// Repositories and the objects in them: creating a bare repository, fetching commits into it,
/// and asking what it holds.
extension Git {
    /// Creates a bare repository at `path` (`git init --bare`).
    ///
    /// - Parameter initialBranch: The branch `HEAD` names, or nil for git's default.
    public func initBare(at path: String, initialBranch: String? = nil) async throws(GitError) {
        var arguments = ["init", "--quiet", "--bare"]
        if let initialBranch { arguments.append("--initial-branch=" + initialBranch) }
        try await run(arguments + ["--", path], timeout: .seconds(30))
    }

    /// Fetches exactly the commit `sha` (not a ref) from `source` into the bare repository `repo`.
    public func fetch(commit sha: String, from source: String, into repo: String, timeout: Duration) async throws(GitError) {
        try await run(["fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--", source, sha], in: repo, timeout: timeout)
    }

    /// Fetches every branch and tag of `source` into `repo`, mirrored (forced and pruned), for
    /// searching history.
    public func fetchAllRefs(from source: String, into repo: String, timeout: Duration) async throws(GitError) {
        try await run(["fetch", "--quiet", "--prune", "--force", "--no-write-fetch-head", "--", source,
                       "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"], in: repo, timeout: timeout)
    }

    /// Whether `repo` holds `sha` as a commit (`git cat-file -e`).
    public func hasCommit(_ sha: String, in repo: String) async -> Bool {
        (try? await run(["cat-file", "-e", sha + "^{commit}"], in: repo, timeout: .seconds(30))) != nil
    }

    /// Whether `repo` holds the commit `sha` and every tree and blob of its tree
    /// (`git rev-list --quiet --objects --no-walk --missing=error`).
    ///
    /// A `git fetch` killed while it unpacks writes the commit before the trees and blobs it
    /// points to, so ``hasCommit(_:in:)`` alone is no proof that the commit can be exported.
    /// The commit's history is not walked: exporting needs only its tree.
    public func hasCompleteTree(of sha: String, in repo: String) async -> Bool {
        (try? await run(["rev-list", "--quiet", "--objects", "--no-walk", "--missing=error", "--end-of-options", sha],
                        in: repo, timeout: .seconds(120))) != nil
    }

    /// The full SHA of the one commit in `repo` whose id starts with `prefix`.
    ///
    /// - Throws: ``GitError``; its ``GitError/detail`` says "ambiguous" when several objects
    ///   start with `prefix`.
    public func resolveAbbreviation(_ prefix: String, in repo: String) async throws(GitError) -> String {
        let output = try await run(["rev-parse", "--verify", "--end-of-options", prefix + "^{commit}"], in: repo, timeout: .seconds(30))
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The type of `object` in `repo` (`commit`, `tree`, `blob`, `tag`), or nil when it is missing.
    public func objectType(_ object: String, in repo: String) async -> String? {
        (try? await run(["cat-file", "-t", object], in: repo, timeout: .seconds(30)))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
