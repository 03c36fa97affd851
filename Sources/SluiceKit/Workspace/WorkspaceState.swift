import Foundation

/// A workspace as read from disk: its manifest (or why it is unusable) and its plugin folders.
public struct WorkspaceState: Sendable {
    /// The path relative to the root.
    public var path: String
    /// The parsed manifest, or the diagnostics that make it unusable.
    public var manifest: Result<Manifest, ValidationError>
    /// The plugin folders under `plugins/`, by name.
    public var installed: [String: InstalledPlugin]
    /// Which read of the workspace this is (from ``WorkspaceCache``): equal versions are the same read.
    public var version = 0

    /// Reads a workspace.
    ///
    /// - Parameters:
    ///   - relative: The workspace path relative to the root.
    ///   - layout: The root's layout and configuration.
    ///   - cache: Workspaces read in earlier passes, reused while none of their files changed.
    public static func read(_ relative: String, layout: RootLayout, cache: WorkspaceCache = WorkspaceCache()) -> WorkspaceState {
        var timing = ReadTiming()
        return read(relative, layout: layout, cache: cache, timing: &timing)
    }

    /// Seconds spent on manifests and on stamps while reading workspaces (``PassPhases``).
    struct ReadTiming: Sendable {
        var manifests: Double = 0
        var stamps: Double = 0
    }

    /// Reads a workspace, adding the time spent on its manifest and on its stamps to `timing`.
    ///
    /// - Parameter watcher: When given, a workspace whose folders are watched and had no event is
    ///   reused without any `stat`, and a workspace read or checked is watched first.
    static func read(_ relative: String, layout: RootLayout, cache: WorkspaceCache, watcher: ChangeWatcher? = nil,
                     timing: inout ReadTiming) -> WorkspaceState {
        let folder = layout.workspacePath(relative)
        let started = ContinuousClock.now
        if watcher != nil, let unchanged = cache.watchedWorkspace(folder) {
            timing.manifests += started.secondsElapsed
            return unchanged
        }
        // Watches before the stat check: a change after the check is then an event.
        let watchedBefore = watcher.map { watcher in
            cache.entryState(folder).map { previous in
                watch(folder, watcher: watcher) { previous.installed.keys.sorted() }.watched
                    && filesWatchable(folder, plugins: previous.installed.keys)
            } ?? false
        } ?? false
        if let unchanged = cache.unchangedWorkspace(folder) {
            watcher?.didRead(folder)
            if watchedBefore { cache.trust(folder, version: unchanged.version) }
            timing.manifests += started.secondsElapsed
            return unchanged
        }
        // Each file's identity is taken before its content is read (the `fstat` of the descriptor
        // read, ``WholeFile``), the folder's before it is listed: a file that changes while it is
        // read, or a plugin folder added while `plugins/` is listed, is read again next pass.
        let pluginsIdentity = FileIdentity(path: folder + "/plugins")
        let (names, watched) = watcher.map { watch(folder, watcher: $0) { pluginFolders(in: folder + "/plugins") } }
            ?? (pluginFolders(in: folder + "/plugins"), false)
        let display = relative == "." ? Manifest.fileName : relative + "/" + Manifest.fileName
        let manifestStarted = ContinuousClock.now
        timing.stamps += started.secondsElapsed
        let manifestPath = folder + "/" + Manifest.fileName
        let manifestFile = WholeFile(path: manifestPath)
        var identities = [manifestFile?.identity ?? FileIdentity(path: manifestPath), pluginsIdentity]
        identities.reserveCapacity(names.count + 2)
        let manifest: Result<Manifest, ValidationError>
        do throws(ValidationError) {
            var loaded = if let manifestFile {
                try Manifest.decode(manifestFile.data, displayPath: display, policy: layout.config.sources)
            } else {
                try Manifest.load(path: manifestPath, displayPath: display, policy: layout.config.sources)
            }
            loaded.intern(by: cache.strings)
            manifest = .success(loaded)
        } catch {
            manifest = .failure(error)
        }
        let stampsStarted = ContinuousClock.now
        timing.manifests += manifestStarted.secondsElapsed
        var installed: [String: InstalledPlugin] = [:]
        installed.reserveCapacity(names.count)
        // Stamps are opened relative to `plugins/` (``OpenFolder``): two lookups each, not a walk of the whole path.
        let plugins = OpenFolder(folder + "/plugins")
        defer { plugins.close() }
        for name in names {
            let (plugin, identity) = readPluginWithIdentity(name, in: plugins, interner: cache.strings)
            installed[name] = plugin
            identities.append(identity)
        }
        timing.stamps += stampsStarted.secondsElapsed
        var state = WorkspaceState(path: relative, manifest: manifest, installed: installed)
        state.version = cache.nextVersion()
        watcher?.didRead(folder)
        cache.remember(folder, state: state, plugins: names, identities: identities, watched: watched && filesWatchable(folder, plugins: names))
        return state
    }

    /// Reads the plugin folders of `pluginsFolder`: names that are valid plugin names and are
    /// real folders (not links); anything else there is not Sluice's business.
    public static func installedPlugins(in pluginsFolder: String) -> [String: InstalledPlugin] {
        var result: [String: InstalledPlugin] = [:]
        for name in pluginFolders(in: pluginsFolder) { result[name] = readPlugin(pluginsFolder + "/" + name) }
        return result
    }

    /// The valid plugin names among the real folders (not links) of `pluginsFolder`, sorted.
    static func pluginFolders(in pluginsFolder: String) -> [String] {
        Directory.entries(pluginsFolder).filter { $0.isFolder && PluginName.isValid($0.name) }.map(\.name).sorted()
    }

    /// One plugin folder's stamp (or why it has none) and the identity of the stamp file read,
    /// from one `open`: its `fstat` before the read (``WholeFile``). A stamp that cannot be opened
    /// as a plain file is read the usual way, which says why.
    static func readPluginWithIdentity(_ name: String, in plugins: OpenFolder, interner: StringInterner) -> (InstalledPlugin, FileIdentity?) {
        let path = plugins.path(of: name)
        let stampPath = path + "/" + Stamp.fileName
        guard let file = WholeFile(name: plugins.target(name + "/" + Stamp.fileName), in: plugins.descriptor) else {
            // No plain file to open (none, a folder, unreadable): its identity before the read
            // that says which, as for every other file.
            let identity = FileIdentity(path: stampPath)
            return (readPlugin(path, interner: interner), identity)
        }
        do {
            var stamp = try Stamp.decode(file.data, path: stampPath)
            stamp.intern(by: interner)
            return (.stamped(stamp), file.identity)
        } catch {
            return (.unreadable(error.description), file.identity)
        }
    }

    /// One plugin folder's stamp, or why it has none; with `interner`, its long strings shared.
    static func readPlugin(_ path: String, interner: StringInterner? = nil) -> InstalledPlugin {
        do {
            guard var stamp = try Stamp.read(pluginFolder: path) else { return .unstamped }
            if let interner { stamp.intern(by: interner) }
            return .stamped(stamp)
        } catch {
            return .unreadable(error.description)
        }
    }
}
