import Synchronization

/// Workspaces read by one process, reused while none of their files changed.
///
/// A workspace counts as unchanged when every file it was read from (manifest, `plugins/`,
/// each stamp) has the same ``FileIdentity`` as before it was read: one `stat` per file, no
/// parsing, which is how `serve`'s unchanged passes cost less than reading the files would.
public final class WorkspaceCache: Sendable {
    /// One workspace as last read: its state and the identity of every file it was read from.
    struct Entry: Sendable {
        var files: [(path: String, identity: FileIdentity?)]
        var state: WorkspaceState
    }

    private let workspaces = Mutex<[String: Entry]>([:])
    private let versions = Mutex(0)

    /// Creates an empty cache.
    public init() {}

    /// A fresh version number for a workspace read from disk.
    func nextVersion() -> Int {
        versions.withLock { value in
            value += 1
            return value
        }
    }

    /// The workspace as read in an earlier pass, when none of its files changed since: one
    /// `stat` per file, no path building, no parsing. Returns nil when anything changed.
    func unchangedWorkspace(_ folder: String) -> WorkspaceState? {
        guard let entry = workspaces.withLock({ $0[folder] }) else { return nil }
        for file in entry.files where FileIdentity(path: file.path) != file.identity { return nil }
        return entry.state
    }

    /// The identities of `files` now; take them before reading, so that a file changed while it
    /// is read is read again next time rather than kept stale.
    func identities(_ files: [String]) -> [(path: String, identity: FileIdentity?)] {
        files.map { ($0, FileIdentity(path: $0)) }
    }

    /// Remembers a workspace's state with the identities its files had before they were read.
    func remember(_ folder: String, state: WorkspaceState, files: [(path: String, identity: FileIdentity?)]) {
        workspaces.withLock { $0[folder] = Entry(files: files, state: state) }
    }
}
