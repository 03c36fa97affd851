import Foundation

/// Where everything lives under a root: workspaces, the queue folders and Sluice's own state.
public struct RootLayout: Sendable, Hashable {
    /// The root folder, absolute and without a trailing slash.
    public let root: String
    /// The root's configuration.
    public let config: SluiceConfig

    /// Creates the layout of `root` with `config`.
    public init(root: String, config: SluiceConfig) {
        self.root = Paths.absolute(root)
        self.config = config
    }

    /// Loads `sluice.yaml` from `root` and returns its layout.
    ///
    /// - Throws: ``SluiceError/rootMissing(_:)`` or the configuration's ``ValidationError``.
    public static func load(root: String) throws -> RootLayout {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isFolder), isFolder.boolValue else {
            throw SluiceError.rootMissing(root)
        }
        let config = try SluiceConfig.load(root: root)
        return RootLayout(root: root, config: config)
    }

    /// The queue folder.
    public var queue: String { root + "/" + config.queue }
    /// The folder of one queue state.
    public func folder(_ state: QueueFolder) -> String { queue + "/" + state.rawValue }
    /// Sluice's state folder (caches, retained trees, locks).
    public var state: String { root + "/" + config.state }
    /// The bare git caches, one per source.
    public var cache: String { state + "/cache" }
    /// Retained previous trees, by workspace and plugin.
    public var retained: String { state + "/retained" }
    /// Lock files.
    public var locks: String { state + "/locks" }

    /// The absolute path of a workspace given relative to the root.
    public func workspacePath(_ relative: String) -> String {
        relative == "." ? root : root + "/" + relative
    }

    /// Creates the queue folders that do not exist yet, below the root without following a
    /// symbolic link (``ConfinedPath``).
    ///
    /// - Throws: ``ConfinementError`` when the queue folder or one of its folders is a link or
    ///   not a folder, or cannot be created.
    public func createQueueFolders() throws {
        let confined = ConfinedPath(root: root)
        for folder in QueueFolder.allCases {
            try confined.makeFolders(self.folder(folder))
        }
    }

    /// Checks that none of the state folders apply writes into (the state folder, `locks/`,
    /// `trees/`, `cache/`) is a symbolic link below the root; missing ones are created later.
    ///
    /// - Throws: ``SluiceError/unconfined(_:)`` naming the first link.
    public func prepareStateFolder() throws(SluiceError) {
        let confined = ConfinedPath(root: root)
        do throws(ConfinementError) {
            try confined.check(locks)
            try confined.check(state + "/trees")
            try confined.check(cache)
        } catch {
            throw .unconfined(error.description)
        }
    }

    /// Checks that a workspace path from an untrusted file stays inside the root.
    ///
    /// - Returns: why it does not, or nil when it is a plain relative path to a folder holding
    ///   `plugins.yaml`, reached without following a symbolic link out of the root.
    public func workspaceProblem(_ relative: String) -> String? {
        if relative == "." { return nil }
        if relative.isEmpty { return "the workspace path is empty" }
        if relative.hasPrefix("/") { return "the workspace path '\(relative)' is absolute; expected a path relative to the root" }
        let parts = relative.split(separator: "/", omittingEmptySubsequences: false)
        if parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
            return "the workspace path '\(relative)' has '.', '..' or empty parts; expected a plain path inside the root"
        }
        var current = root
        for part in parts {
            current += "/" + part
            var info = stat()
            guard lstat(current, &info) == 0 else { return "the workspace '\(relative)' does not exist under the root" }
            if (info.st_mode & S_IFMT) == S_IFLNK { return "the workspace path '\(relative)' goes through a symbolic link" }
        }
        return nil
    }
}
