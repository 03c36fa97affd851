import Foundation
import Synchronization

/// The workspaces discovery found and the records of each queue folder, kept while every folder
/// they were read from is watched (``ChangeWatcher``) and had no event, so that an unchanged pass
/// of `serve` neither walks the root nor lists and `stat`s the queue.
///
/// Each is read again at the first event from one of its folders (for discovery, an event that
/// changes a folder's entries: a file written in place does not move a workspace), after lost
/// events, and every pass while one of its folders cannot be watched.
final class WatchedListings: Sendable {
    private struct Discovery: Sendable {
        var paths: [String]
        var folders: Set<String>
    }

    private let discovery = Mutex<Discovery?>(nil)
    private let queue = Mutex<[String: (entries: [QueueEntry], problems: [QueueStore.Problem])]>([:])

    init() {}

    /// The workspaces under the root: discovery's last result while its folders are quiet, else a
    /// new walk that watches each folder before listing or probing it.
    func workspaces(_ layout: RootLayout, watcher: ChangeWatcher) -> [String] {
        if let known = discovery.withLock({ $0?.paths }) { return known }
        var folders: Set<String> = []
        var watched = true
        let paths = WorkspaceDiscovery.find(in: layout) { folder in
            folders.insert(folder)
            if watched { watched = Self.watchOrAbsent(folder, watcher: watcher) }
        }
        if watched { discovery.withLock { $0 = Discovery(paths: paths, folders: folders) } }
        return paths
    }

    /// The records of a queue folder: the last read while the folder is quiet, else a read
    /// (through the record cache) after watching it.
    /// With `sweepingTemporaries`, a folder that is read is swept of temporaries from the same listing.
    func read(_ folder: QueueFolder, store: QueueStore, cache: QueueRecordCache, watcher: ChangeWatcher, workers: Int,
              sweepingTemporaries: Bool = false) async -> (entries: [QueueEntry], problems: [QueueStore.Problem]) {
        let path = store.layout.folder(folder)
        if let known = queue.withLock({ $0[path] }) { return known }
        let watched = watcher.watch(path, checkFilesystem: true)
        let result = await store.read(folder, cache: cache, workers: workers, sweepingTemporaries: sweepingTemporaries)
        if watched, Self.singleLinkFiles(path, names: result.entries.map(\.fileName)) {
            queue.withLock { $0[path] = result }
        }
        return result
    }

    /// The workspaces kept from the last discovery, if its folders are quiet.
    var discovered: [String]? { discovery.withLock { $0?.paths } }

    /// The records kept for the queue folder at `path`, if it is quiet.
    func records(in path: String) -> [QueueEntry]? { queue.withLock { $0[path]?.entries } }

    /// Forgets what the changed folders were read from.
    func invalidate(_ changes: ChangeWatcher.Changes) {
        switch changes {
        case .everything:
            discovery.withLock { $0 = nil }
            queue.withLock { $0 = [:] }
        case .folders(let changed, let entries):
            guard !changed.isEmpty else { return }
            discovery.withLock { memo in
                if let folders = memo?.folders, !folders.isDisjoint(with: entries) { memo = nil }
            }
            queue.withLock { memos in
                for path in changed where memos[path] != nil { memos[path] = nil }
            }
        }
    }

    private static func watchOrAbsent(_ folder: String, watcher: ChangeWatcher) -> Bool {
        if watcher.watch(folder, checkFilesystem: true) { return true }
        var info = stat()
        return lstat(folder, &info) != 0 && errno == ENOENT
    }

    /// Whether every record file is a regular file with one link: a write through another link
    /// makes no event in the watched folder.
    private static func singleLinkFiles(_ folder: String, names: [String]) -> Bool {
        names.allSatisfy { name in
            var info = stat()
            guard lstat(folder + "/" + name, &info) == 0 else { return errno == ENOENT }
            return (info.st_mode & S_IFMT) == S_IFREG && info.st_nlink == 1
        }
    }
}
