import Foundation
import Yams

/// Lays out the bundled example as a working root, offline: real git repositories with tags
/// built from `examples/sources`, the workspaces of `examples/root`, and the installs listed in
/// `examples/demo.yaml`.
public struct DemoBuilder: Sendable {
    /// The `examples` folder.
    public let examples: String
    /// Where the demo is laid out (`<destination>/root` and `<destination>/upstream`).
    public let destination: String
    /// The git choke point.
    public let git: Git

    /// Creates a builder.
    public init(examples: String, destination: String, git: Git) {
        self.examples = Paths.absolute(examples)
        self.destination = Paths.absolute(destination)
        self.git = git
    }

    /// The demo root.
    public var root: String { destination + "/root" }
    /// The folder of the upstream repositories.
    public var upstream: String { destination + "/upstream" }

    private struct Plan: Decodable {
        var installed: [String: [String: String]]
    }

    /// Builds the demo, replacing an earlier one at the same place.
    ///
    /// - Throws: ``SluiceError/usage(_:)`` when `examples` is not the bundled folder, or the
    ///   error of the step that failed.
    public func build() async throws {
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: examples + "/sources"), fileManager.fileExists(atPath: examples + "/root") else {
            throw SluiceError.usage("'\(examples)' does not hold sources/ and root/; run the demo from the repository's top folder or pass --examples")
        }
        if fileManager.fileExists(atPath: destination) {
            guard fileManager.fileExists(atPath: destination + "/.sluice-demo") else {
                throw SluiceError.usage("'\(destination)' exists and is not a demo folder; choose another --into")
            }
            try fileManager.removeItem(atPath: destination)
        }
        try fileManager.createDirectory(atPath: upstream, withIntermediateDirectories: true)
        _ = fileManager.createFile(atPath: destination + "/.sluice-demo", contents: Data("made by sluice demo\n".utf8))

        var tags: [String: [String: String]] = [:]
        for plugin in try fileManager.contentsOfDirectory(atPath: examples + "/sources").sorted() where PluginName.isValid(plugin) {
            tags[plugin] = try await makeRepository(plugin)
        }
        try fileManager.copyItem(atPath: examples + "/root", toPath: root)
        let url = "file://" + upstream
        for workspace in WorkspaceDiscovery.find(in: RootLayout(root: root, config: try SluiceConfig.load(root: root))) {
            let path = root + "/" + workspace + "/" + Manifest.fileName
            let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "${UPSTREAM}", with: url)
            try AtomicFile.write(Data(text.utf8), to: path)
        }
        try await installSeeds(tags: tags)
    }

    /// Makes `upstream/<plugin>.git` with one commit and one annotated tag per version folder.
    private func makeRepository(_ plugin: String) async throws -> [String: String] {
        let repo = upstream + "/" + plugin + ".git"
        try await git.initBare(at: repo, initialBranch: "main")
        let versions = try FileManager.default.contentsOfDirectory(atPath: examples + "/sources/" + plugin)
            .compactMap(TagVersion.init(tag:)).sorted()
        var shas: [String: String] = [:]
        for (index, version) in versions.enumerated() {
            let tree = examples + "/sources/" + plugin + "/" + version.tag
            let date = "2026-0\(1 + index % 9)-01T12:00:00Z"
            let identity = Git.Identity(name: "Acme Plugins", email: "plugins@example.invalid", date: date)
            shas[version.tag] = try await git.commitAll(of: tree, into: repo, message: "\(plugin) \(version.tag)", by: identity)
            try await git.tagHead(version.tag, in: repo, message: "release \(version.tag)", by: identity)
        }
        try? FileManager.default.removeItem(atPath: repo + "/index")
        return shas
    }

    /// Installs the versions listed in `demo.yaml`, as an earlier one-shot install left them.
    private func installSeeds(tags: [String: [String: String]]) async throws {
        guard let data = FileManager.default.contents(atPath: examples + "/demo.yaml") else { return }
        let plan = try YAMLDecoder().decode(Plan.self, from: data)
        let exporter = TreeExporter(git: git)
        for (workspace, plugins) in plan.installed.sorted(by: { $0.key < $1.key }) {
            let folder = root + "/" + workspace
            let manifest = try Manifest.load(path: folder + "/" + Manifest.fileName, displayPath: workspace, policy: SourcePolicy(transports: [.file], allow: []))
            try FileManager.default.createDirectory(atPath: folder + "/plugins", withIntermediateDirectories: true)
            for (plugin, tag) in plugins.sorted(by: { $0.key < $1.key }) {
                guard let sha = tags[plugin]?[tag], let entry = manifest.entry(named: plugin) else {
                    throw SluiceError.usage("demo.yaml installs \(plugin) \(tag) in \(workspace), but no such version or subscription exists")
                }
                let target = folder + "/plugins/" + plugin
                try await exporter.export(repo: upstream + "/" + plugin + ".git", sha: sha, subpath: nil, into: target, maxBytes: 10_000_000)
                let stamp = Stamp(plugin: plugin, source: entry.source, subpath: nil, track: entry.track.description, ref: tag, sha: sha,
                                  digest: try TreeDigest.digest(of: target), installed: "2026-11-01T09:00:00Z")
                try AtomicFile.write(Data(try stamp.encoded().utf8), to: target + "/" + Stamp.fileName)
            }
        }
    }
}
