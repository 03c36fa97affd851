import Foundation

/// A workspace as read from disk: its manifest (or why it is unusable) and its plugin folders.
public struct WorkspaceState: Sendable {
    /// The path relative to the root.
    public var path: String
    /// The parsed manifest, or the diagnostics that make it unusable.
    public var manifest: Result<Manifest, ValidationError>
    /// The plugin folders under `plugins/`, by name.
    public var installed: [String: InstalledPlugin]

    /// Reads a workspace.
    ///
    /// - Parameters:
    ///   - relative: The workspace path relative to the root.
    ///   - layout: The root's layout and configuration.
    public static func read(_ relative: String, layout: RootLayout) -> WorkspaceState {
        let folder = layout.workspacePath(relative)
        let display = relative == "." ? Manifest.fileName : relative + "/" + Manifest.fileName
        let manifest: Result<Manifest, ValidationError>
        do {
            manifest = .success(try Manifest.load(path: folder + "/" + Manifest.fileName, displayPath: display, policy: layout.config.sources))
        } catch {
            manifest = .failure(error)
        }
        return WorkspaceState(path: relative, manifest: manifest, installed: installedPlugins(in: folder + "/plugins"))
    }

    /// Reads the plugin folders of `pluginsFolder`: names that are valid plugin names and are
    /// real folders (not links); anything else there is not Sluice's business.
    public static func installedPlugins(in pluginsFolder: String) -> [String: InstalledPlugin] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: pluginsFolder) else { return [:] }
        var result: [String: InstalledPlugin] = [:]
        for name in names where PluginName.isValid(name) {
            let path = pluginsFolder + "/" + name
            guard WorkspaceDiscovery.isFolder(path) else { continue }
            do {
                if let stamp = try Stamp.read(pluginFolder: path) {
                    result[name] = .stamped(stamp)
                } else {
                    result[name] = .unstamped
                }
            } catch {
                result[name] = .unreadable(error.description)
            }
        }
        return result
    }
}
