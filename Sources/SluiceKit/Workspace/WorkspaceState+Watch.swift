import Foundation

extension WorkspaceState {
    /// Watches the folders a workspace is read from, before anything in them is read or checked:
    /// the workspace folder (for `plugins.yaml` and `plugins/` itself), `plugins/`, and each
    /// plugin folder (for its stamp). A change made after this is an event of a later drain.
    ///
    /// - Parameter plugins: The plugin folder names, called once `plugins/` is watched (so that
    ///   a folder added after the listing is an event too).
    /// - Returns: the names, and whether every watch is in place (a folder gone meanwhile counts
    ///   as watched: its removal is an event in the watched folder above it). False on a remote
    ///   filesystem, at the watch limit, or when a folder is a link: the workspace is then
    ///   checked by `stat` in every pass.
    static func watch(_ folder: String, watcher: ChangeWatcher, plugins: () -> [String]) -> (names: [String], watched: Bool) {
        var watched = watcher.watch(folder, checkFilesystem: true)
        if watched { watched = watchOrAbsent(folder + "/plugins", watcher: watcher) }
        let names = plugins()
        for name in names where watched {
            watched = watchOrAbsent(folder + "/plugins/" + name, watcher: watcher)
        }
        return (names, watched)
    }

    /// Whether the files a workspace is read from are seen changing by the watches of their
    /// folders: each is missing or a regular file with one link. A write through another hard
    /// link, or to the target of a symbolic link, makes no event in the watched folder.
    static func filesWatchable(_ folder: String, plugins names: some Sequence<String>) -> Bool {
        singleLinkOrAbsent(folder + "/" + Manifest.fileName)
            && names.allSatisfy { singleLinkOrAbsent(folder + "/plugins/" + $0 + "/" + Stamp.fileName) }
    }

    private static func watchOrAbsent(_ path: String, watcher: ChangeWatcher) -> Bool {
        if watcher.watch(path) { return true }
        var info = stat()
        return lstat(path, &info) != 0 && errno == ENOENT
    }

    private static func singleLinkOrAbsent(_ path: String) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0 else { return errno == ENOENT }
        return (info.st_mode & S_IFMT) == S_IFREG && info.st_nlink == 1
    }
}
