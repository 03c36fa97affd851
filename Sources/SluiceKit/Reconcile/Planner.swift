/// Identifies one rejected target: a rejection blocks exactly this target, never a newer one.
public struct RejectionKey: Sendable, Hashable {
    /// Workspace path relative to the root.
    public var workspace: String
    /// Plugin name.
    public var plugin: String
    /// The rejected target's full SHA, or nil for a rejected removal.
    public var sha: String?

    /// Creates a key.
    public init(workspace: String, plugin: String, sha: String?) {
        self.workspace = workspace
        self.plugin = plugin
        self.sha = sha
    }
}

/// Everything the planner needs about one workspace; gathered by the reconciler.
public struct PlanInput: Sendable {
    /// Workspace path relative to the root.
    public var workspace: String
    /// Its manifest.
    public var manifest: Manifest
    /// Plugin folders found under `plugins/`, by name.
    public var installed: [String: InstalledPlugin]
    /// Upstream targets of the subscriptions that are tracked and not on hold, by plugin name.
    public var resolutions: [String: TrackResolution]
    /// This workspace's files in `pending/`.
    public var pending: [QueueEntry]
    /// This workspace's files in `approved/`.
    public var approved: [QueueEntry]
    /// Every rejected target in the root.
    public var rejected: Set<RejectionKey>
    /// The time to stamp on new records, ISO 8601.
    public var now: String
    /// Who signed each target that had to be verified, by plugin name.
    public var signatures: [String: SignatureRecord] = [:]

    /// Creates an input.
    public init(workspace: String, manifest: Manifest, installed: [String: InstalledPlugin], resolutions: [String: TrackResolution], pending: [QueueEntry], approved: [QueueEntry], rejected: Set<RejectionKey>, now: String) {
        self.workspace = workspace
        self.manifest = manifest
        self.installed = installed
        self.resolutions = resolutions
        self.pending = pending
        self.approved = approved
        self.rejected = rejected
        self.now = now
    }
}

/// One step the reconciler carries out for a plan.
public enum PlanAction: Sendable, Hashable {
    /// Write this record into `pending/`, then remove the listed older pending files (the
    /// record's own file name may be among them when it is rewritten in place).
    case queue(UpdateRecord, replacing: [String])
    /// The pending file is already exactly right; touch nothing.
    case keep(plugin: String, fileName: String)
    /// Remove this pending file: its drift is gone or superseded.
    case withdraw(plugin: String, fileName: String, reason: String)
    /// Drift exists but is not queued (rejected target, already approved).
    case suppressed(plugin: String, reason: String)
    /// The subscription could not be resolved; its pending files are left as they are.
    case failed(plugin: String, reason: String)
}

/// The pure heart of reconciliation: desired state, installed state and upstream in, actions out.
public enum Planner {
    /// Plans one workspace.
    ///
    /// The reconciler never writes into `approved/` and never installs; everything it may do
    /// is one of the ``PlanAction`` cases, decided here without I/O so that it is tested alone.
    public static func plan(_ input: PlanInput) -> [PlanAction] {
        var names: [String] = input.manifest.plugins.map(\.name)
        for name in input.installed.keys.sorted() where !names.contains(name) { names.append(name) }
        // The workspace's pending files by plugin, each list by file name: sorted once here, not
        // filtered out of the whole list for every plugin.
        var pendingByPlugin: [String: [QueueEntry]] = [:]
        for entry in input.pending.sorted(by: { $0.fileName < $1.fileName }) {
            if pendingByPlugin[entry.record.plugin] == nil, !names.contains(entry.record.plugin) { names.append(entry.record.plugin) }
            pendingByPlugin[entry.record.plugin, default: []].append(entry)
        }
        var actions: [PlanAction] = []
        for name in names {
            actions += planPlugin(name, input, existing: pendingByPlugin[name] ?? [])
        }
        return actions
    }

    /// Plans one plugin; `existing` are its pending files, sorted by file name.
    private static func planPlugin(_ name: String, _ input: PlanInput, existing: [QueueEntry]) -> [PlanAction] {
        let desired: UpdateRecord
        switch desiredRecord(name, input) {
        case .none(let reason):
            return existing.map { .withdraw(plugin: name, fileName: $0.fileName, reason: reason()) }
        case .failure(let reason):
            return [.failed(plugin: name, reason: reason)] + existing.map { .keep(plugin: name, fileName: $0.fileName) }
        case .deferred(let reason):
            return [.suppressed(plugin: name, reason: reason)] + existing.map { .withdraw(plugin: name, fileName: $0.fileName, reason: reason) }
        case .record(let record):
            desired = record
        }
        let key = RejectionKey(workspace: input.workspace, plugin: name, sha: desired.to?.sha)
        if input.rejected.contains(key) {
            let reason = "target \(desired.to.map(\.display) ?? "removal") was rejected; a newer target will be queued"
            return [.suppressed(plugin: name, reason: reason)] + existing.map { .withdraw(plugin: name, fileName: $0.fileName, reason: reason) }
        }
        if input.approved.contains(where: { $0.record.plugin == name && $0.record.to?.sha == desired.to?.sha }) {
            let reason = "already approved, waiting for apply"
            return [.suppressed(plugin: name, reason: reason)] + existing.map { .withdraw(plugin: name, fileName: $0.fileName, reason: "superseded by an approved file for the same target") }
        }
        let fileName = desired.fileName
        if let same = existing.first(where: { $0.fileName == fileName && $0.record.isSameDrift(as: desired) }) {
            return [.keep(plugin: name, fileName: same.fileName)]
                + existing.filter { $0.fileName != same.fileName }.map { .withdraw(plugin: name, fileName: $0.fileName, reason: "duplicate of \(same.fileName)") }
        }
        var record = desired
        if let earlier = existing.first(where: { $0.record.to?.sha == desired.to?.sha }) {
            record.detected = earlier.record.detected
        }
        return [.queue(record, replacing: existing.map(\.fileName))]
    }

    private enum Desired {
        /// No drift; the reason is built only when a pending file must be withdrawn (rarely).
        case none(() -> String)
        case failure(String)
        /// Drift exists, but no target may be queued yet (every candidate is soaking).
        case deferred(String)
        case record(UpdateRecord)
    }

    private static func desiredRecord(_ name: String, _ input: PlanInput) -> Desired {
        let installed = input.installed[name]
        guard let entry = input.manifest.entry(named: name) else {
            guard let stamp = installed?.stamp else { return .none { "the plugin is neither in the manifest nor installed (or has no stamp)" } }
            let record = UpdateRecord(
                id: UpdateRecord.makeID(workspace: input.workspace, plugin: name, targetSHA: nil),
                workspace: input.workspace, plugin: name, kind: .remove,
                source: stamp.source, subpath: stamp.subpath, track: stamp.track,
                from: RefPoint(ref: stamp.ref, sha: stamp.sha), to: nil,
                warning: nil, detected: input.now,
                basis: Basis(installed: basis(of: installed), manifest: nil))
            return .record(record)
        }
        if entry.track == .none { return .none { "the track is none" } }
        if entry.hold { return .none { "the subscription is on hold" } }
        let target: RefPoint
        switch input.resolutions[name] {
        case .resolved(let point)?:
            target = point
        case .failed(let reason)?:
            return .failure(reason)
        case .needsObjectLookup(let sha)?:
            return .failure("sha:\(sha) was not looked up in the repository's history")
        case .soaking(let point, let until)?:
            return .deferred("\(point.display) is soaking until \(Timestamp.string(until)) (min-age)")
        case .sameTree(let point)?:
            return .none { "same tree at \(point.display): the release does not change \(entry.subpath ?? "the plugin")" }
        case nil:
            return .failure("the track was not resolved")
        }
        var kind = UpdateKind.install
        var warning: String?
        switch installed {
        case nil:
            kind = .install
        case .unstamped?, .unreadable?:
            kind = .install
            warning = "plugins/\(name) exists without a usable stamp (unknown version); applying keeps that folder as a retained copy"
        case .stamped(let stamp)?:
            if stamp.isInSync(sha: target.sha, source: entry.source, subpath: entry.subpath) {
                return .none { "installed \(target.display) is the target" }
            }
            if stamp.source != entry.source || stamp.subpath != entry.subpath || stamp.track != entry.track.description {
                kind = .change
            } else if isTagTrack(entry.track), let ref = stamp.ref, ref == target.ref {
                kind = .retag
                warning = "tag \(ref) moved upstream from \(RefPoint.shortSHA(stamp.sha)) to \(target.shortSHA): a re-pointed tag is a supply-chain signal; find out who moved it before approving"
            } else if let old = stamp.ref.flatMap(TagVersion.init(tag:)), let new = target.ref.flatMap(TagVersion.init(tag:)), new < old {
                kind = .downgrade
                warning = "target \(new.tag) is lower than installed \(old.tag)"
            } else {
                kind = .update
            }
        }
        let record = UpdateRecord(
            id: UpdateRecord.makeID(workspace: input.workspace, plugin: name, targetSHA: target.sha),
            workspace: input.workspace, plugin: name, kind: kind,
            source: entry.source, subpath: entry.subpath, track: entry.track.description,
            from: installed?.stamp.map { RefPoint(ref: $0.ref, sha: $0.sha) }, to: target,
            warning: warning, detected: input.now,
            basis: Basis(installed: basis(of: installed), manifest: entry.basis),
            signature: input.signatures[name])
        return .record(record)
    }

    /// The basis of an installed folder.
    public static func basis(of installed: InstalledPlugin?) -> InstalledBasis {
        switch installed {
        case nil: return InstalledBasis(state: .absent)
        case .unstamped?, .unreadable?: return InstalledBasis(state: .unstamped)
        case .stamped(let stamp)?: return InstalledBasis(state: .stamped, sha: stamp.sha, digest: stamp.digest)
        }
    }

    private static func isTagTrack(_ track: Track) -> Bool {
        switch track {
        case .tag, .latest, .range: return true
        case .none, .sha, .branch: return false
        }
    }
}
