import Foundation

/// Writes the tree of one commit (or a folder inside it) from a cache repository into a folder.
///
/// Git itself writes the files (`read-tree` and `checkout-index` with a private index), so paths
/// are checked by git (no `..`, no `.git`) and no `.git` folder is produced. After export the
/// tree is checked: its size against the limit, and every symbolic link must stay inside it.
public struct TreeExporter: Sendable {
    /// The git choke point.
    public let git: Git

    /// Creates an exporter.
    public init(git: Git) {
        self.git = git
    }

    /// Exports `sha` (or `sha:subpath`) from `repo` into `destination`, which must not exist.
    ///
    /// - Throws: ``InstallError`` for a missing subpath, an oversized tree or an escaping link;
    ///   ``GitError`` when git fails. On any error `destination` is removed.
    public func export(repo: String, sha: String, subpath: String?, into destination: String, maxBytes: Int) async throws {
        let treeish = subpath.map { "\(sha):\($0)" } ?? "\(sha)^{tree}"
        guard await git.objectType(treeish, in: repo) == "tree" else {
            throw subpath == nil ? GitError(arguments: ["cat-file", "-t", treeish], status: nil, message: "commit \(sha) has no readable tree in \(repo)")
                                 : InstallError.subpathMissing(subpath ?? "", sha)
        }
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: false)
        let index = destination + ".index"
        defer { try? FileManager.default.removeItem(atPath: index) }
        do {
            try await git.exportTree(treeish, from: repo, into: destination, index: index)
            try Self.check(destination, maxBytes: maxBytes)
        } catch {
            try? FileManager.default.removeItem(atPath: destination)
            throw error
        }
    }

    /// Refuses a tree over `maxBytes` or with a link pointing outside it.
    static func check(_ folder: String, maxBytes: Int) throws {
        var total = 0
        let root = (folder as NSString).standardizingPath
        try TreeDigest.walk(folder, relative: "") { relative, path, isLink in
            if isLink {
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? ""
                let base = ((root + "/" + relative) as NSString).deletingLastPathComponent
                let resolved = target.hasPrefix("/") ? target : ((base + "/" + target) as NSString).standardizingPath
                guard !target.hasPrefix("/"), resolved == root || resolved.hasPrefix(root + "/") else {
                    throw InstallError.linkEscapes(relative, target)
                }
            } else {
                var info = stat()
                if lstat(path, &info) == 0 { total += Int(info.st_size) }
                if total > maxBytes { throw InstallError.tooLarge(maxBytes) }
            }
        }
    }
}
