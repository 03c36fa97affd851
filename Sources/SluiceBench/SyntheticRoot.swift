import Foundation
import SluiceKit

/// The synthetic upstream: S bare repositories with T annotated tags each.
struct SyntheticUpstream {
    /// The scratch folder everything lives in.
    var scratch: String
    /// The commit of each source's last tag (`v1.0.(T-1)`).
    var latest: [String] = []
    /// The commit of each source's tag before it (`v1.0.(T-2)`).
    var older: [String] = []
    var tags: Int

    /// Writes the repositories with `git fast-import`.
    init(scratch: String, sources: Int, tags: Int) async throws {
        self.scratch = scratch
        self.tags = tags
        for source in 0..<sources {
            let repo = url(source).dropFirst("file://".count)
            try await shell("git init --quiet --bare \(repo)")
            var stream = ""
            for tag in 0..<tags {
                let manifest = "name: p\(source)\nversion: 1.0.\(tag)\n"
                let skill = "# Skill of source \(source)\n\nRelease \(tag).\n"
                stream += "commit refs/heads/main\nmark :\(tag + 1)\ncommitter B <b@example.invalid> \(1_700_000_000 + tag) +0000\ndata 3\nrel\n"
                if tag > 0 { stream += "from :\(tag)\n" }
                stream += "M 644 inline plugin.yaml\ndata \(manifest.utf8.count)\n\(manifest)\n"
                stream += "M 644 inline skills/s/SKILL.md\ndata \(skill.utf8.count)\n\(skill)\n"
                stream += "tag v1.0.\(tag)\nfrom :\(tag + 1)\ntagger B <b@example.invalid> \(1_700_000_000 + tag) +0000\ndata 3\nrel\n"
            }
            try stream.write(toFile: repo + ".fi", atomically: false, encoding: .utf8)
            try await shell("cd \(repo) && git fast-import --quiet < \(repo).fi && rm \(repo).fi")
            latest.append(try await shell("git -C \(repo) rev-parse v1.0.\(tags - 1)^{commit}").trimmingCharacters(in: .whitespacesAndNewlines))
            older.append(try await shell("git -C \(repo) rev-parse v1.0.\(tags - 2)^{commit}").trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// The URL of source `index`.
    func url(_ index: Int) -> String { "file://\(scratch)/upstream/src\(index).git" }

    /// The stamp text of plugin `plugin` installed from `source` at tag `v1.0.<tag>`.
    func stampText(_ plugin: Int, source: Int, latest isLatest: Bool, digest: String = "sha256:0") -> String {
        let tag = isLatest ? tags - 1 : tags - 2
        let sha = isLatest ? latest[source] : older[source]
        return "format: 1\nplugin: p\(plugin)\nsource: \(url(source))\ntrack: tag:latest\nref: v1.0.\(tag)\nsha: \(sha)\ndigest: \(digest)\ninstalled: '2026-01-01T00:00:00Z'\n"
    }
}

/// A synthetic root: W workspaces in groups of 100, each with P subscriptions over S sources,
/// every plugin installed and stamped.
struct SyntheticRoot {
    var path: String
    var workspaces: Int
    var plugins: Int
    var sources: Int
    /// Every manifest and stamp: what a pass must read besides the queue.
    var inputFiles: [String] = []

    /// Writes the root; each stamp is on the latest tag, or on the one before when `released`.
    init(path: String, workspaces: Int, plugins: Int, upstream: SyntheticUpstream, released: Bool) throws {
        self.path = path
        self.workspaces = workspaces
        self.plugins = plugins
        self.sources = upstream.latest.count
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try "sources:\n  transports: [file]\ngit:\n  concurrency: 8\n".write(toFile: path + "/sluice.yaml", atomically: true, encoding: .utf8)
        var digests: [Int: String] = [:]
        for workspace in 0..<workspaces {
            let folder = path + "/" + Self.workspacePath(workspace)
            var manifest = "plugins:\n"
            for plugin in 0..<plugins {
                let source = sourceIndex(workspace, plugin)
                manifest += "  p\(plugin):\n    source: \(upstream.url(source))\n    track: tag:latest\n"
                let pluginFolder = folder + "/plugins/p\(plugin)"
                try FileManager.default.createDirectory(atPath: pluginFolder, withIntermediateDirectories: true)
                try "name: p\(plugin)\n".write(toFile: pluginFolder + "/plugin.yaml", atomically: false, encoding: .utf8)
                // The released root is what `status` is measured on: its stamps carry their tree's
                // real digest, so that it reports each plugin as pending rather than modified.
                var digest = "sha256:0"
                if released {
                    if digests[plugin] == nil { digests[plugin] = try TreeDigest.digest(of: pluginFolder) }
                    digest = digests[plugin] ?? digest
                }
                try upstream.stampText(plugin, source: source, latest: !released, digest: digest).write(toFile: pluginFolder + "/" + Stamp.fileName, atomically: false, encoding: .utf8)
                inputFiles.append(pluginFolder + "/" + Stamp.fileName)
            }
            try manifest.write(toFile: folder + "/" + Manifest.fileName, atomically: false, encoding: .utf8)
            inputFiles.append(folder + "/" + Manifest.fileName)
        }
    }

    func sourceIndex(_ workspace: Int, _ plugin: Int) -> Int { (workspace + plugin) % sources }

    static func workspacePath(_ workspace: Int) -> String { String(format: "g%03d/w%05d", workspace / 100, workspace) }

    /// The stamp of one plugin of one workspace.
    func stampPath(_ workspace: Int, _ plugin: Int) -> String {
        path + "/" + Self.workspacePath(workspace) + "/plugins/p\(plugin)/" + Stamp.fileName
    }

    /// The `pending/` folder.
    var pending: String { path + "/updates/pending" }
}
