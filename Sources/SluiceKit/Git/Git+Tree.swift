/// Trees on disk: writing one out of a repository, and comparing two folders.
extension Git {
    /// Writes the tree `treeish` of the bare repository `repo` into the existing folder
    /// `destination`, through the private index file `index` (`read-tree`, then
    /// `checkout-index`), so git itself checks every path and no `.git` folder is produced.
    public func exportTree(_ treeish: String, from repo: String, into destination: String, index: String) async throws(GitError) {
        let environment = ["GIT_INDEX_FILE": index]
        try await run(["--git-dir=" + repo, "--work-tree=" + destination, "read-tree", treeish], timeout: .seconds(120), environment: environment)
        try await run(["--git-dir=" + repo, "--work-tree=" + destination, "checkout-index", "--all", "--force"], in: destination, timeout: .seconds(300), environment: environment)
    }

    /// The unified diff from folder `left` to folder `right` (`git diff --no-index`), with
    /// `a/` and `b/` prefixes; empty when they are equal.
    public func diff(_ left: String, _ right: String) async throws(GitError) -> String {
        try await run(["diff", "--no-index", "--no-color", "--no-ext-diff", "--src-prefix=a/", "--dst-prefix=b/", "--", left, right],
                      timeout: .seconds(120), success: [0, 1])
    }
}
