/// Each workspace's plugins: track, what is installed, the upstream target and the state.
public struct StatusReport: Sendable, Codable, Hashable {
    /// Where a plugin stands.
    public enum State: String, Sendable, Codable, Hashable {
        /// The installed SHA is the target.
        case inSync = "in-sync"
        /// Drift with a pending file waiting for approval.
        case pending
        /// Drift approved, waiting for apply.
        case approved
        /// Drift whose target was rejected.
        case rejected
        /// Drift with no queue file yet (the next reconcile pass queues it).
        case drift
        /// The subscription is on hold.
        case held
        /// `track: none`.
        case untracked
        /// Installed and stamped but no longer in the manifest.
        case orphan
        /// The track could not be resolved upstream.
        case error
    }

    /// One plugin of one workspace.
    public struct Plugin: Sendable, Codable, Hashable {
        /// Plugin name.
        public var name: String
        /// The manifest's track, or nil when the plugin is not in the manifest.
        public var track: String?
        /// The stamp's ref and SHA, or nil when not installed or unstamped.
        public var installed: RefPoint?
        /// `absent`, `unstamped` or `stamped`.
        public var folder: InstalledState
        /// The upstream target, when resolved.
        public var target: RefPoint?
        /// Where it stands.
        public var state: State
        /// Why, for errors and unusual states.
        public var detail: String?
    }

    /// One workspace.
    public struct Workspace: Sendable, Codable, Hashable {
        /// Path relative to the root.
        public var path: String
        /// The manifest's problems, when it is invalid.
        public var errors: [Diagnostic]
        /// The plugins, manifest order then installed-only ones.
        public var plugins: [Plugin]
    }

    /// The workspaces, sorted by path.
    public var workspaces: [Workspace]
    /// What `sluice serve` last wrote to `<state>/serve-status.json` (its failing sources among
    /// it), when the file exists.
    public var service: ServeStatus?

    /// Builds the report from a snapshot.
    public init(snapshot: Snapshot) {
        let pending = Set(snapshot.pending.map { "\($0.record.workspace)\u{0}\($0.record.plugin)" })
        let approved = Set(snapshot.approved.map { "\($0.record.workspace)\u{0}\($0.record.plugin)" })
        let rejected = Set(snapshot.rejected.map { "\($0.record.workspace)\u{0}\($0.record.plugin)\u{0}\($0.record.to?.sha ?? "")" })
        workspaces = snapshot.workspaces.map { workspace in
            let manifest: Manifest
            switch workspace.manifest {
            case .failure(let error): return Workspace(path: workspace.path, errors: error.diagnostics, plugins: [])
            case .success(let parsed): manifest = parsed
            }
            var plugins: [Plugin] = []
            let key = { (plugin: String) in "\(workspace.path)\u{0}\(plugin)" }
            for entry in manifest.plugins {
                let installed = workspace.installed[entry.name]
                let stamp = installed?.stamp
                var plugin = Plugin(
                    name: entry.name, track: entry.track.description, installed: stamp.map { RefPoint(ref: $0.ref, sha: $0.sha) },
                    folder: Planner.basis(of: installed).state, target: nil, state: .inSync, detail: nil)
                if case .unreadable(let reason)? = installed { plugin.detail = reason }
                if entry.track == .none {
                    plugin.state = .untracked
                } else if entry.hold {
                    plugin.state = .held
                } else {
                    switch snapshot.resolutions[workspace.path]?[entry.name] {
                    case .resolved(let target)?:
                        plugin.target = target
                        let synced = stamp?.isInSync(sha: target.sha, source: entry.source, subpath: entry.subpath) ?? false
                        if synced {
                            plugin.state = .inSync
                        } else if pending.contains(key(entry.name)) {
                            plugin.state = .pending
                        } else if approved.contains(key(entry.name)) {
                            plugin.state = .approved
                        } else if rejected.contains(key(entry.name) + "\u{0}" + target.sha) {
                            plugin.state = .rejected
                        } else {
                            plugin.state = .drift
                        }
                    case .failed(let reason)?:
                        plugin.state = .error
                        plugin.detail = reason
                    case .needsObjectLookup?, nil:
                        plugin.state = .error
                        plugin.detail = "not resolved"
                    }
                }
                plugins.append(plugin)
            }
            for (name, installed) in workspace.installed.sorted(by: { $0.key < $1.key }) where manifest.entry(named: name) == nil {
                guard let stamp = installed.stamp else { continue }
                let state: State = pending.contains(key(name)) ? .pending : approved.contains(key(name)) ? .approved : .orphan
                plugins.append(Plugin(name: name, track: nil, installed: RefPoint(ref: stamp.ref, sha: stamp.sha), folder: .stamped, target: nil, state: state, detail: "not in the manifest"))
            }
            return Workspace(path: workspace.path, errors: [], plugins: plugins)
        }
    }
}
