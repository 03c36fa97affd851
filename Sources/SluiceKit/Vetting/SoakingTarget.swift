import Foundation

/// A target waiting for its subscription's `min-age`: in `reconcile --json`, and in
/// `<state>/soaking.json` for `pending`.
public struct SoakingTarget: Codable, Sendable, Hashable {
    /// Workspace path.
    public var workspace: String
    /// Plugin name.
    public var plugin: String
    /// The target's ref and commit.
    public var to: RefPoint
    /// When it becomes eligible, ISO 8601.
    public var until: String

    /// Creates an entry.
    public init(workspace: String, plugin: String, to: RefPoint, until: String) {
        self.workspace = workspace
        self.plugin = plugin
        self.to = to
        self.until = until
    }

    /// The file `reconcile` keeps the soaking targets in, under the state folder.
    public static func path(state: String) -> String { state + "/soaking.json" }

    /// The targets a snapshot found soaking, soonest first.
    public static func list(in snapshot: Snapshot) -> [SoakingTarget] {
        var result: [(Date, SoakingTarget)] = []
        for (workspace, plugins) in snapshot.vetting {
            for (plugin, vetting) in plugins {
                guard let point = vetting.soaking, let until = vetting.eligibleAt else { continue }
                result.append((until, SoakingTarget(workspace: workspace, plugin: plugin, to: point, until: Timestamp.string(until))))
            }
        }
        return result.sorted { ($0.0, $0.1.workspace, $0.1.plugin) < ($1.0, $1.1.workspace, $1.1.plugin) }.map(\.1)
    }

    /// Reads `<state>/soaking.json`; empty when there is none.
    public static func read(state: String) -> [SoakingTarget] {
        guard let data = FileManager.default.contents(atPath: path(state: state)) else { return [] }
        return (try? JSONDecoder().decode([SoakingTarget].self, from: data)) ?? []
    }

    /// Replaces, in `<state>/soaking.json`, the entries of the workspaces a pass covered.
    public static func record(_ targets: [SoakingTarget], covering workspaces: Set<String>, state: String) throws {
        let kept = read(state: state).filter { !workspaces.contains($0.workspace) }
        let all = (kept + targets).sorted { ($0.until, $0.workspace, $0.plugin) < ($1.until, $1.workspace, $1.plugin) }
        if all.isEmpty, !FileManager.default.fileExists(atPath: path(state: state)) { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try AtomicFile.write(try encoder.encode(all), to: path(state: state))
    }
}
