import Foundation
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// `sluice install` and `sluice rollback`, through the real binary and real git.
@Suite struct OperatorCommandTests {
    @Test func installWithTrackThenANewTagQueuesExactlyOnePendingUpdate() async throws {
        try await withTemporaryFolder { dir in
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            let v1 = try await upstream.release("v1.0.0", ["plugin.yaml": "name: review\n", "SKILL.md": "one\n"])
            let fixture = try RootFixture(in: dir)
            try writeFile(fixture.root + "/team/ws/plugins.yaml", "# hand-written comment\nplugins: {}\n")
            let result = try await Shell.sluice(["install", "--root", fixture.root, "team/ws", "review", "--source", upstream.url, "--track", "tag:latest"])
            #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
            let manifest = try readFile(fixture.root + "/team/ws/plugins.yaml")
            #expect(manifest.hasPrefix("# hand-written comment\nplugins:\n  review:\n"))
            let stamp = try #require(try Stamp.read(pluginFolder: fixture.root + "/team/ws/plugins/review"))
            #expect(stamp.sha == v1)
            #expect(stamp.track == "tag:latest")
            #expect(stamp.ref == "v1.0.0")
            #expect(try readFile(fixture.root + "/team/ws/plugins/review/SKILL.md") == "one\n")
            #expect(listFolder(fixture.folder(.applied)).count == 1)

            try await fixture.reconcile()
            #expect(listFolder(fixture.folder(.pending)).isEmpty)
            let v2 = try await upstream.release("v1.1.0", ["SKILL.md": "two\n"])
            try await fixture.reconcile()
            try await fixture.reconcile()
            let pending = try fixture.records(.pending)
            #expect(pending.count == 1)
            #expect(pending.values.first?.to?.sha == v2)
            #expect(pending.values.first?.kind == .update)
        }
    }

    @Test func installAtARefWithoutTrackIsOneShot() async throws {
        try await withTemporaryFolder { dir in
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            let v1 = try await upstream.release("v1.0.0")
            try await upstream.release("v2.0.0")
            let fixture = try RootFixture(in: dir)
            try FileManager.default.createDirectory(atPath: fixture.root + "/ws", withIntermediateDirectories: true)
            let result = try await Shell.sluice(["install", "--root", fixture.root, "ws", "review", "--source", upstream.url, "--ref", "v1.0.0"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try Stamp.read(pluginFolder: fixture.root + "/ws/plugins/review")?.sha == v1)
            try await fixture.reconcile()
            #expect(listFolder(fixture.folder(.pending)).isEmpty)

            let bad = try await Shell.sluice(["install", "--root", fixture.root, "ws", "Bad", "--source", upstream.url, "--ref", "v1.0.0"])
            #expect(bad.status == 1)
            #expect(bad.stderr.contains("invalid plugin name 'Bad'"))
            let escape = try await Shell.sluice(["install", "--root", fixture.root, "../outside", "review", "--source", upstream.url, "--ref", "v1.0.0"])
            #expect(escape.status == 1)
            #expect(!FileManager.default.fileExists(atPath: dir + "/outside"))
        }
    }

    @Test func rollbackRestoresTheRetainedTreeWithItsStamp() async throws {
        try await withTemporaryFolder { dir in
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            let v1 = try await upstream.release("v1.0.0", ["SKILL.md": "one\n"])
            let v2 = try await upstream.release("v1.1.0", ["SKILL.md": "two\n"])
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("ws", RootFixture.manifest("review", source: upstream.url, track: "tag:latest"))
            try await fixture.install("ws", "review", from: upstream, sha: v1, ref: "v1.0.0", track: "tag:latest")
            try await fixture.reconcile()
            for name in listFolder(fixture.folder(.pending)) { try fixture.move(name, from: .pending, to: .approved) }
            let apply = try await Shell.sluice(["apply", "--root", fixture.root])
            #expect(apply.status == 0, "\(apply.stdout)")
            #expect(try Stamp.read(pluginFolder: fixture.root + "/ws/plugins/review")?.sha == v2)

            let rollback = try await Shell.sluice(["rollback", "--root", fixture.root, "ws", "review"])
            #expect(rollback.status == 0, "\(rollback.stderr)")
            #expect(rollback.stdout.contains("track: sha:\(v1.prefix(12))"))
            let live = fixture.root + "/ws/plugins/review"
            let stamp = try #require(try Stamp.read(pluginFolder: live))
            #expect(stamp.sha == v1)
            #expect(try TreeDigest.digest(of: live) == stamp.digest)
            #expect(try readFile(live + "/SKILL.md") == "one\n")
            let retained = listFolder(fixture.root + "/ws/.sluice/retained/review")
            #expect(retained.count == 1)
            #expect(retained.first?.hasSuffix(String(v2.prefix(12))) == true)
            let records = try fixture.records(.applied)
            #expect(records.values.filter { $0.kind == .rollback }.count == 1)

            // As documented, hold keeps the reconciler from proposing v1.1.0 again.
            try fixture.workspace("ws", RootFixture.manifest("review", source: upstream.url, track: "tag:latest", extra: "    hold: true\n"))
            try await fixture.reconcile()
            #expect(listFolder(fixture.folder(.pending)).isEmpty)

            let nothing = try await Shell.sluice(["rollback", "--root", fixture.root, "ws", "other"])
            #expect(nothing.status == 1)
            #expect(nothing.stderr.contains("nothing to roll back to"))
        }
    }
}
