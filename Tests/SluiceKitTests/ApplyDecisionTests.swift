import Testing
@testable import SluiceKit
import SluiceTestSupport

/// Apply's checks as a pure function: each rule from what apply read, without files or git.
@Suite struct ApplyDecisionTests {

    // MARK: Fixtures

    static let workspace = "team/alpha"
    static let source = "https://example.com/acme/foo.git"
    static let digest = "sha256:" + String(repeating: "d", count: 64)
    static let otherDigest = "sha256:" + String(repeating: "e", count: 64)
    static let shaOld = String(repeating: "a", count: 40)
    static let shaNew = String(repeating: "b", count: 40)
    static let link = "/root/team/alpha/plugins"

    static let decision = ApplyDecision(config: .standard, force: false)
    static let forced = ApplyDecision(config: .standard, force: true)
    static let goodWorkspace = ApplyDecision.Workspace(problem: nil, hasManifest: true)

    static func stamp(sha: String = shaOld, installed: String = "2026-11-01T00:00:00Z") -> Stamp {
        Stamp(plugin: "foo", source: source, subpath: nil, track: "tag:latest", ref: "v1.0.0", sha: sha, digest: digest, installed: installed)
    }

    static func entry(hold: Bool = false, source: String = source) -> PluginEntry {
        PluginEntry(name: "foo", source: source, track: .latest, hold: hold, line: 2)
    }

    /// An update of `foo` from v1.0.0 (shaOld, stamped) to v1.1.0 (shaNew), as the planner queues it.
    static func update() -> UpdateRecord {
        UpdateRecord(
            id: UpdateRecord.makeID(workspace: workspace, plugin: "foo", targetSHA: shaNew), workspace: workspace, plugin: "foo",
            kind: .update, source: source, subpath: nil, track: entry().track.description,
            from: RefPoint(ref: "v1.0.0", sha: shaOld), to: RefPoint(ref: "v1.1.0", sha: shaNew), warning: nil,
            detected: "2026-11-28T06:30:00Z",
            basis: Basis(installed: InstalledBasis(state: .stamped, sha: shaOld, digest: digest), manifest: entry().basis))
    }

    /// A removal of the stamped `foo`, no longer in the manifest.
    static func removal() -> UpdateRecord {
        UpdateRecord(
            id: UpdateRecord.makeID(workspace: workspace, plugin: "foo", targetSHA: nil), workspace: workspace, plugin: "foo",
            kind: .remove, source: source, subpath: nil, track: "tag:latest",
            from: RefPoint(ref: "v1.0.0", sha: shaOld), to: nil, warning: nil, detected: "2026-11-28T06:30:00Z",
            basis: Basis(installed: InstalledBasis(state: .stamped, sha: shaOld, digest: digest), manifest: nil))
    }

    /// What apply reads for the update when nothing has changed since it was queued.
    static func facts(
        link: String? = nil, manifest: Result<PluginEntry?, ValidationError> = .success(entry()),
        installed: InstalledPlugin? = .stamped(stamp()), liveDigest: String? = digest,
        recovered: Bool = false, hasRetained: Bool = false
    ) -> ApplyDecision.Facts {
        ApplyDecision.Facts(symbolicLink: link, manifest: manifest, installed: installed, liveDigest: liveDigest,
                            recoveredPreviousTree: recovered, hasRetainedTree: hasRetained)
    }

    static func stale(_ why: String) -> ApplyDecision.Verdict {
        .refuse(InstallError.stale(why).description)
    }

    static func invalidity(_ edit: (inout UpdateRecord) -> Void, workspace: ApplyDecision.Workspace = goodWorkspace) -> String? {
        var record = update()
        edit(&record)
        return decision.invalidity(of: record, fileName: record.fileName, workspace: workspace)
    }

    // MARK: Record validity

    @Test func recordAsQueuedIsValid() {
        #expect(Self.invalidity { _ in } == nil)
        let removal = Self.removal()
        #expect(Self.decision.invalidity(of: removal, fileName: removal.fileName, workspace: Self.goodWorkspace) == nil)
    }

    @Test func unknownFormatIsInvalid() {
        #expect(Self.invalidity { $0.format = 2 } == "format 2 is not known to this sluice (it writes format 1)")
    }

    @Test func workspaceOutsideTheRootIsInvalidBeforeAnythingElse() {
        let workspace = ApplyDecision.Workspace(problem: "the workspace path '../x' has '.', '..' or empty parts", hasManifest: false)
        #expect(Self.invalidity({ $0.plugin = "Bad" }, workspace: workspace) == "the workspace path '../x' has '.', '..' or empty parts")
    }

    @Test func workspaceWithoutManifestIsInvalid() {
        let workspace = ApplyDecision.Workspace(problem: nil, hasManifest: false)
        #expect(Self.invalidity({ _ in }, workspace: workspace) == "'team/alpha' holds no plugins.yaml; it is not a workspace")
    }

    @Test func invalidPluginNameIsInvalid() {
        #expect(Self.invalidity { $0.plugin = "../etc" }?.hasPrefix("invalid plugin name '../etc'") == true)
    }

    @Test func abbreviatedTargetIsInvalid() {
        #expect(Self.invalidity { $0.to = RefPoint(ref: "v1.1.0", sha: "bbbbbbb") } == "to.sha 'bbbbbbb' is not a full lowercase commit id")
        #expect(Self.invalidity { $0.to = RefPoint(ref: "v1.1.0", sha: Self.shaNew.uppercased()) }?.contains("full lowercase") == true)
    }

    @Test func targetMustMatchKind() {
        #expect(Self.invalidity { $0.to = nil } == "to is missing; only a remove has no target")
        #expect(Self.invalidity { $0.kind = .remove } == "a remove has no target, but this record has one")
    }

    @Test func rollbackRecordIsNeverApplied() {
        #expect(Self.invalidity { $0.kind = .rollback } == "a rollback record is written by 'sluice rollback' and is never applied")
    }

    @Test func subpathThatEscapesIsInvalid() {
        #expect(Self.invalidity { $0.subpath = "../up" }?.hasPrefix("subpath ") == true)
    }

    @Test func sourceOutsideThePolicyIsInvalid() {
        #expect(Self.invalidity { $0.source = "file:///tmp/foo.git" }?.hasPrefix("source: the file transport is not allowed here") == true)
    }

    @Test func renamedOrEditedFileIsInvalid() {
        let expected = "the file name and id do not match its workspace, plugin and target (expected \(Self.update().id).yaml); approve the file sluice wrote, unedited"
        #expect(Self.invalidity { $0.id = "other" } == expected)
        let record = Self.update()
        #expect(Self.decision.invalidity(of: record, fileName: record.id + ".1.yaml", workspace: Self.goodWorkspace) == expected)
    }

    // MARK: Symbolic links

    @Test func symbolicLinkRefusesBeforeAnyOtherRule() {
        let message = "\(Self.link) is a symbolic link; Sluice does not write through links. Replace it with a real folder"
        #expect(Self.decision.linkRefusal(Self.link) == message)
        #expect(Self.decision.linkRefusal(nil) == nil)
        // Even a target that is already installed, or a forced install, is refused.
        let installed = Self.facts(link: Self.link, installed: .stamped(Self.stamp(sha: Self.shaNew)))
        #expect(Self.decision.verdict(for: Self.update(), facts: installed) == .refuse(message))
        #expect(Self.forced.verdict(for: Self.update(), facts: Self.facts(link: Self.link, liveDigest: Self.otherDigest)) == .refuse(message))
    }

    // MARK: Finished earlier

    @Test func targetAlreadyInstalledIsFinished() {
        let facts = Self.facts(installed: .stamped(Self.stamp(sha: Self.shaNew)))
        #expect(Self.decision.verdict(for: Self.update(), facts: facts) == .finished(.alreadyInstalled))
    }

    @Test func swapBeforeAnInterruptionIsFinished() {
        let facts = Self.facts(installed: .stamped(Self.stamp(sha: Self.shaNew)), recovered: true)
        #expect(Self.decision.verdict(for: Self.update(), facts: facts) == .finished(.swappedBeforeInterruption))
    }

    @Test func sameCommitFromAnotherSourceIsNotFinished() {
        var stamp = Self.stamp(sha: Self.shaNew)
        stamp.source = "https://example.com/fork/foo.git"
        let verdict = Self.decision.verdict(for: Self.update(), facts: Self.facts(installed: .stamped(stamp)))
        #expect(verdict == Self.stale("the installed plugin is now bbbbbbbbbbbb, but the update was made against aaaaaaaaaaaa"))
    }

    @Test func removalWithTheTreeAlreadyRetainedIsFinished() {
        let facts = Self.facts(manifest: .success(nil), installed: nil, liveDigest: nil, hasRetained: true)
        #expect(Self.decision.verdict(for: Self.removal(), facts: facts) == .finished(.removalFinished))
    }

    @Test func removalOfAFolderGoneWithoutRetentionIsStale() {
        let facts = Self.facts(manifest: .success(nil), installed: nil, liveDigest: nil, hasRetained: false)
        #expect(Self.decision.verdict(for: Self.removal(), facts: facts) == Self.stale("the installed plugin is now absent, but the update was made against aaaaaaaaaaaa"))
    }

    // MARK: Basis

    @Test func unchangedBasisInstallsWithTheManifestEntry() {
        #expect(Self.decision.verdict(for: Self.update(), facts: Self.facts()) == .install(Self.entry()))
        let removal = Self.facts(manifest: .success(nil))
        #expect(Self.decision.verdict(for: Self.removal(), facts: removal) == .install(nil))
    }

    @Test func invalidManifestIsStale() {
        let error = ValidationError([Diagnostic(file: "team/alpha/plugins.yaml", line: 3, column: 5, message: "unknown key 'sorce'")])
        let verdict = Self.decision.verdict(for: Self.update(), facts: Self.facts(manifest: .failure(error)))
        #expect(verdict == Self.stale("team/alpha/plugins.yaml is invalid (team/alpha/plugins.yaml:3:5: error: unknown key 'sorce')"))
    }

    @Test func unsubscribedPluginIsStale() {
        let verdict = Self.decision.verdict(for: Self.update(), facts: Self.facts(manifest: .success(nil)))
        #expect(verdict == Self.stale("team/alpha no longer subscribes to 'foo'"))
    }

    @Test func heldPluginIsRefused() {
        let verdict = Self.decision.verdict(for: Self.update(), facts: Self.facts(manifest: .success(Self.entry(hold: true))))
        #expect(verdict == .refuse(InstallError.held("foo").description))
    }

    @Test func changedManifestEntryIsStale() {
        let moved = Self.entry(source: "https://example.com/fork/foo.git")
        let verdict = Self.decision.verdict(for: Self.update(), facts: Self.facts(manifest: .success(moved)))
        #expect(verdict == Self.stale("the manifest entry changed since the update was queued (now source https://example.com/fork/foo.git, track tag:latest)"))
    }

    @Test func recordThatDisagreesWithItsOwnBasisIsStale() {
        var record = Self.update()
        record.track = "tag:v1.1.0"
        let verdict = Self.decision.verdict(for: record, facts: Self.facts())
        #expect(verdict == Self.stale("the record's source, subpath or track differ from its own basis (hand-edited?)"))
    }

    @Test func removalOfAPluginBackInTheManifestIsStale() {
        let verdict = Self.decision.verdict(for: Self.removal(), facts: Self.facts())
        #expect(verdict == Self.stale("'foo' is back in team/alpha/plugins.yaml, so it is no longer to be removed"))
    }

    @Test func changedInstalledTreeIsStale() {
        let unstamped = Self.decision.verdict(for: Self.update(), facts: Self.facts(installed: .unstamped, liveDigest: nil))
        #expect(unstamped == Self.stale("the installed plugin is now unstamped, but the update was made against aaaaaaaaaaaa"))
        let unreadable = Self.decision.verdict(for: Self.update(), facts: Self.facts(installed: .unreadable("bad stamp"), liveDigest: nil))
        #expect(unreadable == unstamped)
    }

    @Test func basisIsCheckedBeforeLocalModifications() {
        let verdict = Self.decision.verdict(for: Self.update(), facts: Self.facts(manifest: .success(nil), liveDigest: Self.otherDigest))
        #expect(verdict == Self.stale("team/alpha no longer subscribes to 'foo'"))
    }

    // MARK: Local modifications

    @Test func locallyModifiedTreeIsRefusedUnlessForced() {
        let facts = Self.facts(liveDigest: Self.otherDigest)
        #expect(Self.decision.verdict(for: Self.update(), facts: facts) == .refuse(InstallError.modifiedLocally("plugins/foo in team/alpha").description))
        #expect(Self.forced.verdict(for: Self.update(), facts: facts) == .install(Self.entry()))
    }

    @Test func unreadableTreeIsNotTakenAsModified() {
        #expect(Self.decision.verdict(for: Self.update(), facts: Self.facts(liveDigest: nil)) == .install(Self.entry()))
    }

    // MARK: Retention

    @Test func retainedTreesAreLabelledFromTheirOwnFiles() {
        #expect(ApplyDecision.label(stamp: nil, digest: Self.digest) == "unstamped")
        #expect(ApplyDecision.label(stamp: Self.stamp(), digest: Self.digest) == "aaaaaaaaaaaa")
        #expect(ApplyDecision.label(stamp: Self.stamp(), digest: Self.otherDigest) == "aaaaaaaaaaaa-modified")
        #expect(ApplyDecision.label(stamp: Self.stamp(), digest: nil) == "aaaaaaaaaaaa-modified")
    }

    @Test func pruningKeepsTheNewestAndNeverAnOperatorsTree() {
        let names = [
            "20261101T000000Z-001-aaaaaaaaaaaa", "20261102T000000Z-001-aaaaaaaaaaaa-modified", "20261103T000000Z-001-bbbbbbbbbbbb",
            "20261104T000000Z-001-unstamped", "20261105T000000Z-001-cccccccccccc", ".tmp-partial",
        ].shuffled()
        #expect(ApplyDecision.prunable(names, retain: 2) == ["20261101T000000Z-001-aaaaaaaaaaaa"])
        #expect(ApplyDecision.prunable(names, retain: 0) == [
            "20261101T000000Z-001-aaaaaaaaaaaa", "20261103T000000Z-001-bbbbbbbbbbbb", "20261105T000000Z-001-cccccccccccc",
        ])
        #expect(ApplyDecision.prunable(names, retain: 5).isEmpty)
    }

    /// A tree as recovery reads it: `stamp` (nil: none), whether it verifies, whether it holds
    /// anything but temporary files, and its stamp file's write time.
    static func tree(_ sha: String?, verifies: Bool = true, entries: Bool = true, written: Int? = 1) -> ApplyDecision.TreeState {
        ApplyDecision.TreeState(stamp: sha.map { stamp(sha: $0) }, verifies: verifies, hasEntries: entries, stampWritten: written)
    }

    static let target = (sha: shaNew, source: source, subpath: String?.none)

    @Test(arguments: [
        // Only temporary files (a crash while the stamp was written), or nothing: Sluice's partial work.
        ("temporary stamp only", tree(nil, verifies: false, entries: false), tree(shaOld), false),
        // Files and no stamp: the previous, unstamped tree after a swap (new trees get their stamp first).
        ("unstamped previous tree", tree(nil, verifies: false), tree(shaNew), true),
        // No live stamp (no live tree, or an unstamped one): no swap happened.
        ("no live tree", tree(shaNew), nil, false),
        ("unstamped live tree", tree(shaNew), tree(nil, verifies: false), false),
        // The target's tree is live: the swap happened, whatever the stamps' times.
        ("after the swap", tree(shaOld, written: 9), tree(shaNew, written: 1), true),
        ("after the swap, previous tree edited", tree(shaOld, verifies: false, written: 9), tree(shaNew, written: 1), true),
        // The target's tree is staged: no swap, whole or cut short, same second or not.
        ("before the swap", tree(shaNew, written: 1), tree(shaOld, written: 1), false),
        ("half-copied, same second", tree(shaNew, verifies: false, written: 1), tree(shaOld, written: 9), false),
        // Neither names the target (left by another approval): the stamp written last is the new tree.
        ("other approval, after its swap", tree(shaOld, written: 1), tree(shaOld, written: 2), true),
        ("other approval, before its swap", tree(shaOld, verifies: false, written: 2), tree(shaOld, written: 1), false),
        // Indistinguishable: only a whole tree is kept.
        ("tie, whole", tree(shaOld, written: 1), tree(shaOld, written: 1), true),
        ("tie, cut short", tree(shaOld, verifies: false, written: 1), tree(shaOld, written: 1), false),
    ] as [(String, ApplyDecision.TreeState, ApplyDecision.TreeState?, Bool)])
    func stagingFolderIsThePreviousTreeOnlyAfterTheSwap(_ name: String, staged: ApplyDecision.TreeState, live: ApplyDecision.TreeState?, previous: Bool) {
        #expect(ApplyDecision.stagingHoldsPreviousTree(staged: staged, live: live, target: Self.target) == previous, "\(name)")
    }

    @Test func refThatContradictsTheTargetIsInvalid() {
        #expect(Self.invalidity { $0.to?.ref = Self.shaOld }?.contains("contradicts itself") == true)
        #expect(Self.invalidity { $0.to?.ref = String(Self.shaNew.prefix(12)) } == nil)
        #expect(Self.invalidity { $0.kind = .retag }?.contains("a retag keeps its tag") == true)
        #expect(Self.invalidity {
            $0.kind = .retag
            $0.from?.ref = "v1.1.0"
        } == nil)
        // A tag made of hex digits is a tag, unless the track pins a commit.
        #expect(Self.invalidity { $0.to?.ref = "2024010" } == nil)
        #expect(Self.invalidity {
            $0.track = "sha:2024010"
            $0.to?.ref = "2024010"
        }?.contains("contradicts itself") == true)
    }
}
