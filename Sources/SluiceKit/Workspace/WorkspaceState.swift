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
    ///   - cache: Parsed files from earlier passes, reused while unchanged.
    public static func read(_ relative: String, layout: RootLayout, cache: ReadCache = ReadCache()) -> WorkspaceState {
        let folder = layout.workspacePath(relative)
        if let unchanged = cache.unchangedWorkspace(folder) { return unchanged }
        let names = cache.listing(folder + "/plugins").filter { $0.isFolder && PluginName.isValid($0.name) }.map(\.name).sorted()
        let before = cache.identities([folder + "/" + Manifest.fileName, folder + "/plugins"]
            + names.map { folder + "/plugins/" + $0 + "/" + Stamp.fileName })
        let display = relative == "." ? Manifest.fileName : relative + "/" + Manifest.fileName
        let manifest = cache.manifest(folder + "/" + Manifest.fileName) { () -> Result<Manifest, ValidationError> in
            do throws(ValidationError) {
                return .success(try Manifest.load(path: folder + "/" + Manifest.fileName, displayPath: display, policy: layout.config.sources))
            } catch {
                return .failure(error)
            }
        }
        let installed = installedPlugins(in: folder + "/plugins", cache: cache)
        let state = WorkspaceState(path: relative, manifest: manifest, installed: installed)
        cache.remember(folder, state: state, files: before)
        return state
    }

    /// Reads the plugin folders of `pluginsFolder`: names that are valid plugin names and are
    /// real folders (not links); anything else there is not Sluice's business.
    public static func installedPlugins(in pluginsFolder: String, cache: ReadCache = ReadCache()) -> [String: InstalledPlugin] {
        var result: [String: InstalledPlugin] = [:]
        for entry in cache.listing(pluginsFolder) where entry.isFolder && PluginName.isValid(entry.name) {
            let name = entry.name
            let path = pluginsFolder + "/" + name
            result[name] = cache.stamp(path + "/" + Stamp.fileName) { () -> InstalledPlugin in
                do throws(StampError) {
                    return try Stamp.read(pluginFolder: path).map { .stamped($0) } ?? .unstamped
                } catch {
                    return .unreadable(error.description)
                }
            }
        }
        return result
    }
}
