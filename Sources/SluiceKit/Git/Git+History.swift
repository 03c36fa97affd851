import Foundation

/// Making history, for the bundled demo: committing a folder and tagging the commit.
extension Git {
    /// Who a commit or tag is by, and when (the `GIT_AUTHOR_*` and `GIT_COMMITTER_*` variables).
    public struct Identity: Sendable, Hashable {
        /// Name of author and committer.
        public var name: String
        /// Their e-mail address.
        public var email: String
        /// The date of the commit or tag (ISO 8601).
        public var date: String

        /// Creates an identity.
        public init(name: String, email: String, date: String) {
            self.name = name
            self.email = email
            self.date = date
        }

        var environment: [String: String] {
            ["GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": date,
             "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email, "GIT_COMMITTER_DATE": date]
        }
    }

    /// Commits every file of the folder `tree` onto `HEAD` of the bare repository `repo`.
    ///
    /// - Returns: The new commit's SHA.
    @discardableResult
    public func commitAll(of tree: String, into repo: String, message: String, by identity: Identity) async throws(GitError) -> String {
        try await run(["--git-dir=" + repo, "--work-tree=" + tree, "add", "--all", "."], in: tree, timeout: .seconds(60))
        try await run(["--git-dir=" + repo, "--work-tree=" + tree, "commit", "--quiet", "--allow-empty", "-m", message], in: tree, timeout: .seconds(60), environment: identity.environment)
        return try await headCommit(of: repo)
    }

    /// Puts the annotated tag `name` on `HEAD` of `repo`.
    public func tagHead(_ name: String, in repo: String, message: String, by identity: Identity) async throws(GitError) {
        try await run(["--git-dir=" + repo, "tag", "-a", "-m", message, "--", name], timeout: .seconds(30), environment: identity.environment)
    }

    /// The SHA `HEAD` of `repo` points at.
    public func headCommit(of repo: String) async throws(GitError) -> String {
        try await run(["--git-dir=" + repo, "rev-parse", "HEAD"], timeout: .seconds(30)).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
