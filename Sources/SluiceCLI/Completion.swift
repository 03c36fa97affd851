import ArgumentParser
import Foundation
import SluiceKit

/// Values for shell completion, read from the root named on the command line being completed.
///
/// Completion must never fail loudly: an unusable root completes nothing.
enum Completion {
    /// The `--root` given so far in `arguments` (`--root P` or `--root=P`), else `.`.
    static func root(in arguments: [String]) -> String {
        var root = "."
        for (index, argument) in arguments.enumerated() {
            if argument == "--root", index + 1 < arguments.count { root = arguments[index + 1] }
            if argument.hasPrefix("--root=") { root = String(argument.dropFirst("--root=".count)) }
        }
        return root
    }

    static func layout(_ arguments: [String]) -> RootLayout? {
        try? RootLayout.load(root: root(in: arguments))
    }

    static func matching(_ values: [String], _ prefix: String) -> [String] {
        Array(Set(values)).filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// Ids of the files in `pending/` (approve, reject, diff).
    @Sendable static func pendingIDs(_ arguments: [String], _ index: Int, _ prefix: String) -> [String] {
        guard let layout = layout(arguments) else { return [] }
        let store = QueueStore(layout: layout)
        return matching(store.names(in: .pending).map(QueueFileName.stem(of:)), prefix)
    }

    /// Ids of the files in `pending/` and `approved/` (diff).
    @Sendable static func queuedIDs(_ arguments: [String], _ index: Int, _ prefix: String) -> [String] {
        guard let layout = layout(arguments) else { return [] }
        let store = QueueStore(layout: layout)
        let names = store.names(in: .pending) + store.names(in: .approved)
        return matching(names.map(QueueFileName.stem(of:)) + workspacePaths(layout), prefix)
    }

    /// Files in `approved/` (apply), and the ids in `failed/` (`apply --force <id>`).
    @Sendable static func approvedFiles(_ arguments: [String], _ index: Int, _ prefix: String) -> [String] {
        guard let layout = layout(arguments) else { return [] }
        let store = QueueStore(layout: layout)
        return matching(store.names(in: .approved) + store.names(in: .failed).map(QueueFileName.stem(of:)), prefix)
    }

    /// Workspace paths relative to the root.
    @Sendable static func workspaces(_ arguments: [String], _ index: Int, _ prefix: String) -> [String] {
        guard let layout = layout(arguments) else { return [] }
        return matching(workspacePaths(layout), prefix)
    }

    /// Plugin names subscribed to or installed anywhere under the root, and in `pending/`.
    @Sendable static func plugins(_ arguments: [String], _ index: Int, _ prefix: String) -> [String] {
        guard let layout = layout(arguments) else { return [] }
        var names = QueueStore(layout: layout).read(.pending).entries.map(\.record.plugin)
        for workspace in workspacePaths(layout) {
            let folder = layout.workspacePath(workspace)
            if let manifest = try? Manifest.load(path: folder + "/" + Manifest.fileName, displayPath: workspace, policy: layout.config.sources) {
                names += manifest.plugins.map(\.name)
            }
            names += (try? FileManager.default.contentsOfDirectory(atPath: folder + "/plugins"))?.filter { !$0.hasPrefix(".") } ?? []
        }
        return matching(names, prefix)
    }

    /// Sources subscribed to anywhere under the root (`reconcile --source`).
    @Sendable static func sources(_ arguments: [String], _ index: Int, _ prefix: String) -> [String] {
        guard let layout = layout(arguments) else { return [] }
        var sources: [String] = []
        for workspace in workspacePaths(layout) {
            let folder = layout.workspacePath(workspace)
            if let manifest = try? Manifest.load(path: folder + "/" + Manifest.fileName, displayPath: workspace, policy: layout.config.sources) {
                sources += manifest.plugins.map(\.source)
            }
        }
        return matching(sources, prefix)
    }

    static func workspacePaths(_ layout: RootLayout) -> [String] {
        WorkspaceDiscovery.find(in: layout)
    }

    /// The log levels, for `--log-level`.
    static let logLevels: CompletionKind = .list(["trace", "debug", "info", "notice", "warning", "error"])
}
