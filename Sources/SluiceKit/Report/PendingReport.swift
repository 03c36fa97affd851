/// The pending queue grouped by plugin and target: `sluice pending` and the admin API's list.
public struct PendingReport: Sendable, Codable, Hashable {
    /// One plugin moving to one target, with every workspace that waits for it.
    public struct Group: Sendable, Codable, Hashable {
        /// Plugin name.
        public var plugin: String
        /// The git URL.
        public var source: String
        /// The target (nil for removals).
        public var to: RefPoint?
        /// The kinds present in the group (`update`, `retag`, ...).
        public var kinds: [UpdateKind]
        /// The workspaces, sorted by path.
        public var items: [Item]
        /// Where the target stands (canary pending, applied, failed), when it was read
        /// (`sluice pending` reads it; nil for removals).
        public var rollout: Rollout?
    }

    /// One pending file.
    public struct Item: Sendable, Codable, Hashable {
        /// The update's id (its file name without `.yaml`).
        public var id: String
        /// Workspace path relative to the root.
        public var workspace: String
        /// What kind of change.
        public var kind: UpdateKind
        /// What is installed now.
        public var from: RefPoint?
        /// A warning to read before approving.
        public var warning: String?
        /// When it was detected.
        public var detected: String
        /// Who signed the target, when the subscription has `verify`.
        public var signature: SignatureRecord?
    }

    /// The groups, sorted by plugin, then target ref.
    public var groups: [Group]
    /// How many pending files in all.
    public var total: Int
    /// Targets not queued yet because they are younger than `min-age`, soonest first, as the
    /// last reconcile pass found them (`<state>/soaking.json`).
    public var soaking: [SoakingTarget] = []

    /// Reads each group's rollout from the queue (``Rollout/read(_:store:waiting:)``); the
    /// groups' own items are what waits for each target.
    public mutating func readRollouts(store: QueueStore) {
        var waiting: [Rollout.Target: Int] = [:]
        for group in groups {
            guard let to = group.to else { continue }
            waiting[Rollout.Target(plugin: group.plugin, sha: to.sha), default: 0] += group.items.count
        }
        let rollouts = Rollout.read(Set(waiting.keys), store: store, waiting: waiting)
        for index in groups.indices {
            guard let sha = groups[index].to?.sha else { continue }
            groups[index].rollout = rollouts[Rollout.Target(plugin: groups[index].plugin, sha: sha)]
        }
    }

    /// What puts two pending files in the same group.
    private struct GroupKey: Hashable {
        var plugin: String
        var source: String
        var to: RefPoint?
    }

    /// Groups the pending entries.
    public init(entries: [QueueEntry]) {
        // Each group is changed in place in `groups` (found through `index`): a group copied out
        // of a dictionary and stored back would copy its item list on every append.
        var index: [GroupKey: Int] = [:]
        var groups: [Group] = []
        for entry in entries {
            let record = entry.record
            let key = GroupKey(plugin: record.plugin, source: record.source, to: record.to)
            let position: Int
            if let known = index[key] {
                position = known
            } else {
                position = groups.count
                index[key] = position
                groups.append(Group(plugin: record.plugin, source: record.source, to: record.to, kinds: [], items: [], rollout: nil))
            }
            if !groups[position].kinds.contains(record.kind) { groups[position].kinds.append(record.kind) }
            groups[position].items.append(Item(id: record.id, workspace: record.workspace, kind: record.kind, from: record.from, warning: record.warning, detected: record.detected, signature: record.signature))
        }
        for position in groups.indices {
            groups[position].items.sort { $0.workspace < $1.workspace }
            groups[position].kinds.sort { $0.rawValue < $1.rawValue }
        }
        self.groups = groups.sorted { ($0.plugin, $0.to?.ref ?? "", $0.to?.sha ?? "") < ($1.plugin, $1.to?.ref ?? "", $1.to?.sha ?? "") }
        total = entries.count
    }
}
