/// What apply does with one approved update, decided from what it read: no I/O in here.
///
/// Apply and its dry run gather the same ``Facts`` and ask the same questions in the same
/// order, so a dry run cannot promise what apply would refuse. The order matters and is the
/// order apply has always used: a record from an untrusted file is checked before any path is
/// built from it; a symbolic link refuses before anything is written; work already on disk
/// (a crash after the swap, or a target already installed) is finished before the basis is
/// checked, since that work changed the basis; the local-modification check comes last.
struct ApplyDecision: Sendable {
    /// The root's configuration (source policy, retention).
    let config: SluiceConfig
    /// Install over a live tree modified locally.
    let force: Bool

    /// What apply read about a record's workspace before it trusts the record's paths.
    struct Workspace: Sendable {
        /// Why the workspace path leaves the root (``RootLayout/workspaceProblem(_:)``), or nil.
        var problem: String?
        /// Whether the workspace holds a `plugins.yaml` (only looked at when `problem` is nil).
        var hasManifest: Bool
    }

    /// What apply read, under the workspace lock, about the plugin an update changes.
    struct Facts: Sendable {
        /// The first of `plugins/`, `.sluice/`, `plugins/<name>` that is a symbolic link.
        var symbolicLink: String?
        /// The manifest's entry for the plugin (nil when it has none), or why the manifest
        /// could not be loaded.
        var manifest: Result<PluginEntry?, ValidationError>
        /// The live folder's state.
        var installed: InstalledPlugin?
        /// The digest of the live tree's files, when it could be read.
        var liveDigest: String?
        /// Whether recovery retained a previous tree that this attempt had swapped out before it
        /// was interrupted.
        var recoveredPreviousTree = false
        /// Whether the plugin has any retained tree (a removal leaves one).
        var hasRetainedTree = false
    }

    /// An update whose change is already on disk.
    enum Finished: Sendable, Hashable {
        /// The approved commit was installed before this attempt (by another approval).
        case alreadyInstalled
        /// This attempt swapped the new tree in and was interrupted before its outcome.
        case swappedBeforeInterruption
        /// This removal moved the tree into retention and was interrupted before its outcome.
        case removalFinished
    }

    /// The answer for one update.
    enum Verdict: Sendable, Hashable {
        /// Record a failure with this reason; nothing is touched.
        case refuse(String)
        /// Record the change already on disk as applied.
        case finished(Finished)
        /// Install; carries the manifest entry (nil for a removal).
        case install(PluginEntry?)
    }

    /// Checks a record from an untrusted file before any path is built from it.
    ///
    /// - Returns: why the record is unusable, or nil.
    func invalidity(of record: UpdateRecord, fileName: String, workspace: Workspace) -> String? {
        guard record.format == 1 else { return "format \(record.format) is not known to this sluice (it writes format 1)" }
        if let problem = workspace.problem { return problem }
        guard workspace.hasManifest else {
            return "'\(record.workspace)' holds no plugins.yaml; it is not a workspace"
        }
        if let problem = PluginName.problem(with: record.plugin) { return "invalid plugin name '\(record.plugin)': \(problem)" }
        if let to = record.to, !ObjectID.isFull(to.sha) { return "to.sha '\(to.sha)' is not a full lowercase commit id" }
        if let problem = refInconsistency(record) { return problem }
        if record.to == nil, record.kind != .remove { return "to is missing; only a remove has no target" }
        if record.to != nil, record.kind == .remove { return "a remove has no target, but this record has one" }
        if record.kind == .rollback { return "a rollback record is written by 'sluice rollback' and is never applied" }
        if let subpath = record.subpath, let problem = Manifest.subpathProblem(subpath) { return "subpath \(problem)" }
        do {
            _ = try config.sources.check(record.source)
        } catch {
            return "source: \(error.message)"
        }
        let expected = UpdateRecord.makeID(workspace: record.workspace, plugin: record.plugin, targetSHA: record.to?.sha)
        guard record.id == expected, fileName == QueueFileName.name(id: expected) else {
            return "the file name and id do not match its workspace, plugin and target (expected \(expected).yaml); approve the file sluice wrote, unedited"
        }
        return nil
    }

    /// Whether `to.ref` agrees with `to.sha` as far as the record can tell: a ref that is itself
    /// a commit id (a full one, or any ref of a `sha:` track) must be a prefix of `to.sha`, and a
    /// `retag` keeps its tag (`from.ref` = `to.ref`).
    ///
    /// - Returns: why they disagree, or nil.
    func refInconsistency(_ record: UpdateRecord) -> String? {
        if let to = record.to, let ref = to.ref {
            let isHex = !ref.isEmpty && ref.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains($0) }
            let namesACommit = isHex && (ref.count == 40 || ref.count == 64 || record.track.hasPrefix("sha:"))
            if namesACommit, !to.sha.hasPrefix(ref.lowercased()) {
                return "to.ref '\(ref)' is a commit id that is not to.sha \(to.sha.prefix(12)); the record contradicts itself (hand-edited?)"
            }
        }
        if record.kind == .retag, record.from?.ref != record.to?.ref {
            return "a retag keeps its tag, but from.ref '\(record.from?.ref ?? "null")' and to.ref '\(record.to?.ref ?? "null")' differ; the record contradicts itself (hand-edited?)"
        }
        return nil
    }

    /// Refuses to write through a symbolic link; checked before anything is written.
    func linkRefusal(_ symbolicLink: String?) -> String? {
        symbolicLink.map { "\($0) is a symbolic link; Sluice does not write through links. Replace it with a real folder" }
    }

    /// The whole decision for a valid record, in apply's order.
    func verdict(for record: UpdateRecord, facts: Facts) -> Verdict {
        if let refusal = linkRefusal(facts.symbolicLink) { return .refuse(refusal) }
        if let finished = finishedEarlier(record, facts: facts) { return .finished(finished) }
        let entry: PluginEntry?
        do {
            entry = try checkBasis(record, manifest: facts.manifest, installed: facts.installed)
        } catch {
            return .refuse(error.description)
        }
        if isModifiedLocally(facts), !force {
            return .refuse(InstallError.modifiedLocally("plugins/\(record.plugin) in \(record.workspace)").description)
        }
        return .install(entry)
    }

    /// Whether the update's change is already on disk, and how it got there.
    func finishedEarlier(_ record: UpdateRecord, facts: Facts) -> Finished? {
        if let to = record.to, let stamp = facts.installed?.stamp, stamp.isInSync(sha: to.sha, source: record.source, subpath: record.subpath) {
            return facts.recoveredPreviousTree ? .swappedBeforeInterruption : .alreadyInstalled
        }
        if record.kind == .remove, facts.installed == nil, record.basis.installed.state != .absent, facts.recoveredPreviousTree || facts.hasRetainedTree {
            return .removalFinished
        }
        return nil
    }

    /// Refuses a stale approval: the manifest entry or the installed folder is no longer what
    /// the update was computed against.
    ///
    /// - Returns: the current manifest entry (nil for a removal).
    func checkBasis(_ record: UpdateRecord, manifest: Result<PluginEntry?, ValidationError>, installed: InstalledPlugin?) throws(InstallError) -> PluginEntry? {
        let entry: PluginEntry?
        switch manifest {
        case .failure(let error):
            throw .stale("\(record.workspace)/plugins.yaml is invalid (\(error.diagnostics.first?.description ?? "unreadable"))")
        case .success(let found):
            entry = found
        }
        if record.kind == .remove {
            if entry != nil { throw .stale("'\(record.plugin)' is back in \(record.workspace)/plugins.yaml, so it is no longer to be removed") }
        } else {
            guard let entry else { throw .stale("\(record.workspace) no longer subscribes to '\(record.plugin)'") }
            if entry.hold { throw .held(record.plugin) }
            guard let basis = record.basis.manifest, basis == entry.basis else {
                throw .stale("the manifest entry changed since the update was queued (now source \(entry.source), track \(entry.track))")
            }
            guard record.source == basis.source, record.subpath == basis.subpath, record.track == basis.track else {
                throw .stale("the record's source, subpath or track differ from its own basis (hand-edited?)")
            }
        }
        let now = Planner.basis(of: installed)
        guard now == record.basis.installed else {
            let was = record.basis.installed.sha.map { String($0.prefix(12)) } ?? record.basis.installed.state.rawValue
            let isNow = now.sha.map { String($0.prefix(12)) } ?? now.state.rawValue
            throw .stale("the installed plugin is now \(isNow), but the update was made against \(was)")
        }
        return entry
    }

    /// Whether the live tree's files no longer match its stamp's digest (an operator's edits).
    /// A tree that could not be read, or has no stamp, is not known to be modified.
    func isModifiedLocally(_ facts: Facts) -> Bool {
        guard let stamp = facts.installed?.stamp, let digest = facts.liveDigest else { return false }
        return digest != stamp.digest
    }

    /// How a retained tree is labelled: its stamp's short SHA or `unstamped`, and `-modified`
    /// when its files no longer match its stamp (an operator's edits, never pruned).
    ///
    /// - Parameters:
    ///   - stamp: The tree's stamp, nil when it has none or it cannot be read.
    ///   - digest: The digest of the tree's files, nil when they cannot be read.
    static func label(stamp: Stamp?, digest: String?) -> String {
        guard let stamp else { return "unstamped" }
        return String(stamp.sha.prefix(12)) + (digest == stamp.digest ? "" : "-modified")
    }

    /// The retained trees to delete: all but the newest `retain` of those Sluice may delete.
    /// Trees that hold an operator's own content (`-modified`, `unstamped`) are never pruned.
    ///
    /// - Parameter names: The names in the plugin's retention folder; they sort by age.
    static func prunable(_ names: [String], retain: Int) -> [String] {
        Array(names.filter { !$0.hasPrefix(".") && !$0.contains("modified") && !$0.contains("unstamped") }.sorted().dropLast(retain))
    }

    /// What recovery read about one tree (the staging folder or the live folder).
    struct TreeState: Sendable, Hashable {
        /// The tree's stamp, nil when it has none or it cannot be read.
        var stamp: Stamp?
        /// Whether the tree's files match its stamp's digest.
        var verifies: Bool
        /// Whether the tree holds any entry other than Sluice's temporary files (`.tmp-…`).
        var hasEntries: Bool
        /// When the stamp file was last modified, in nanoseconds since 1970; a rename keeps it.
        var stampWritten: Int?
    }

    /// Tells, from the trees alone, whether a staging folder is the previous tree after a swap
    /// (to retain) or a new tree that never went live, whole or partial (to delete).
    ///
    /// A new tree always gets its stamp first, written atomically, and is swapped in only once it
    /// is whole and synced; after the swap it is live. So:
    /// - a staging folder without a usable stamp is Sluice's partial work when it holds nothing
    ///   but temporary files (a crash while the stamp was written), and a previous, unstamped
    ///   tree (swapped out of `plugins/`) when it holds anything else;
    /// - with no live tree, or an unstamped one, no swap happened: the staged tree is new;
    /// - when exactly one of the two stamps names the record's target, that tree is the new one;
    /// - otherwise (both or neither, for example a staging folder left by another approval) the
    ///   stamp file written last is the new tree: stamp files keep their nanosecond modification
    ///   time through every rename. Only if those are equal too is a staged tree that verifies
    ///   kept; one that does not is deleted, since a half-copied tree must never be retained.
    ///
    /// A retained tree whose files do not match its stamp is therefore always a previous tree
    /// that an operator edited (`-modified`), never a new tree cut short.
    ///
    /// - Parameters:
    ///   - staged: The staging folder.
    ///   - live: The live folder, nil when there is none.
    ///   - target: The record's target (`to` with its source and subpath), nil for a removal.
    static func stagingHoldsPreviousTree(staged: TreeState, live: TreeState?, target: (sha: String, source: String, subpath: String?)?) -> Bool {
        guard let stagedStamp = staged.stamp else { return staged.hasEntries }
        guard let live, let liveStamp = live.stamp else { return false }
        func isTarget(_ stamp: Stamp) -> Bool {
            guard let target else { return false }
            return stamp.sha == target.sha && stamp.source == target.source && stamp.subpath == target.subpath
        }
        let liveIsTarget = isTarget(liveStamp)
        if liveIsTarget != isTarget(stagedStamp) { return liveIsTarget }
        if let stagedTime = staged.stampWritten, let liveTime = live.stampWritten, stagedTime != liveTime {
            return liveTime > stagedTime
        }
        return staged.verifies
    }
}
