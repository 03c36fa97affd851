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

    /// Every folder apply, install and rollback write into for this plugin, parents first:
    /// `plugins`, `plugins/<name>`, `.sluice`, `.sluice/staging`, `staging/<name>`,
    /// `staging/<name>.old`, `.sluice/retained`, `retained/<name>`.
    var writtenFolders: [String] {
        [workspace + "/plugins", live, workspace + "/.sluice", workspace + "/.sluice/staging", staging, staging + TreeSwap.asideSuffix,
         workspace + "/.sluice/retained", retained]
    }

    /// The first folder Sluice writes into for this plugin that is a symbolic link, or is
    /// reached through one, below `root` (``ConfinedPath``); nil when none is. A link could lead
    /// a write out of the root. Other problems (a file where a folder goes) fail the write itself.
    func symbolicLink(beneath root: String) -> String? {
        let confined = ConfinedPath(root: root)
        for path in writtenFolders {
            do throws(ConfinementError) {
                try confined.check(path)
            } catch where error.kind == .symbolicLink {
                return error.path
            } catch {
                continue
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
