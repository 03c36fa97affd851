extension Git {
    /// Lists the branches and tags `source` advertises (`git ls-remote --heads --tags`).
    ///
    /// - Parameters:
    ///   - source: The repository's URL; it is passed after `--`.
    ///   - timeout: How long the listing may take.
    /// - Throws: ``GitError`` when the source cannot be listed.
    public func listRefs(source: String, timeout: Duration) async throws(GitError) -> RemoteRefs {
        let output = try await run(["ls-remote", "--heads", "--tags", "--", source], timeout: timeout)
        return RemoteRefs(lsRemoteOutput: output)
    }
}
