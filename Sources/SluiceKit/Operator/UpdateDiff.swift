import Foundation

/// What an update would change if it were applied: paths, the classifier's verdict and why,
/// and optionally the full text diff. An operator decides from this before approving.
public struct UpdateDiff: Sendable, Codable {
    /// The update's id.
    public var id: String
    /// Workspace path.
    public var workspace: String
    /// Plugin name.
    public var plugin: String
    /// Kind of update.
    public var kind: UpdateKind
    /// What is installed now.
    public var from: RefPoint?
    /// What would be installed.
    public var to: RefPoint?
    /// `hot` or `restart`.
    public var verdict: String
    /// Why.
    public var why: String
    /// Added, removed and modified paths.
    public var changes: ChangeSummary
    /// The unified diff (`--patch`), live tree to new tree, stamp excluded.
    public var patch: String?
    /// Whether the live tree no longer matches its stamp's digest (edited in place): apply
    /// refuses the update without `--force`, and the diff is against the edited tree.
    public var modifiedLocally: Bool

    /// Computes the diff of `record` against the live tree, fetching the target into the cache.
    ///
    /// - Throws: ``GitError`` or ``InstallError`` when the target cannot be fetched or exported.
    public static func compute(_ record: UpdateRecord, layout: RootLayout, git: Git, patch: Bool) async throws -> UpdateDiff {
        let workspace = layout.workspacePath(record.workspace)
        if let problem = layout.workspaceProblem(record.workspace) { throw SluiceError.usage(problem) }
        if let problem = PluginName.problem(with: record.plugin) { throw SluiceError.usage(problem) }
        let live = workspace + "/plugins/" + record.plugin
        let liveExists = Directory.isFolder(live)
        let old = liveExists ? (try? TreeDigest.files(of: live)) : nil
        let stamp = PluginPaths(workspace: workspace, plugin: record.plugin).installed()?.stamp
        let modified = old.map { files in stamp.map { TreeDigest.digest(of: files) != $0.digest } ?? false } ?? false
        var tree: (path: String, files: [String: TreeDigest.Entry], digest: String)?
        if let to = record.to {
            guard ObjectID.isFull(to.sha) else { throw SluiceError.usage("to.sha '\(to.sha)' is not a full commit id") }
            tree = try await PreparedTrees(layout: layout, git: git).tree(source: record.source, sha: to.sha, subpath: record.subpath)
        }
        let manifest = try? Manifest.load(path: workspace + "/" + Manifest.fileName, displayPath: record.workspace, policy: layout.config.sources)
        let restart = manifest?.entry(named: record.plugin)?.restart ?? false
        let result = Classifier.classify(old: old, new: tree?.files, hotPatterns: layout.config.hotPatterns, forceRestart: restart)
        var text: String?
        if patch {
            text = try await unifiedDiff(old: liveExists ? live : nil, new: tree?.path, layout: layout, git: git)
        }
        return UpdateDiff(id: record.id, workspace: record.workspace, plugin: record.plugin, kind: record.kind, from: record.from, to: record.to,
                          verdict: result.verdict.rawValue, why: result.why, changes: result.changes, patch: text, modifiedLocally: modified)
    }

    /// `git diff --no-index` between the two trees, with paths shown relative to the plugin and
    /// the stamp left out.
    static func unifiedDiff(old: String?, new: String?, layout: RootLayout, git: Git) async throws -> String {
        let empty = layout.state + "/trees/" + TemporaryName.make(for: "empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let left = old ?? empty
        let right = new ?? empty
        let output = try await git.diff(left, right)
        var sections: [String] = []
        for section in output.components(separatedBy: "\ndiff --git ").enumerated().map({ $0.offset == 0 ? $0.element : "diff --git " + $0.element }) {
            if section.contains("/" + Stamp.fileName + " ") || section.contains("/" + Stamp.fileName + "\n") { continue }
            sections.append(section)
        }
        // git prints the two folders' paths without their leading "/"; show paths inside the plugin.
        var text = sections.joined(separator: "\n")
        for (prefix, folder) in [("a/", left), ("b/", right), ("a/", right), ("b/", left)] {
            let bare = folder.hasPrefix("/") ? String(folder.dropFirst()) : folder
            text = text.replacingOccurrences(of: prefix + bare + "/", with: prefix)
        }
        return text
    }
}
