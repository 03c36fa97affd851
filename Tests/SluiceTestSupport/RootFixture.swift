import Foundation
import Logging
@testable import SluiceKit

/// A real root in a temporary folder: sluice.yaml, workspaces, installed plugins and the queue.
package struct RootFixture {
    package let root: String
    package let counter = GitCounter()

    /// Creates the root with a sluice.yaml that allows local transports.
    package init(in folder: String, config: String = "sources:\n  transports: [file, git, https, ssh]\n") throws {
        root = folder + "/root"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try writeFile(root + "/sluice.yaml", config)
    }

    package func layout() throws -> RootLayout {
        try RootLayout.load(root: root)
    }

    package var git: Git { Git(transports: Set(SourceURL.Transport.allCases), counter: counter) }

    /// Writes a workspace's plugins.yaml.
    package func workspace(_ path: String, _ manifest: String) throws {
        try writeFile(root + "/" + path + "/plugins.yaml", manifest)
    }

    /// A manifest with one plugin.
    package static func manifest(_ plugin: String, source: String, track: String, extra: String = "") -> String {
        "plugins:\n  \(plugin):\n    source: \(source)\n    track: \(track)\n\(extra)"
    }

    /// Installs `sha` of `repository` into a workspace with a stamp, as an earlier apply would.
    package func install(_ workspace: String, _ plugin: String, from repository: UpstreamRepository, sha: String, ref: String?, track: String, subpath: String? = nil) async throws {
        let target = root + "/" + workspace + "/plugins/" + plugin
        try FileManager.default.createDirectory(atPath: root + "/" + workspace + "/plugins", withIntermediateDirectories: true)
        try await TreeExporter(git: git).export(repo: repository.bare, sha: sha, subpath: subpath, into: target, maxBytes: 1 << 30)
        let stamp = Stamp(plugin: plugin, source: repository.url, subpath: subpath, track: track, ref: ref, sha: sha,
                          digest: try TreeDigest.digest(of: target), installed: "2026-01-01T00:00:00Z")
        try AtomicFile.write(Data(try stamp.encoded().utf8), to: target + "/" + Stamp.fileName)
    }

    /// Runs one reconcile pass through the library.
    @discardableResult
    package func reconcile(scope: Reconciler.Scope = .all, now: Date = Date()) async throws -> ReconcileReport {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return try await Reconciler(layout: try layout(), git: git, logger: logger, now: { now }).run(scope: scope)
    }

    /// The folder of a queue state.
    package func folder(_ state: QueueFolder) -> String { root + "/updates/" + state.rawValue }

    /// The records in a queue folder, by file name.
    package func records(_ state: QueueFolder) throws -> [String: UpdateRecord] {
        var result: [String: UpdateRecord] = [:]
        for name in listFolder(folder(state)) where name.hasSuffix(".yaml") {
            result[name] = try QueueStore.decode(file: folder(state) + "/" + name).get()
        }
        return result
    }

    /// The single record for a workspace and plugin in a folder, if any.
    package func record(_ state: QueueFolder, workspace: String, plugin: String) throws -> UpdateRecord? {
        try records(state).values.first { $0.workspace == workspace && $0.plugin == plugin }
    }

    /// Moves a file between queue folders as an operator's `mv` would.
    package func move(_ fileName: String, from: QueueFolder, to: QueueFolder) throws {
        try FileManager.default.moveItem(atPath: folder(from) + "/" + fileName, toPath: folder(to) + "/" + fileName)
    }
}
