import Foundation

/// The root as a git working copy (`sluice sync`, `serve --git`): fetching and integrating the
/// remote branch, committing the queue, pushing, and reading who approved what.
///
/// Every call runs with rename detection off, so that an operator's `git mv` of a pending file
/// and Sluice's rewrite of that same file conflict instead of merging Sluice's content into the
/// approved file.
extension Git {
    private static let noRenames = ["-c", "merge.renames=false", "-c", "diff.renames=false", "-c", "core.quotePath=false"]

    /// The upstream of the checked-out branch, as `<remote>/<branch>`, or nil when there is none.
    public func upstreamBranch(in checkout: String) async -> (remote: String, branch: String)? {
        guard let output = try? await run(["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}"], in: checkout, timeout: .seconds(30)) else { return nil }
        let name = output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let slash = name.firstIndex(of: "/") else { return nil }
        return (String(name[..<slash]), String(name[name.index(after: slash)...]))
    }

    /// The URL of `remote` in `checkout`, or nil.
    public func remoteURL(_ remote: String, in checkout: String) async -> String? {
        (try? await run(["remote", "get-url", "--", remote], in: checkout, timeout: .seconds(30)))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The commit `ref` names in `checkout`, or nil.
    public func commitID(_ ref: String, in checkout: String) async -> String? {
        (try? await run(["rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}"], in: checkout, timeout: .seconds(30)))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Fetches `branch` of `remote` into its remote-tracking ref.
    public func fetch(remote: String, branch: String, in checkout: String, timeout: Duration) async throws(GitError) {
        try await run(["fetch", "--quiet", "--no-tags", "--", remote, "+refs/heads/\(branch):refs/remotes/\(remote)/\(branch)"], in: checkout, timeout: timeout)
    }

    /// Whether `ancestor` is an ancestor of (or equal to) `descendant`.
    public func isAncestor(_ ancestor: String, of descendant: String, in checkout: String) async -> Bool {
        (try? await run(["merge-base", "--is-ancestor", ancestor, descendant], in: checkout, timeout: .seconds(30))) != nil
    }

    /// Fast-forwards the checked-out branch to `commit`.
    public func fastForward(to commit: String, in checkout: String) async throws(GitError) {
        try await run(["merge", "--quiet", "--ff-only", commit], in: checkout, timeout: .seconds(120))
    }

    /// Changes under `paths` (added, modified, deleted, untracked), from `git status --porcelain`.
    public func changes(under paths: [String], in checkout: String) async throws(GitError) -> [(status: String, path: String)] {
        let output = try await run(Self.noRenames + ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--"] + paths, in: checkout, timeout: .seconds(60))
        return output.split(separator: "\0").compactMap { entry in
            guard entry.count > 3 else { return nil }
            return (String(entry.prefix(2)).trimmingCharacters(in: .whitespaces), String(entry.dropFirst(3)))
        }
    }

    /// Stages every change under `paths` and commits it with `message` as `identity`; returns
    /// false when there was nothing to commit.
    public func commitAll(under paths: [String], message: String, identity: (name: String, email: String), in checkout: String) async throws(GitError) -> Bool {
        try await run(["add", "--all", "--"] + paths, in: checkout, timeout: .seconds(120))
        let staged = try await run(["diff", "--cached", "--name-only", "--"] + paths, in: checkout, timeout: .seconds(60))
        if staged.isEmpty { return false }
        let who = ["GIT_AUTHOR_NAME": identity.name, "GIT_AUTHOR_EMAIL": identity.email,
                   "GIT_COMMITTER_NAME": identity.name, "GIT_COMMITTER_EMAIL": identity.email]
        try await run(["-c", "commit.gpgSign=false", "commit", "--quiet", "--no-verify", "-m", message, "--"] + paths, in: checkout, timeout: .seconds(120), environment: who)
        return true
    }

    /// Pushes the checked-out branch's `HEAD` to `branch` of `remote`; false when the remote
    /// refused it because it moved meanwhile (not a fast-forward).
    public func push(remote: String, branch: String, in checkout: String, timeout: Duration) async throws(GitError) -> Bool {
        let output = try await execute(["push", "--quiet", "--porcelain", "--", remote, "HEAD:refs/heads/" + branch], in: checkout, timeout: timeout)
        if output.status.exitCode == 0 { return true }
        let text = output.standardOutput + output.standardError
        if text.contains("[rejected]") || text.contains("non-fast-forward") || text.contains("fetch first") || text.contains("[remote rejected]") && text.contains("stale") {
            return false
        }
        throw GitError(arguments: ["push", remote, branch], status: output.status.exitCode, message: Self.trim(output.standardError))
    }

    /// The best common ancestor of two commits.
    public func mergeBase(_ a: String, _ b: String, in checkout: String) async throws(GitError) -> String {
        try await run(["merge-base", a, b], in: checkout, timeout: .seconds(60)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The paths under `paths` that differ between two commits, each with whether it exists in
    /// `to` (renames are not detected: a move is a deletion and an addition).
    public func changedPaths(from: String, to: String, under paths: [String], in checkout: String) async throws(GitError) -> [(path: String, exists: Bool)] {
        let output = try await run(Self.noRenames + ["diff", "--no-renames", "--name-status", "-z", from, to, "--"] + paths, in: checkout, timeout: .seconds(60))
        let fields = output.split(separator: "\0").map(String.init)
        var result: [(String, Bool)] = []
        var index = 0
        while index + 1 < fields.count {
            result.append((fields[index + 1], !fields[index].hasPrefix("D")))
            index += 2
        }
        return result
    }

    /// The content of `path` in `commit`.
    public func fileContent(_ path: String, at commit: String, in checkout: String) async throws(GitError) -> Data {
        let output = try await execute(["cat-file", "blob", commit + ":" + path], in: checkout, timeout: .seconds(60))
        guard output.status.exitCode == 0 else {
            throw GitError(arguments: ["cat-file", "blob", commit + ":" + path], status: output.status.exitCode, message: Self.trim(output.standardError))
        }
        return Data(output.standardOutput.utf8)
    }

    /// Points the checked-out branch, index and tracked files at `commit` (untracked and ignored
    /// files, such as `plugins/` and the state folder, are left alone).
    public func resetHard(to commit: String, in checkout: String) async throws(GitError) {
        try await run(["reset", "--quiet", "--hard", commit], in: checkout, timeout: .seconds(300))
    }

    /// The merge commits that brought `commit` into `HEAD` (on an ancestry path from it).
    public func mergesCarrying(_ commit: String, in checkout: String) async -> [String] {
        guard let output = try? await run(["rev-list", "--ancestry-path", "--merges", commit + "..HEAD"], in: checkout, timeout: .seconds(60)) else { return [] }
        return output.split(separator: "\n").map(String.init).filter(ObjectID.isFull)
    }

    /// The commit that added `path` (the most recent one), with its author, committer and time.
    public func commitAdding(_ path: String, in checkout: String) async -> (id: String, author: String, committer: String, time: String)? {
        guard let output = try? await run(Self.noRenames + ["log", "-1", "--diff-filter=A", "--format=%H%x00%an <%ae>%x00%cn <%ce>%x00%cI", "--", path],
                                          in: checkout, timeout: .seconds(60)) else { return nil }
        let fields = output.trimmingCharacters(in: .newlines).split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 4, ObjectID.isFull(fields[0]) else { return nil }
        return (fields[0], fields[1], fields[2], fields[3])
    }
}
