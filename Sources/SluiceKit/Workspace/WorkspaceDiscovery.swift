import Foundation

/// Finds the workspaces under a root: folders that hold a `plugins.yaml`.
///
/// The walk never follows symbolic links (a link could lead out of the root), skips hidden
/// folders, the queue and the state folder, never descends into a workspace it found, and
/// stops at ``SluiceConfig/maxDepth``.
public enum WorkspaceDiscovery {
    /// The workspaces' paths relative to the root, sorted.
    ///
    /// - Parameter visiting: Called with every folder the result depends on (the root, each
    ///   folder listed, each folder probed for a `plugins.yaml`) before it is listed or probed,
    ///   so that a caller can watch it first.
    public static func find(in layout: RootLayout, visiting: (String) -> Void = { _ in }) -> [String] {
        var found: [String] = []
        let skipped: Set<String> = [layout.config.queue, layout.config.state]
        visiting(layout.root)
        if Directory.isRegularFile(layout.root + "/" + Manifest.fileName) { return ["."] }
        walk(layout.root, relative: "", depth: 1, layout: layout, skipped: skipped, visiting: visiting, into: &found)
        return found.sorted()
    }

    private static func walk(_ folder: String, relative: String, depth: Int, layout: RootLayout, skipped: Set<String>,
                             visiting: (String) -> Void, into found: inout [String]) {
        guard depth <= layout.config.maxDepth else { return }
        for entry in Directory.entries(folder).sorted(by: { $0.name < $1.name }) where entry.isFolder && !entry.name.hasPrefix(".") {
            let name = entry.name
            let path = folder + "/" + name
            let rel = relative.isEmpty ? name : relative + "/" + name
            guard !skipped.contains(rel) else { continue }
            if layout.config.exclude.contains(where: { fnmatch($0, rel, 0) == 0 }) { continue }
            visiting(path)
            if Directory.isRegularFile(path + "/" + Manifest.fileName) {
                found.append(rel)
            } else if name != "plugins" {
                walk(path, relative: rel, depth: depth + 1, layout: layout, skipped: skipped, visiting: visiting, into: &found)
            }
        }
    }
}
