import Foundation
import Synchronization

/// Workspaces and queue records kept between passes of one process, reused while unchanged.
///
/// "Unchanged" means the same device, inode, size, modification time and change time, as read
/// by one `stat(2)`. Every way Sluice or an editor replaces a file (rename into place, write in
/// place) changes at least one of them, and `stat` costs a fraction of reading the file, which is
/// how `serve`'s unchanged passes cost less than reading the files would.
public final class ReadCache: Sendable {
    /// What `stat(2)` says about a file; equal values mean an unchanged file.
    struct Identity: Hashable, Sendable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modified: Int64
        var modifiedNanos: Int
        var changed: Int64
        var changedNanos: Int

        /// The identity of `path`, or nil when it does not exist.
        init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            modified = Int64(info.st_mtim.tv_sec)
            modifiedNanos = Int(info.st_mtim.tv_nsec)
            changed = Int64(info.st_ctim.tv_sec)
            changedNanos = Int(info.st_ctim.tv_nsec)
        }
    }

    private let records = Mutex<[String: (Identity, Result<UpdateRecord, QueueStore.Problem>)]>([:])
    /// A folder entry and whether it is a real folder (not a link), as `readdir(3)` tells.
    struct Entry: Sendable, Hashable {
        var name: String
        var isFolder: Bool
    }

    /// One workspace as last read: its state and the identity of every file it was read from.
    struct WorkspaceRecord: Sendable {
        var files: [(path: String, identity: Identity?)]
        var state: WorkspaceState
    }

    private let workspaces = Mutex<[String: WorkspaceRecord]>([:])
    private let versions = Mutex(0)
    private let queueChanges = Mutex(0)

    /// The plan of an unchanged workspace, reused while nothing it depends on changed.
    struct PlanMemo: Sendable {
        var version: Int
        var queueGeneration: Int
        var upstreamGeneration: Int
        var actions: [PlanAction]
    }

    private let upstream = Mutex<(refs: [String: RemoteRefs], generation: Int)>(([:], 0))

    /// A number that changes whenever the refs listed upstream differ from the previous pass's
    /// (or a SHA had to be looked up, or a source failed): equal numbers mean every
    /// subscription resolves as it did. Keeps one `RemoteRefs` per source, not one per workspace.
    func upstreamGeneration(_ refs: [String: Result<RemoteRefs, GitError>], lookedUp: Bool) -> Int {
        var listed: [String: RemoteRefs] = [:]
        var failed = lookedUp
        for (source, result) in refs {
            switch result {
            case .success(let remote): listed[source] = remote
            case .failure: failed = true
            }
        }
        return upstream.withLock { state in
            if failed || state.refs != listed {
                state.generation += 1
                state.refs = listed
            }
            return state.generation
        }
    }

    private let plans = Mutex<[String: PlanMemo]>([:])

    /// A fresh version number for a workspace read from disk.
    func nextVersion() -> Int {
        versions.withLock { value in
            value += 1
            return value
        }
    }

    /// Counts every change seen in the queue folders (a record read anew, a file gone).
    var queueGeneration: Int { queueChanges.withLock { $0 } }

    func plan(for workspace: String) -> PlanMemo? {
        plans.withLock { $0[workspace] }
    }

    func remember(plan: PlanMemo?, for workspace: String) {
        plans.withLock { $0[workspace] = plan }
    }

    /// Creates an empty cache.
    public init() {}

    /// The workspace as read in an earlier pass, when none of its files changed since: one
    /// `stat` per file, no path building, no parsing. Returns nil when anything changed.
    func unchangedWorkspace(_ folder: String) -> WorkspaceState? {
        guard let record = workspaces.withLock({ $0[folder] }) else { return nil }
        for file in record.files where Identity(path: file.path) != file.identity { return nil }
        return record.state
    }

    /// The identities of `files` now; take them before reading, so that a file changed while it
    /// is read is read again next time rather than kept stale.
    func identities(_ files: [String]) -> [(path: String, identity: Identity?)] {
        files.map { ($0, Identity(path: $0)) }
    }

    /// Remembers a workspace's state with the identities its files had before they were read.
    func remember(_ folder: String, state: WorkspaceState, files: [(path: String, identity: Identity?)]) {
        workspaces.withLock { $0[folder] = WorkspaceRecord(files: files, state: state) }
    }

    /// Drops the cached records of files in `folder` that are no longer there, so that a
    /// long-running process does not keep every queue file it ever saw.
    func forgetRecords(in folder: String, keeping present: Set<String>) {
        let removed = records.withLock { cached -> Int in
            let gone = cached.keys.filter { $0.hasPrefix(folder + "/") && !present.contains($0) }
            for path in gone { cached[path] = nil }
            return gone.count
        }
        if removed > 0 { queueChanges.withLock { $0 += 1 } }
    }

    func record(_ path: String, load: () -> Result<UpdateRecord, QueueStore.Problem>) -> Result<UpdateRecord, QueueStore.Problem> {
        guard let identity = Identity(path: path) else { return load() }
        if let hit = records.withLock({ $0[path] }), hit.0 == identity { return hit.1 }
        queueChanges.withLock { $0 += 1 }
        let value = load()
        records.withLock { $0[path] = (identity, value) }
        return value
    }

    /// The entries of a folder with their kind from `d_type` (one `lstat` where the filesystem
    /// does not fill it in).
    static func readFolderEntries(_ folder: String) -> [Entry] {
        var entries: [Entry] = []
        forEachEntry(folder) { name, type in
            let isFolder = type == UInt8(DT_UNKNOWN) ? WorkspaceDiscovery.isFolder(folder + "/" + name) : type == UInt8(DT_DIR)
            entries.append(Entry(name: name, isFolder: isFolder))
        }
        return entries
    }

    /// The names in a folder through `readdir(3)`, without `.` and `..`.
    static func readFolder(_ folder: String) -> [String] {
        var names: [String] = []
        forEachEntry(folder) { name, _ in names.append(name) }
        return names
    }

    /// Calls `body` with each entry's name and `d_type`, without `.` and `..`.
    private static func forEachEntry(_ folder: String, _ body: (String, UInt8) -> Void) {
        guard let directory = opendir(folder) else { return }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != ".", name != ".." { body(name, entry.pointee.d_type) }
        }
    }
}
