import Foundation

/// Finds the workspaces under a root: folders that hold a `plugins.yaml`.
///
/// The walk never follows symbolic links (a link could lead out of the root), skips hidden
/// folders, the queue and the state folder, never descends into a workspace it found, and
/// stops at ``SluiceConfig/maxDepth``.
public enum WorkspaceDiscovery {
    /// The workspaces' paths relative to the root, sorted.
    public static func find(in layout: RootLayout) -> [String] {
        var found: [String] = []
        let skipped: Set<String> = [layout.config.queue, layout.config.state]
        if Directory.isRegularFile(layout.root + "/" + Manifest.fileName) { return ["."] }
        walk(layout.root, relative: "", depth: 1, layout: layout, skipped: skipped, into: &found)
        return found.sorted()
    }

    private static func walk(_ folder: String, relative: String, depth: Int, layout: RootLayout, skipped: Set<String>, into found: inout [String]) {
        guard depth <= layout.config.maxDepth else { return }
        for entry in Directory.entries(folder).sorted(by: { $0.name < $1.name }) where entry.isFolder && !entry.name.hasPrefix(".") {
            let name = entry.name
            let path = folder + "/" + name
            let rel = relative.isEmpty ? name : relative + "/" + name
            guard !skipped.contains(rel) else { continue }
            if layout.config.exclude.contains(where: { fnmatch($0, rel, 0) == 0 }) { continue }
            if Directory.isRegularFile(path + "/" + Manifest.fileName) {
                found.append(rel)
            } else if name != "plugins" {
                walk(path, relative: rel, depth: depth + 1, layout: layout, skipped: skipped, into: &found)
            }
        }
    }
}
