import Foundation

/// Paths of one plugin inside its workspace: the live tree and Sluice's own folders beside it.
struct PluginPaths: Sendable {
    /// The workspace folder, absolute.
    let workspace: String
    /// The plugin's name (checked before it reaches a path).
    let plugin: String

    /// `plugins/<name>`: the tree the runtime loads.
    var live: String { workspace + "/plugins/" + plugin }
    /// Where the new tree is built before the swap.
    var staging: String { workspace + "/.sluice/staging/" + plugin }
    /// Where previous trees are kept for rollback.
    var retained: String { workspace + "/.sluice/retained/" + plugin }

    /// The first of `plugins/`, `.sluice/` and `plugins/<name>` that is a symbolic link, which
    /// could lead a write out of the root; nil when none is.
    func symbolicLink() -> String? {
        for path in [workspace + "/plugins", workspace + "/.sluice", live] {
            var info = stat()
            if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK {
                return path
            }
        }
        return nil
    }

    /// The live folder's state, read from disk.
    func installed() -> InstalledPlugin? {
        guard Directory.isFolder(live) else { return nil }
        do {
            return try Stamp.read(pluginFolder: live).map { .stamped($0) } ?? .unstamped
        } catch {
            return .unreadable(error.description)
        }
    }
}
