import Foundation

/// Reading release objects for the release policy: an object's text (for its date and
/// signature), a signature checked against given keys only, and the tree at a subpath.
extension Git {
    /// The text of `object` as `git cat-file <type>` prints it (headers, blank line, message).
    public func objectText(_ object: String, type: ObjectKind, in repo: String) async throws(GitError) -> String {
        try await run(["cat-file", type.rawValue, object], in: repo, timeout: .seconds(30))
    }

    /// Checks the signature of the tag or commit `object` against the given keys only.
    ///
    /// Git's own `verify-tag`/`verify-commit --raw` runs with no global or system configuration,
    /// `gpg.ssh.allowedSignersFile` set to `allowedSigners` (or `/dev/null`) and `GNUPGHOME` set
    /// to `gnupgHome`, so that neither the user's keys nor their trust settings count.
    /// - Returns: whether git accepted the signature, and what the signing program reported.
    public func verifySignature(of object: String, type: ObjectKind, in repo: String, allowedSigners: String?, gnupgHome: String) async throws(GitError) -> (good: Bool, report: String) {
        let command = type == .tag ? "verify-tag" : "verify-commit"
        let arguments = ["-c", "gpg.ssh.allowedSignersFile=" + (allowedSigners ?? "/dev/null"), "-c", "gpg.minTrustLevel=undefined",
                         command, "--raw", object]
        let output = try await execute(arguments, in: repo, timeout: .seconds(30), environment: [
            "GNUPGHOME": gnupgHome, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
        ])
        return (output.status.exitCode == 0, output.standardError + output.standardOutput)
    }

    /// The id of the tree at `path` in `commit` (the commit's root tree when `path` is nil), or
    /// nil when the commit has no folder there.
    public func treeID(of commit: String, at path: String?, in repo: String) async -> String? {
        let spec = commit + ":" + (path ?? "")
        // `<commit>:<path>` names the object at that path; a suffix such as `^{tree}` would be read
        // as part of the path.
        let output = try? await run(["rev-parse", "--verify", "--quiet", "--end-of-options", spec], in: repo, timeout: .seconds(30))
        return output?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The object types the release policy reads.
    public enum ObjectKind: String, Sendable {
        /// An annotated tag.
        case tag
        /// A commit.
        case commit
    }
}
