/// The index of a git checkout.
extension Git {
    /// Stages moved files in the checkout at `checkout`: the old paths leave the index and the
    /// new ones enter it, the equivalent of `git mv` that also works for a file git never tracked.
    ///
    /// - Parameters:
    ///   - sources: The old paths, relative to `checkout`.
    ///   - destinations: The new paths, relative to `checkout`.
    public func stageMove(from sources: [String], to destinations: [String], in checkout: String) async throws(GitError) {
        try await run(["rm", "--cached", "--quiet", "--ignore-unmatch", "--"] + sources, in: checkout, timeout: .seconds(60))
        try await run(["add", "--"] + destinations, in: checkout, timeout: .seconds(60))
    }
}
