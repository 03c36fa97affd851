import Synchronization

/// Workspaces read by one process, reused while none of their files changed.
///
/// A workspace counts as unchanged when every file it was read from (manifest, `plugins/`,
/// each stamp) has the same ``FileIdentity`` as before it was read: one `stat` per file, no
/// parsing, which is how `serve`'s unchanged passes cost less than reading the files would.
public final class WorkspaceCache: Sendable {
    /// One workspace as last read: its state, and the identity of every file it was read from
    /// (``files(in:plugins:)``), in that order. The paths are not kept: 100,000 stamp paths
    /// were the largest single item of a pass's memory.
    struct Entry: Sendable {
        var plugins: [String]
        var identities: [FileIdentity?]
        var state: WorkspaceState
    }

    private let workspaces = Mutex<[String: Entry]>([:])
    /// One copy of the strings many workspaces repeat (sources, commits, digests).
    let strings = StringInterner()
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
    /// `stat` per file, no parsing. Returns nil when anything changed.
    func unchangedWorkspace(_ folder: String) -> WorkspaceState? {
        guard let entry = workspaces.withLock({ $0[folder] }) else { return nil }
        let files = Self.files(in: folder, plugins: entry.plugins)
        guard files.count == entry.identities.count else { return nil }
        for (file, identity) in zip(files, entry.identities) where FileIdentity(path: file) != identity { return nil }
        return entry.state
    }

    /// The files a workspace is read from: its manifest, its `plugins/` folder (whose identity
    /// changes when a plugin folder comes or goes) and the stamp of each plugin folder.
    static func files(in folder: String, plugins: [String]) -> [String] {
        [folder + "/" + Manifest.fileName, folder + "/plugins"] + plugins.map { folder + "/plugins/" + $0 + "/" + Stamp.fileName }
    }

    /// The identities of a workspace's files now (``files(in:plugins:)``); take them before
    /// reading, so that a file changed while it is read is read again next time rather than kept stale.
    func identities(in folder: String, plugins: [String]) -> [FileIdentity?] {
        Self.files(in: folder, plugins: plugins).map { FileIdentity(path: $0) }
    }

    /// Remembers a workspace's state with the identities its files had before they were read.
    func remember(_ folder: String, state: WorkspaceState, plugins: [String], identities: [FileIdentity?]) {
        workspaces.withLock { $0[folder] = Entry(plugins: plugins, identities: identities, state: state) }
    }
}
