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
        /// The track could not be resolved upstream, or its target did not verify
        /// (`unverified: …` in the detail).
        case error
        /// A newer target exists, but none is old enough for `min-age` yet.
        case soaking
        /// The live tree no longer matches its stamp's digest (edited in place): apply refuses
        /// it without `--force`. Takes the place of in-sync, pending, approved, rejected and drift.
        case modified
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
        /// Where the target stands across workspaces (canary pending, applied, failed, fanned
        /// out), for a resolved target that is not installed here yet or was applied through the queue.
        public var rollout: Rollout?
        /// Whether the live tree no longer matches its stamp's digest (edited in place); apply
        /// would refuse it without `--force`.
        public var modified: Bool?
        /// The newest target still soaking for `min-age`, and when it becomes eligible.
        public var soaking: Soak?
        /// Who signed the target, when `verify` is on and it verified.
        public var signature: SignatureRecord?
        /// Who approved what is installed (the applied record of the installed commit), or the
        /// waiting approval, when known.
        public var approvedBy: ApprovedBy?
    }

    /// A target waiting for its `min-age`.
    public struct Soak: Sendable, Codable, Hashable {
        /// The target.
        public var ref: String?
        /// Its commit.
        public var sha: String
        /// When it becomes eligible, ISO 8601.
        public var until: String
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
    /// Why `sluice sync` or `serve --git` stopped following the root's remote branch, if it did.
    public var gitStopped: String?

    /// Reads who approved each installed commit (its record in `applied/`) and each waiting
    /// approval (its record in `approved/`, when `sluice approve` said who).
    public mutating func readApprovals(store: QueueStore) {
        var known: [String: ApprovedBy] = [:]
        for folder in [QueueFolder.applied, .approved] {
            for entry in store.read(folder).entries {
                guard let approvedBy = entry.record.approvedBy, let sha = entry.record.to?.sha else { continue }
                known["\(entry.record.workspace)\u{0}\(entry.record.plugin)\u{0}\(sha)"] = approvedBy
            }
        }
        guard !known.isEmpty else { return }
        for w in workspaces.indices {
            for p in workspaces[w].plugins.indices {
                let plugin = workspaces[w].plugins[p]
                let key = "\(workspaces[w].path)\u{0}\(plugin.name)\u{0}"
                if plugin.state == .approved, let sha = plugin.target?.sha, let waiting = known[key + sha] {
                    workspaces[w].plugins[p].approvedBy = waiting
                } else if let sha = plugin.installed?.sha, let applied = known[key + sha] {
                    workspaces[w].plugins[p].approvedBy = applied
                }
            }
        }
    }

    /// Reads the rollout of every resolved target that is not in sync (once per plugin and target).
    public mutating func readRollouts(store: QueueStore, pending: [QueueEntry]) {
        var memo: [String: Rollout] = [:]
        for w in workspaces.indices {
            for p in workspaces[w].plugins.indices {
                let plugin = workspaces[w].plugins[p]
                guard let sha = plugin.target?.sha, plugin.state != .inSync else { continue }
                let key = plugin.name + "\u{0}" + sha
                let rollout = memo[key] ?? Rollout.read(plugin: plugin.name, sha: sha, store: store, pending: pending)
                memo[key] = rollout
                workspaces[w].plugins[p].rollout = rollout
            }
        }
    }

    /// Compares every stamped live tree with its stamp's digest (reading every file of it), and
    /// marks the ones edited in place.
    public mutating func checkLiveTrees(layout: RootLayout) {
        let replaced: Set<State> = [.inSync, .pending, .approved, .rejected, .drift]
        for w in workspaces.indices {
            for p in workspaces[w].plugins.indices where workspaces[w].plugins[p].folder == .stamped {
                let plugin = workspaces[w].plugins[p]
                let paths = PluginPaths(workspace: layout.workspacePath(workspaces[w].path), plugin: plugin.name)
                guard let stamp = paths.installed()?.stamp, let digest = try? TreeDigest.digest(of: TreeDigest.files(of: paths.live)) else { continue }
                let modified = digest != stamp.digest
                workspaces[w].plugins[p].modified = modified
                if modified, replaced.contains(plugin.state) {
                    workspaces[w].plugins[p].state = .modified
                    workspaces[w].plugins[p].detail = "plugins/\(plugin.name) no longer matches its stamp (edited in place); apply refuses it without --force"
                }
            }
        }
    }

    /// Builds the report from a snapshot.
    public init(snapshot: Snapshot) {
        let queued = Queued(snapshot)
        workspaces = snapshot.workspaces.map { Self.workspace($0, snapshot: snapshot, queued: queued) }
    }

    /// The queue files of a snapshot, as `<workspace>\0<plugin>` keys (rejected ones with `\0<sha>`).
    struct Queued {
        var pending: Set<String>
        var approved: Set<String>
        var rejected: Set<String>

        init(_ snapshot: Snapshot) {
            pending = Set(snapshot.pending.map { "\($0.record.workspace)\u{0}\($0.record.plugin)" })
            approved = Set(snapshot.approved.map { "\($0.record.workspace)\u{0}\($0.record.plugin)" })
            rejected = Set(snapshot.rejected.map { "\($0.record.workspace)\u{0}\($0.record.plugin)\u{0}\($0.record.to?.sha ?? "")" })
        }
    }

    /// One workspace's rows.
    static func workspace(_ workspace: WorkspaceState, snapshot: Snapshot, queued: Queued) -> Workspace {
        let (pending, approved, rejected) = (queued.pending, queued.approved, queued.rejected)
        let manifest: Manifest
        switch workspace.manifest {
        case .failure(let error): return Workspace(path: workspace.path, errors: error.diagnostics, plugins: [])
        case .success(let parsed): manifest = parsed
        }
        var plugins: [Plugin] = []
        plugins.reserveCapacity(manifest.plugins.count)
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
                let vetting = snapshot.vetting[workspace.path]?[entry.name]
                if let soaking = vetting?.soaking, let until = vetting?.eligibleAt {
                    plugin.soaking = Soak(ref: soaking.ref, sha: soaking.sha, until: Timestamp.string(until))
                }
                plugin.signature = vetting?.signature
                switch snapshot.resolutions[workspace.path]?[entry.name] {
                case .soaking(let newest, let until)?:
                    plugin.state = .soaking
                    plugin.detail = "\(newest.display) is soaking until \(Timestamp.string(until)) (min-age)"
                case .sameTree(let target)?:
                    plugin.target = target
                    plugin.state = .inSync
                    plugin.detail = "same tree at \(target.display)"
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

extension StatusReport {
    /// Resolves the track of every held subscription, so that a held row shows the target it
    /// is missing; sources that only held subscriptions use are listed once each.
    ///
    /// A held subscription whose target is the installed commit is left without one (nothing
    /// is missing); one that cannot be resolved is left as it is.
    public mutating func resolveHeld(snapshot: Snapshot, upstream: any Upstream) async {
        var wanted: [(workspace: Int, plugin: Int, entry: PluginEntry)] = []
        for (w, workspace) in workspaces.enumerated() {
            guard let state = snapshot.workspaces.first(where: { $0.path == workspace.path }), case .success(let manifest) = state.manifest else { continue }
            for (p, plugin) in workspace.plugins.enumerated() where plugin.state == .held {
                if let entry = manifest.entry(named: plugin.name) { wanted.append((w, p, entry)) }
            }
        }
        guard !wanted.isEmpty else { return }
        var refs = snapshot.refs
        let missing = Set(wanted.map(\.entry.source)).filter { refs[$0] == nil }.sorted()
        if !missing.isEmpty {
            for source in missing { refs[source] = await upstream.listRefs(source) }
        }
        for item in wanted {
            guard case .success(let remote)? = refs[item.entry.source],
                  case .resolved(let target) = TrackResolution.resolve(item.entry.track, in: remote) else { continue }
            if workspaces[item.workspace].plugins[item.plugin].installed?.sha == target.sha { continue }
            workspaces[item.workspace].plugins[item.plugin].target = target
        }
    }
}

