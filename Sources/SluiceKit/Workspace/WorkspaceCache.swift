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
        /// Whether every folder it was read from is watched (``ChangeWatcher``) and no event
        /// came since: then it is reused without a `stat`.
        var watched = false
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

    /// The workspace as read in an earlier pass, when its folders are watched and no event
    /// came from them since (see ``distrust(near:)``): no system call at all.
    func watchedWorkspace(_ folder: String) -> WorkspaceState? {
        workspaces.withLock { $0[folder].flatMap { $0.watched ? $0.state : nil } }
    }

    /// The workspace as last read, without checking anything (to watch its folders before a check).
    func entryState(_ folder: String) -> WorkspaceState? {
        workspaces.withLock { $0[folder]?.state }
    }

    /// Marks a workspace as watched again (its watches are in place and a `stat` check just
    /// found it unchanged), so that later passes reuse it without a `stat`.
    func trust(_ folder: String, version: Int) {
        workspaces.withLock { if $0[folder]?.state.version == version { $0[folder]?.watched = true } }
    }

    /// Stops trusting the workspace an event in `changed` (a workspace folder, its `plugins/`
    /// or a plugin folder) may concern; its next read checks its files by `stat`.
    func distrust(near changed: String) {
        workspaces.withLock { entries in
            var folder = Substring(changed)
            for _ in 0..<3 {
                if entries[String(folder)] != nil { entries[String(folder)]?.watched = false }
                guard let slash = folder.lastIndex(of: "/") else { return }
                folder = folder[..<slash]
            }
        }
    }

    /// Stops trusting every workspace (events were lost).
    func distrustAll() {
        workspaces.withLock { entries in
            for key in entries.keys { entries[key]?.watched = false }
        }
    }

    /// The files a workspace is read from: its manifest, its `plugins/` folder (whose identity
    /// changes when a plugin folder comes or goes) and the stamp of each plugin folder.
    static func files(in folder: String, plugins: [String]) -> [String] {
        [folder + "/" + Manifest.fileName, folder + "/plugins"] + plugins.map { folder + "/plugins/" + $0 + "/" + Stamp.fileName }
    }

    /// Remembers a workspace's state with the identities its files had before they were read.
    ///
    /// - Parameter watched: Whether every folder it was read from was watched before it was read.
    func remember(_ folder: String, state: WorkspaceState, plugins: [String], identities: [FileIdentity?], watched: Bool = false) {
        workspaces.withLock { $0[folder] = Entry(plugins: plugins, identities: identities, state: state, watched: watched) }
    }
}
