import Testing
@testable import SluiceKit
import SluiceTestSupport

@Suite struct PlannerTests {

    // MARK: Fixtures

    static let workspace = "team/alpha"
    static let source = "https://example.com/acme/foo.git"
    static let now = "2026-12-01T08:00:00Z"
    static let earlier = "2026-11-28T06:30:00Z"
    static let digest = "sha256:" + String(repeating: "d", count: 64)

    /// Installed commit, next target, the one after.
    static let shaOld = String(repeating: "a", count: 40)
    static let shaNew = String(repeating: "b", count: 40)
    static let shaNewer = String(repeating: "c", count: 40)

    static func stamp(_ plugin: String = "foo", ref: String? = "v1.0.0", sha: String = shaOld, track: String = "tag:latest", source: String = source, subpath: String? = nil) -> Stamp {
        Stamp(plugin: plugin, source: source, subpath: subpath, track: track, ref: ref, sha: sha, digest: digest, installed: "2026-11-01T00:00:00Z")
    }

    static func entry(_ name: String = "foo", track: Track = .latest, source: String = source, subpath: String? = nil, hold: Bool = false) -> PluginEntry {
        PluginEntry(name: name, source: source, subpath: subpath, track: track, hold: hold, line: 2)
    }

    static func input(
        _ entries: [PluginEntry],
        installed: [String: InstalledPlugin] = [:],
        resolutions: [String: TrackResolution] = [:],
        pending: [QueueEntry] = [],
        approved: [QueueEntry] = [],
        rejected: Set<RejectionKey> = [],
        now: String = now
    ) -> PlanInput {
        PlanInput(workspace: workspace, manifest: Manifest(plugins: entries), installed: installed, resolutions: resolutions,
                  pending: pending, approved: approved, rejected: rejected, now: now)
    }

    static func resolved(_ ref: String?, _ sha: String) -> TrackResolution {
        .resolved(RefPoint(ref: ref, sha: sha))
    }

    /// The one record a plan queues, with the files it replaces; records an issue otherwise.
    static func onlyQueued(_ actions: [PlanAction], sourceLocation: SourceLocation = #_sourceLocation) throws -> (record: UpdateRecord, replacing: [String]) {
        try #require(actions.count == 1, "\(actions)", sourceLocation: sourceLocation)
        guard case .queue(let record, let replacing) = actions[0] else {
            Issue.record("expected one .queue action, got \(actions)", sourceLocation: sourceLocation)
            throw PlannerTestFailure()
        }
        return (record, replacing)
    }

    struct PlannerTestFailure: Error {}

    /// A pending file as the planner would have written it for `target` at `detected`.
    static func pendingFile(for target: TrackResolution, entry: PluginEntry = entry(), installed: InstalledPlugin? = .stamped(stamp()), detected: String = earlier) throws -> QueueEntry {
        let actions = Planner.plan(input([entry], installed: installed.map { [entry.name: $0] } ?? [:], resolutions: [entry.name: target], now: detected))
        let (record, _) = try onlyQueued(actions)
        return QueueEntry(fileName: record.fileName, record: record)
    }

    // MARK: Tracks that queue nothing

    @Test func trackNoneNeverQueues() {
        let actions = Planner.plan(Self.input(
            [Self.entry(track: .none)],
            installed: ["foo": .stamped(Self.stamp())],
            resolutions: ["foo": Self.resolved("v9.0.0", Self.shaNewer)]))
        #expect(actions == [])
    }

    @Test func trackNoneWithdrawsAnExistingPending() throws {
        let pending = try Self.pendingFile(for: Self.resolved("v1.1.0", Self.shaNew))
        let actions = Planner.plan(Self.input(
            [Self.entry(track: .none)],
            installed: ["foo": .stamped(Self.stamp())],
            pending: [pending]))
        #expect(actions == [.withdraw(plugin: "foo", fileName: pending.fileName, reason: "the track is none")])
    }

    @Test func holdWithdrawsAndQueuesNothing() throws {
        let pending = try Self.pendingFile(for: Self.resolved("v1.1.0", Self.shaNew))
        let actions = Planner.plan(Self.input(
            [Self.entry(hold: true)],
            installed: ["foo": .stamped(Self.stamp())],
            resolutions: ["foo": Self.resolved("v1.2.0", Self.shaNewer)],
            pending: [pending]))
        #expect(actions == [.withdraw(plugin: "foo", fileName: pending.fileName, reason: "the subscription is on hold")])
    }

    @Test func holdWithoutPendingPlansNothing() {
        let actions = Planner.plan(Self.input(
            [Self.entry(hold: true)],
            resolutions: ["foo": Self.resolved("v1.2.0", Self.shaNewer)]))
        #expect(actions == [])
    }

    @Test func inSyncQueuesNothing() {
        let actions = Planner.plan(Self.input(
            [Self.entry()],
            installed: ["foo": .stamped(Self.stamp(ref: "v1.1.0", sha: Self.shaNew))],
            resolutions: ["foo": Self.resolved("v1.1.0", Self.shaNew)]))
        #expect(actions == [])
    }

    @Test func inSyncWithdrawsAStalePending() throws {
        let stale = try Self.pendingFile(for: Self.resolved("v1.1.0", Self.shaNew))
        let actions = Planner.plan(Self.input(
            [Self.entry()],
            installed: ["foo": .stamped(Self.stamp(ref: "v1.1.0", sha: Self.shaNew))],
            resolutions: ["foo": Self.resolved("v1.1.0", Self.shaNew)],
            pending: [stale]))
        #expect(actions == [.withdraw(plugin: "foo", fileName: "team~alpha+foo+bbbbbbbbbbbb.yaml", reason: "installed v1.1.0 (bbbbbbbbbbbb) is the target")])
    }

    // MARK: Kinds of drift

    @Test func tagDriftQueuesUpdateWithFromToAndBasis() throws {
        let actions = Planner.plan(Self.input(
            [Self.entry()],
            installed: ["foo": .stamped(Self.stamp())],
            resolutions: ["foo": Self.resolved("v1.1.0", Self.shaNew)]))
        let expected = UpdateRecord(
            id: "team~alpha+foo+bbbbbbbbbbbb", workspace: "team/alpha", plugin: "foo", kind: .update,
            source: Self.source, subpath: nil, track: "tag:latest",
            from: RefPoint(ref: "v1.0.0", sha: Self.shaOld), to: RefPoint(ref: "v1.1.0", sha: Self.shaNew),
            warning: nil, detected: Self.now,
            basis: Basis(installed: InstalledBasis(state: .stamped, sha: Self.shaOld, digest: Self.digest),
                         manifest: ManifestBasis(source: Self.source, subpath: nil, track: "tag:latest")))
        #expect(actions == [.queue(expected, replacing: [])])
        #expect(expected.fileName == "team~alpha+foo+bbbbbbbbbbbb.yaml")
    }

    @Test func branchAdvanceIsAnUpdateNotARetag() throws {
        let actions = Planner.plan(Self.input(
            [Self.entry(track: .branch("main"))],
            installed: ["foo": .stamped(Self.stamp(ref: "main", track: "branch:main"))],
            resolutions: ["foo": Self.resolved("main", Self.shaNew)]))
        let (record, replacing) = try Self.onlyQueued(actions)
        #expect(record.kind == .update)
        #expect(record.warning == nil)
        #expect(record.from == RefPoint(ref: "main", sha: Self.shaOld))
        #expect(record.to == RefPoint(ref: "main", sha: Self.shaNew))
        #expect(replacing == [])
    }

    @Test func notInstalledQueuesInstall() throws {
        let actions = Planner.plan(Self.input(
            [Self.entry(track: .tag("v1.1.0"), subpath: "skills/foo")],
            resolutions: ["foo": Self.resolved("v1.1.0", Self.shaNew)]))
        let expected = UpdateRecord(
            id: "team~alpha+foo+bbbbbbbbbbbb", workspace: "team/alpha", plugin: "foo", kind: .install,
            source: Self.source, subpath: "skills/foo", track: "tag:v1.1.0",
            from: nil, to: RefPoint(ref: "v1.1.0", sha: Self.shaNew),
            warning: nil, detected: Self.now,
            basis: Basis(installed: InstalledBasis(state: .absent),
                         manifest: ManifestBasis(source: Self.source, subpath: "skills/foo", track: "tag:v1.1.0")))
        #expect(actions == [.queue(expected, replacing: [])])
    }

    @Test(arguments: [InstalledPlugin.unstamped, .unreadable("sha 'xyz' is not a full hexadecimal commit id")])
    func unstampedFolderQueuesInstallWithAWarning(_ installed: InstalledPlugin) throws {
        let actions = Planner.plan(Self.input(
            [Self.entry()],
            installed: ["foo": installed],
            resolutions: ["foo": Self.resolved("v1.1.0", Self.shaNew)]))
        let (record, _) = try Self.onlyQueued(actions)
        #expect(record.kind == .install)
        #expect(record.from == nil)
        #expect(record.to == RefPoint(ref: "v1.1.0", sha: Self.shaNew))
        #expect(record.warning == "plugins/foo exists without a usable stamp (unknown version); applying keeps that folder as a retained copy")
        #expect(record.basis.installed == InstalledBasis(state: .unstamped))
    }

    @Test func sameTagMovedQueuesRetagWithAWarning() throws {
        let actions = Planner.plan(Self.input(
            [Self.entry(track: .tag("v1.0.0"))],
            installed: ["foo": .stamped(Self.stamp(ref: "v1.0.0", track: "tag:v1.0.0"))],
            resolutions: ["foo": Self.resolved("v1.0.0", Self.shaNew)]))
        let (record, _) = try Self.onlyQueued(actions)
        #expect(record.kind == .retag)
        #expect(record.from == RefPoint(ref: "v1.0.0", sha: Self.shaOld))
        #expect(record.to == RefPoint(ref: "v1.0.0", sha: Self.shaNew))
        #expect(record.warning == "tag v1.0.0 moved upstream from aaaaaaaaaaaa to bbbbbbbbbbbb: a re-pointed tag is a supply-chain signal; find out who moved it before approving")
    }

    @Test func latestTagMovedIsAlsoARetag() throws {
        let actions = Planner.plan(Self.input(
            [Self.entry(track: .latest)],
            installed: ["foo": .stamped(Self.stamp(ref: "v1.1.0"))],
            resolutions: ["foo": Self.resolved("v1.1.0", Self.shaNew)]))
        let (record, _) = try Self.onlyQueued(actions)
        #expect(record.kind == .retag)
        #expect(record.warning?.hasPrefix("tag v1.1.0 moved upstream") == true)
    }

    @Test func lowerVersionQueuesDowngradeWithAWarning() throws {
        let actions = Planner.plan(Self.input(
            [Self.entry()],
            installed: ["foo": .stamped(Self.stamp(ref: "v2.0.0"))],
            resolutions: ["foo": Self.resolved("v1.5.0", Self.shaNew)]))
        let (record, _) = try Self.onlyQueued(actions)
        #expect(record.kind == .downgrade)
        #expect(record.warning == "target v1.5.0 is lower than installed v2.0.0")
        #expect(record.from == RefPoint(ref: "v2.0.0", sha: Self.shaOld))
        #expect(record.to == RefPoint(ref: "v1.5.0", sha: Self.shaNew))
    }

    @Test func prereleaseBelowItsReleaseIsADowngrade() throws {
        let actions = Planner.plan(Self.input(
            [Self.entry(track: .range(try VersionRange(">=2.0.0-rc.1 <3")))],
            installed: ["foo": .stamped(Self.stamp(ref: "v2.0.0", track: "tag:>=2.0.0-rc.1 <3"))],
            resolutions: ["foo": Self.resolved("v2.0.0-rc.2", Self.shaNew)]))
        let (record, _) = try Self.onlyQueued(actions)
        #expect(record.kind == .downgrade)
    }

    /// SemVer ranks the alphanumeric identifier `-1` above the numeric `0`; `Version.<` (used by
    /// the planner) reads `-1` as a negative number. VersionRange.swift says as much and avoids it.
    @Test func downgradeFollowsSemverPrecedence() throws {
        let installedTag = try #require(TagVersion(tag: "v1.0.0--1"))
        let targetTag = try #require(TagVersion(tag: "v1.0.0-0"))
        #expect(targetTag < installedTag)
        let actions = Planner.plan(Self.input(
            [Self.entry(track: .range(try VersionRange(">=1.0.0-0 <1.0.1")))],
            installed: ["foo": .stamped(Self.stamp(ref: "v1.0.0--1", track: "tag:>=1.0.0-0 <1.0.1"))],
            resolutions: ["foo": Self.resolved("v1.0.0-0", Self.shaNew)]))
        let (record, _) = try Self.onlyQueued(actions)
        #expect(record.kind == .downgrade)
    }

    struct ChangeCase: Sendable, CustomTestStringConvertible {
        let name: String
        let entry: PluginEntry
        let target: TrackResolution
        var testDescription: String { name }
    }

    static let changeCases: [ChangeCase] = [
        ChangeCase(name: "source changed", entry: entry(source: "https://example.com/fork/foo.git"), target: resolved("v1.1.0", shaNew)),
        ChangeCase(name: "source changed, same commit", entry: entry(source: "git@example.com:fork/foo.git"), target: resolved("v1.0.0", shaOld)),
        ChangeCase(name: "subpath changed", entry: entry(subpath: "skills/foo"), target: resolved("v1.1.0", shaNew)),
        ChangeCase(name: "subpath changed, same commit", entry: entry(subpath: "skills/foo"), target: resolved("v1.0.0", shaOld)),
        ChangeCase(name: "track changed", entry: entry(track: .branch("main")), target: resolved("main", shaNew)),
        ChangeCase(name: "track changed to an exact tag", entry: entry(track: .tag("v0.9.0")), target: resolved("v0.9.0", shaNew)),
    ]

    @Test(arguments: changeCases)
    func sourceSubpathOrTrackChangeQueuesChange(_ change: ChangeCase) throws {
        let actions = Planner.plan(Self.input(
            [change.entry],
            installed: ["foo": .stamped(Self.stamp())],
            resolutions: ["foo": change.target]))
        let (record, _) = try Self.onlyQueued(actions)
        #expect(record.kind == .change)
        #expect(record.warning == nil)
        #expect(record.source == change.entry.source)
        #expect(record.subpath == change.entry.subpath)
        #expect(record.track == change.entry.track.description)
        #expect(record.from == RefPoint(ref: "v1.0.0", sha: Self.shaOld))
        #expect(record.basis.manifest == change.entry.basis)
    }

    @Test func stampedPluginRemovedFromManifestQueuesRemove() throws {
        let installed = Self.stamp(ref: "v1.0.0", track: "tag:^1", source: "https://example.com/acme/old.git", subpath: "skills/foo")
        let actions = Planner.plan(Self.input([], installed: ["foo": .stamped(installed)]))
        let expected = UpdateRecord(
            id: "team~alpha+foo+remove", workspace: "team/alpha", plugin: "foo", kind: .remove,
            source: "https://example.com/acme/old.git", subpath: "skills/foo", track: "tag:^1",
            from: RefPoint(ref: "v1.0.0", sha: Self.shaOld), to: nil,
            warning: nil, detected: Self.now,
            basis: Basis(installed: InstalledBasis(state: .stamped, sha: Self.shaOld, digest: Self.digest), manifest: nil))
        #expect(actions == [.queue(expected, replacing: [])])
        #expect(expected.to == nil)
    }

    @Test func unstampedFolderOutsideTheManifestIsLeftAlone() {
        let actions = Planner.plan(Self.input([], installed: ["stray": .unstamped, "broken": .unreadable("bad yaml")]))
        #expect(actions == [])
    }

    // MARK: Existing queue files

    @Test func identicalPendingIsKept() throws {
        let target = Self.resolved("v1.1.0", Self.shaNew)
        let pending = try Self.pendingFile(for: target)
        #expect(pending.record.detected == Self.earlier)
        let actions = Planner.plan(Self.input(
            [Self.entry()],
            installed: ["foo": .stamped(Self.stamp())],
            resolutions: ["foo": target],
            pending: [pending]))
        #expect(actions == [.keep(plugin: "foo", fileName: "team~alpha+foo+bbbbbbbbbbbb.yaml")])
    }

    @Test func updateIDsEscapeTheWorkspacePathIntoOneFileName() {
        let sha = String(repeating: "b", count: 40)
        #expect(UpdateRecord.makeID(workspace: "team/alpha", plugin: "foo", targetSHA: sha) == "team~alpha+foo+bbbbbbbbbbbb")
        #expect(UpdateRecord.makeID(workspace: ".", plugin: "foo", targetSHA: sha) == "%2E+foo+bbbbbbbbbbbb")
        #expect(UpdateRecord.makeID(workspace: ".hidden/x.y", plugin: "foo", targetSHA: nil) == "%2Ehidden~x.y+foo+remove")
        #expect(UpdateRecord.makeID(workspace: "a b/ü_Z-9", plugin: "p", targetSHA: "abc") == "a%20b~%C3%BC_Z-9+p+abc")
        #expect(UpdateRecord.makeID(workspace: "x+y~z%", plugin: "p", targetSHA: sha) == "x%2By%7Ez%25+p+bbbbbbbbbbbb")
    }

    @Test func theSameDriftIsEveryValueButTheDetectionTime() throws {
        let pending = try Self.pendingFile(for: Self.resolved("v1.1.0", Self.shaNew)).record
        var later = pending
        later.detected = Self.now
        #expect(pending.isSameDrift(as: pending))
        #expect(pending.isSameDrift(as: later) && later.isSameDrift(as: pending))
        #expect(later.detected == Self.now && pending.detected == Self.earlier)
        var warned = later
        warned.warning = "a warning"
        #expect(!pending.isSameDrift(as: warned))
        var signed = pending
        signed.signature = SignatureRecord(method: .ssh, object: "tag", id: "v1.1.0", signer: "a@b", key: "SHA256:x")
        #expect(!pending.isSameDrift(as: signed))
    }

    @Test func duplicatePendingUnderAnotherNameIsWithdrawn() throws {
        let target = Self.resolved("v1.1.0", Self.shaNew)
        let pending = try Self.pendingFile(for: target)
        let copy = QueueEntry(fileName: "copy-of-foo.yaml", record: pending.record)
        let actions = Planner.plan(Self.input(
            [Self.entry()],
            installed: ["foo": .stamped(Self.stamp())],
            resolutions: ["foo": target],
            pending: [pending, copy]))
        #expect(actions == [
            .keep(plugin: "foo", fileName: pending.fileName),
            .withdraw(plugin: "foo", fileName: "copy-of-foo.yaml", reason: "duplicate of \(pending.fileName)"),
        ])
    }

    @Test func pendingForAnOlderTargetIsReplaced() throws {
        let older = try Self.pendingFile(for: Self.resolved("v1.1.0", Self.shaNew))
        let actions = Planner.plan(Self.input(
            [Self.entry()],
            installed: ["foo": .stamped(Self.stamp())],
            resolutions: ["foo": Self.resolved("v1.2.0", Self.shaNewer)],
            pending: [older]))
        let (record, replacing) = try Self.onlyQueued(actions)
        #expect(record.id == "team~alpha+foo+cccccccccccc")
        #expect(record.to == RefPoint(ref: "v1.2.0", sha: Self.shaNewer))
        #expect(record.detected == Self.now)
        #expect(replacing == ["team~alpha+foo+bbbbbbbbbbbb.yaml"])
    }

    @Test func detectedTimeOfAnEarlierPendingForTheSameTargetIsKept() throws {
        let target = Self.resolved("v1.1.0", Self.shaNew)
        // Written when plugins/foo had no stamp; since then a stamped v1.0.0 appeared.
        let earlierPending = try Self.pendingFile(for: target, installed: .unstamped)
        let actions = Planner.plan(Self.input(
            [Self.entry()],
            installed: ["foo": .stamped(Self.stamp())],
            resolutions: ["foo": target],
            pending: [earlierPending]))
        let (record, replacing) = try Self.onlyQueued(actions)
        #expect(record.kind == .update)
        #expect(record.basis.installed.state == .stamped)
        #expect(record.detected == Self.earlier)
        #expect(record.fileName == earlierPending.fileName)
        // Rewritten in place: its own name is listed, and the executor does not remove it.
        #expect(replacing == [earlierPending.fileName])
    }

    @Test func rejectedTargetIsSuppressedAndItsPendingWithdrawn() throws {
        let target = Self.resolved("v1.1.0", Self.shaNew)
        let pending = try Self.pendingFile(for: target)
        let actions = Planner.plan(Self.input(
            [Self.entry()],
            installed: ["foo": .stamped(Self.stamp())],
            resolutions: ["foo": target],
            pending: [pending],
            rejected: [RejectionKey(workspace: Self.workspace, plugin: "foo", sha: Self.shaNew)]))
        let reason = "target v1.1.0 (bbbbbbbbbbbb) was rejected; a newer target will be queued"
        #expect(actions == [
            .suppressed(plugin: "foo", reason: reason),
            .withdraw(plugin: "foo", fileName: pending.fileName, reason: reason),
        ])
    }

    @Test func rejectionOfAnOlderTargetDoesNotBlockANewerOne() throws {
        let actions = Planner.plan(Self.input(
            [Self.entry()],
            installed: ["foo": .stamped(Self.stamp())],
            resolutions: ["foo": Self.resolved("v1.2.0", Self.shaNewer)],
            rejected: [RejectionKey(workspace: Self.workspace, plugin: "foo", sha: Self.shaNew)]))
        let (record, _) = try Self.onlyQueued(actions)
        #expect(record.to == RefPoint(ref: "v1.2.0", sha: Self.shaNewer))
    }

    @Test func rejectionInAnotherWorkspaceOrForAnotherPluginDoesNotApply() throws {
        let actions = Planner.plan(Self.input(
            [Self.entry()],
            installed: ["foo": .stamped(Self.stamp())],
            resolutions: ["foo": Self.resolved("v1.1.0", Self.shaNew)],
            rejected: [
                RejectionKey(workspace: "team/beta", plugin: "foo", sha: Self.shaNew),
                RejectionKey(workspace: Self.workspace, plugin: "bar", sha: Self.shaNew),
            ]))
        let (record, _) = try Self.onlyQueued(actions)
        #expect(record.to?.sha == Self.shaNew)
    }

    @Test func rejectedRemovalIsSuppressed() {
        let actions = Planner.plan(Self.input(
            [],
            installed: ["foo": .stamped(Self.stamp())],
            rejected: [RejectionKey(workspace: Self.workspace, plugin: "foo", sha: nil)]))
        #expect(actions == [.suppressed(plugin: "foo", reason: "target removal was rejected; a newer target will be queued")])
    }

    @Test func approvedFileForTheSameTargetSuppressesAndWithdrawsPending() throws {
        let target = Self.resolved("v1.1.0", Self.shaNew)
        let pending = try Self.pendingFile(for: target)
        let approved = QueueEntry(fileName: pending.fileName, record: pending.record)
        let actions = Planner.plan(Self.input(
            [Self.entry()],
            installed: ["foo": .stamped(Self.stamp())],
            resolutions: ["foo": target],
            pending: [pending],
            approved: [approved]))
        #expect(actions == [
            .suppressed(plugin: "foo", reason: "already approved, waiting for apply"),
            .withdraw(plugin: "foo", fileName: pending.fileName, reason: "superseded by an approved file for the same target"),
        ])
    }

    @Test func approvedFileForAnOlderTargetDoesNotSuppressANewerOne() throws {
        let approved = try Self.pendingFile(for: Self.resolved("v1.1.0", Self.shaNew))
        let actions = Planner.plan(Self.input(
            [Self.entry()],
            installed: ["foo": .stamped(Self.stamp())],
            resolutions: ["foo": Self.resolved("v1.2.0", Self.shaNewer)],
            approved: [approved]))
        let (record, replacing) = try Self.onlyQueued(actions)
        #expect(record.to?.sha == Self.shaNewer)
        #expect(replacing == [])
    }

    @Test func failedResolutionKeepsExistingPendingAsItIs() throws {
        let pending = try Self.pendingFile(for: Self.resolved("v1.1.0", Self.shaNew))
        let actions = Planner.plan(Self.input(
            [Self.entry()],
            installed: ["foo": .stamped(Self.stamp())],
            resolutions: ["foo": .failed("git ls-remote timed out after 60 s")],
            pending: [pending]))
        #expect(actions == [
            .failed(plugin: "foo", reason: "git ls-remote timed out after 60 s"),
            .keep(plugin: "foo", fileName: pending.fileName),
        ])
    }

    @Test func unlookedUpOrMissingResolutionFails() {
        let actions = Planner.plan(Self.input(
            [Self.entry("foo", track: .sha("abc1234")), Self.entry("bar")],
            resolutions: ["foo": .needsObjectLookup("abc1234")]))
        #expect(actions == [
            .failed(plugin: "foo", reason: "sha:abc1234 was not looked up in the repository's history"),
            .failed(plugin: "bar", reason: "the track was not resolved"),
        ])
    }

    @Test func pendingOfAnUnknownPluginIsWithdrawn() throws {
        let ghost = try Self.pendingFile(for: Self.resolved("v1.1.0", Self.shaNew), entry: Self.entry("ghost"))
        let actions = Planner.plan(Self.input([], pending: [ghost]))
        #expect(actions == [.withdraw(plugin: "ghost", fileName: "team~alpha+ghost+bbbbbbbbbbbb.yaml", reason: "the plugin is neither in the manifest nor installed (or has no stamp)")])
    }

    @Test func plansManifestOrderThenInstalledThenPendingOnlyPlugins() throws {
        let ghost = try Self.pendingFile(for: Self.resolved("v1.1.0", Self.shaNew), entry: Self.entry("ghost"))
        let actions = Planner.plan(Self.input(
            [Self.entry("zeta"), Self.entry("alpha")],
            installed: ["removed-b": .stamped(Self.stamp("removed-b")), "removed-a": .stamped(Self.stamp("removed-a"))],
            resolutions: ["zeta": Self.resolved("v1.1.0", Self.shaNew), "alpha": Self.resolved("v1.1.0", Self.shaNew)],
            pending: [ghost]))
        let order: [String] = actions.map { action in
            switch action {
            case .queue(let record, _): return "queue \(record.plugin) \(record.kind.rawValue)"
            case .keep(let plugin, _): return "keep \(plugin)"
            case .withdraw(let plugin, _, _): return "withdraw \(plugin)"
            case .suppressed(let plugin, _): return "suppressed \(plugin)"
            case .failed(let plugin, _): return "failed \(plugin)"
            }
        }
        #expect(order == ["queue zeta install", "queue alpha install", "queue removed-a remove", "queue removed-b remove", "withdraw ghost"])
    }

    @Test func planningTwiceIsIdempotent() throws {
        let first = Planner.plan(Self.input(
            [Self.entry("foo"), Self.entry("bar", track: .branch("main"))],
            installed: ["foo": .stamped(Self.stamp()), "old": .stamped(Self.stamp("old"))],
            resolutions: ["foo": Self.resolved("v1.1.0", Self.shaNew), "bar": Self.resolved("main", Self.shaNewer)],
            now: Self.earlier))
        let written: [QueueEntry] = first.compactMap { action in
            if case .queue(let record, _) = action { return QueueEntry(fileName: record.fileName, record: record) }
            return nil
        }
        #expect(written.map(\.fileName) == ["team~alpha+foo+bbbbbbbbbbbb.yaml", "team~alpha+bar+cccccccccccc.yaml", "team~alpha+old+remove.yaml"])
        let second = Planner.plan(Self.input(
            [Self.entry("foo"), Self.entry("bar", track: .branch("main"))],
            installed: ["foo": .stamped(Self.stamp()), "old": .stamped(Self.stamp("old"))],
            resolutions: ["foo": Self.resolved("v1.1.0", Self.shaNew), "bar": Self.resolved("main", Self.shaNewer)],
            pending: written))
        #expect(second == written.map { .keep(plugin: $0.record.plugin, fileName: $0.fileName) })
    }

    // MARK: Identifiers

    static let idCases: [(workspace: String, plugin: String, sha: String?, id: String)] = [
        ("team/alpha", "foo", "0123456789abcdef0123456789abcdef01234567", "team~alpha+foo+0123456789ab"),
        ("alpha", "foo", "0123456", "alpha+foo+0123456"),
        ("team/alpha", "foo", nil, "team~alpha+foo+remove"),
        ("a b/c+d", "p", "0123456789abcdef", "a%20b~c%2Bd+p+0123456789ab"),
        ("x~y%z", "p", nil, "x%7Ey%25z+p+remove"),
        ("Team_1/ws-2.old", "p", nil, "Team_1~ws-2.old+p+remove"),
        ("café/ü", "p", nil, "caf%C3%A9~%C3%BC+p+remove"),
        ("a:b\\c", "p", nil, "a%3Ab%5Cc+p+remove"),
    ]

    @Test(arguments: idCases)
    func idEscapesTheWorkspace(workspace: String, plugin: String, sha: String?, id: String) {
        #expect(UpdateRecord.makeID(workspace: workspace, plugin: plugin, targetSHA: sha) == id)
    }

    @Test func escapedWorkspacesNeverCollide() {
        let workspaces = ["a/b", "a~b", "a%7Eb", "a b", "a%20b", "a+b"]
        let ids = workspaces.map { UpdateRecord.makeID(workspace: $0, plugin: "p", targetSHA: nil) }
        #expect(Set(ids).count == workspaces.count)
        #expect(ids == ["a~b+p+remove", "a%7Eb+p+remove", "a%257Eb+p+remove", "a%20b+p+remove", "a%2520b+p+remove", "a%2Bb+p+remove"])
    }

    @Test func fileNameIsTheIDWithYAMLExtension() throws {
        let record = try Self.pendingFile(for: Self.resolved("v1.1.0", Self.shaNew)).record
        #expect(record.id == "team~alpha+foo+bbbbbbbbbbbb")
        #expect(record.fileName == "team~alpha+foo+bbbbbbbbbbbb.yaml")
    }
}
