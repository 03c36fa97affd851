import Foundation
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// `sluice apply`, `install` and `rollback` through the built binary: concurrent runs, the dry
/// run, usage errors, a crash mid-prune, shards. The engine's own apply tests are in SluiceKitTests.
@Suite struct ApplyCommandTests {
    @Test func twoConcurrentApplyRunsApplyEachFileOnce() async throws {
        try await withTemporaryFolder { dir in
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            let v1 = try await upstream.release("v1.0.0", ApplyFixtures.v1Files)
            let fixture = try RootFixture(in: dir)
            let workspaces = (0..<6).map { "fleet/ws\($0)" }
            for (index, workspace) in workspaces.enumerated() {
                try fixture.workspace(workspace, RootFixture.manifest("review", source: upstream.url, track: "tag:latest"))
                if index.isMultiple(of: 2) {
                    try await fixture.install(workspace, "review", from: upstream, sha: v1, ref: "v1.0.0", track: "tag:latest")
                }
            }
            for round in 1...3 {
                let target = try await upstream.release("v1.\(round).0", ["SKILL.md": "round \(round)\n"])
                try await fixture.reconcile()
                let names = try fixture.approveAll()
                #expect(names.count == 6)
                let alreadyApplied = listFolder(fixture.folder(.applied))

                async let first = Shell.sluice(["apply", "--root", fixture.root, "--json"])
                async let second = Shell.sluice(["apply", "--root", fixture.root, "--json"])
                let results = try await [first, second]

                let reports = try results.map { try JSONDecoder().decode(ApplyReport.self, from: Data($0.stdout.utf8)) }
                let applied = reports.flatMap(\.items).filter { $0.result == "applied" }.map(\.file)
                #expect(applied.sorted() == names.sorted())
                #expect(listFolder(fixture.folder(.applied)) == (alreadyApplied + names).sorted())
                #expect(listFolder(fixture.folder(.failed)).isEmpty)
                for result in results {
                    #expect(result.reason == .exit)
                    #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
                }
                #expect(listFolder(fixture.folder(.applying)).isEmpty)
                #expect(listFolder(fixture.folder(.approved)).isEmpty)
                for workspace in workspaces {
                    try await ApplyFixtures.expectInstalled(fixture, workspace, "review", upstream, sha: target)
                    #expect(!FileManager.default.fileExists(atPath: fixture.staging(workspace, "review")))
                }
            }
        }
    }

    @Test func applyStartedWhileAnotherIsRunningRecordsEachFileOnce() async throws {
        try await withTemporaryFolder { dir in
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            let v1 = try await upstream.release("v1.0.0", ApplyFixtures.v1Files)
            let fixture = try RootFixture(in: dir)
            let workspaces = (0..<24).map { String(format: "fleet/ws%02d", $0) }
            for workspace in workspaces {
                try fixture.workspace(workspace, RootFixture.manifest("review", source: upstream.url, track: "tag:latest"))
            }
            try await fixture.reconcile()
            let names = try fixture.approveAll()
            #expect(names.count == 24)

            // The second run starts once the first has claimed everything (a cron run overlapping a manual one).
            async let first = Shell.sluice(["apply", "--root", fixture.root, "--json"])
            for _ in 0..<2000 where !listFolder(fixture.folder(.approved)).isEmpty { try await Task.sleep(for: .milliseconds(1)) }
            async let second = Shell.sluice(["apply", "--root", fixture.root, "--json"])
            let results = try await [first, second]

            let reports = try results.map { try JSONDecoder().decode(ApplyReport.self, from: Data($0.stdout.utf8)) }
            for workspace in workspaces {
                try await ApplyFixtures.expectInstalled(fixture, workspace, "review", upstream, sha: v1)
            }
            #expect(listFolder(fixture.folder(.applied)) == names.sorted())
            #expect(listFolder(fixture.folder(.applying)).isEmpty)
            #expect(listFolder(fixture.folder(.failed)).isEmpty)
            #expect(reports.flatMap(\.items).filter { $0.result == "failed" }.isEmpty)
            for result in results {
                #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
            }
            #expect(reports.flatMap(\.items).filter { $0.result == "applied" }.map(\.file).sorted() == names.sorted())
        }
    }

    @Test func dryRunChangesNothing() async throws {
        try await withTemporaryFolder { dir in
            let setup = try await ApplyFixtures.update(dir)
            let fixture = setup.fixture
            let v2 = try await setup.upstream.release("v1.1.0", ["plugin.yaml": "name: review\nversion: 1.1.0\n"])
            let pending = try await ApplyFixtures.queueAndApprove(fixture, sha: v2)
            let before = snapshot(fixture.root, excluding: [".sluice"])

            let result = try await Shell.sluice(["apply", "--dry-run", "--root", fixture.root])

            #expect(result.reason == .exit)
            #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
            let line = try #require(result.stdout.split(separator: "\n").first { $0.contains("would-apply") })
            #expect(line.contains("ws") && line.contains("review") && line.contains("restart"))
            #expect(result.stdout.contains("1 would apply"))
            #expect(snapshot(fixture.root, excluding: [".sluice"]) == before)
            #expect(listFolder(fixture.folder(.approved)) == [pending.fileName])
            try await ApplyFixtures.expectInstalled(fixture, "ws", "review", setup.upstream, sha: setup.v1)
        }
    }

    @Test func applyingAFileThatIsNotApprovedIsAUsageError() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, _, _, _) = try await ApplyFixtures.queued(dir)
            let name = try #require(listFolder(fixture.folder(.pending)).first)
            let result = try await Shell.sluice(["apply", "--root", fixture.root, fixture.folder(.pending) + "/" + name])
            #expect(result.status == 64)
            #expect(result.stderr.contains("approve it first"))
            #expect(listFolder(fixture.folder(.pending)) == [name])
        }
    }

    @Test func installWithAnUnknownRefLeavesTheManifestAlone() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, upstream, _, _) = try await ApplyFixtures.queued(dir)
            let before = try readFile(fixture.root + "/ws/plugins.yaml")
            let result = try await Shell.sluice(["install", "--root", fixture.root, "ws", "other", "--source", upstream.url, "--ref", "v9.9.9"])
            #expect(result.status == 1)
            #expect(try readFile(fixture.root + "/ws/plugins.yaml") == before)
        }
    }

    @Test func crashMidPruneLeavesNoHalfDeletedTreeUnderARetainedName() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, _, _, v2) = try await ApplyFixtures.queued(dir, config: ApplyFixtures.retainNone)
            _ = try fixture.approveAll()
            let crashed = try await Shell.sluice(["apply", "--root", fixture.root], environment: ["SLUICE_FAILPOINT": "mid-prune"])
            #expect(crashed.reason == .uncaughtSignal)
            #expect(try fixture.stamp("ws", "review").sha == v2)
            // Whatever a crash in the middle of a delete leaves is hidden: no retained name holds part of a tree.
            #expect(ApplyFixtures.retainedNames(fixture).isEmpty)

            let finished = try await Shell.sluice(["apply", "--root", fixture.root])
            #expect(finished.status == 0, "\(finished.stderr)")
            let rollback = try await Shell.sluice(["rollback", "--root", fixture.root, "ws", "review"])
            #expect(rollback.status == 1)
            #expect(rollback.stderr.contains("nothing to roll back to"))
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: fixture.retained("ws", "review"))) ?? []).isEmpty)
            #expect(try fixture.stamp("ws", "review").sha == v2)
        }
    }

    @Test func shardedApplyTakesOnlyItsOwnWorkspaces() async throws {
        try await withTemporaryFolder { dir in
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            try await upstream.release("v1.0.0")
            let fixture = try RootFixture(in: dir)
            for index in 0..<12 {
                try fixture.workspace("ws\(index)", RootFixture.manifest("review", source: upstream.url, track: "tag:latest"))
            }
            try await fixture.reconcile()
            _ = try fixture.approveAll()
            let first = try await Shell.sluice(["apply", "--root", fixture.root, "--shard", "1/2", "--json"])
            #expect(first.status == 0, "\(first.stderr)")
            let report = try JSONDecoder().decode(ApplyReport.self, from: Data(first.stdout.utf8))
            let shard = try Shard(parsing: "1/2")
            #expect(!report.items.isEmpty)
            #expect(report.items.allSatisfy { $0.workspace.map(shard.contains) == true })
            let left = try fixture.records(.approved).values
            #expect(left.allSatisfy { !shard.contains($0.workspace) })
            #expect(left.count + report.items.count == 12)
            let second = try await Shell.sluice(["apply", "--root", fixture.root, "--shard", "2/2"])
            #expect(second.status == 0)
            #expect(listFolder(fixture.folder(.approved)).isEmpty)
            #expect(listFolder(fixture.folder(.applied)).count == 12)
        }
    }
}
