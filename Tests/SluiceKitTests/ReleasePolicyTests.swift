import Foundation
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// `min-age` and the same-tree rule of subpath subscriptions, against real git repositories.
@Suite struct ReleasePolicyTests {
    let hour: TimeInterval = 3600

    /// A root with workspace `ws` subscribed to `upstream` with `track` and extra entry keys.
    func root(_ dir: String, _ upstream: UpstreamRepository, track: String = "tag:latest", extra: String = "    min-age: 72h\n") throws -> RootFixture {
        let fixture = try RootFixture(in: dir)
        try fixture.workspace("ws", RootFixture.manifest("review", source: upstream.url, track: track, extra: extra))
        return fixture
    }

    /// An upstream released at v1.0.0, installed in `ws` of a root whose subscription follows `track`.
    func installedAtV1(_ dir: String, track: String = "tag:latest", extra: String = "    min-age: 72h\n") async throws -> (RootFixture, UpstreamRepository) {
        let upstream = try await UpstreamRepository(in: dir, name: "review")
        let v1 = try await upstream.release("v1.0.0")
        let fixture = try root(dir, upstream, track: track, extra: extra)
        try await fixture.install("ws", "review", from: upstream, sha: v1, ref: "v1.0.0", track: track)
        return (fixture, upstream)
    }

    @Test func aNewTagIsQueuedOnlyOnceOlderThanMinAge() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, upstream) = try await installedAtV1(dir)
            try await upstream.release("v1.1.0")
            let start = Date()
            let first = try await fixture.reconcile(now: start)
            #expect(first.queued.isEmpty)
            #expect(first.suppressed == 1)
            #expect(try fixture.records(.pending).isEmpty)
            // The first sighting is kept in the state folder, so a later process still counts from it.
            let later = try await fixture.reconcile(now: start.addingTimeInterval(71 * hour))
            #expect(later.queued.isEmpty)
            let due = try await fixture.reconcile(now: start.addingTimeInterval(72 * hour + 5))
            #expect(due.queued.count == 1)
            #expect(try fixture.record(.pending, workspace: "ws", plugin: "review")?.to?.ref == "v1.1.0")
        }
    }

    @Test func aSoakingNewerVersionDoesNotHideAnOlderEligibleOne() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, upstream) = try await installedAtV1(dir)
            try await upstream.release("v1.1.0")
            let start = Date()
            try await fixture.reconcile(now: start)
            try await upstream.release("v1.2.0")
            let pass = try await fixture.reconcile(now: start.addingTimeInterval(73 * hour))
            #expect(pass.queued.count == 1)
            #expect(try fixture.record(.pending, workspace: "ws", plugin: "review")?.to?.ref == "v1.1.0")
            // status names what is still soaking and until when.
            let snapshot = await SnapshotReader(layout: try fixture.layout(), git: fixture.git).read(now: start.addingTimeInterval(73 * hour))
            let status = StatusReport(snapshot: snapshot)
            let plugin = try #require(status.workspaces.first?.plugins.first)
            #expect(plugin.state == .pending)
            #expect(plugin.soaking?.ref == "v1.2.0")
            #expect(plugin.soaking?.until == Timestamp.string(start.addingTimeInterval(145 * hour)), "first seen at 73 h, eligible 72 h later")
        }
    }

    @Test func ageCountsFromTheLaterOfTheTagDateAndTheFirstSighting() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, upstream) = try await installedAtV1(dir)
            let tagged = Date()
            try await upstream.release("v1.1.0")
            // Seen "100 hours before" the tag's own date: the tag date is the later one and counts.
            let early = tagged.addingTimeInterval(-100 * hour)
            try await fixture.reconcile(now: early)
            let pass = try await fixture.reconcile(now: early.addingTimeInterval(80 * hour))
            #expect(pass.queued.isEmpty, "seen 80 h ago but tagged 20 h before now: still soaking")
            let due = try await fixture.reconcile(now: tagged.addingTimeInterval(72 * hour + 60))
            #expect(due.queued.count == 1)
        }
    }

    @Test func aTagMovedToAnotherCommitSoaksAgain() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, upstream) = try await installedAtV1(dir, track: "tag:v1.1.0")
            try await upstream.release("v1.1.0")
            let start = Date()
            try await fixture.reconcile(now: start)
            // The tag is re-pointed at a new commit after its first sighting.
            let moved = try await upstream.commit(["plugin.yaml": "name: demo\nversion: moved\n"])
            try await upstream.tag("v1.1.0", at: moved)
            let pass = try await fixture.reconcile(now: start.addingTimeInterval(73 * hour))
            #expect(pass.queued.isEmpty, "the moved tag is a new sighting")
            let due = try await fixture.reconcile(now: start.addingTimeInterval(146 * hour))
            #expect(due.queued.count == 1)
            #expect(try fixture.record(.pending, workspace: "ws", plugin: "review")?.to?.sha == moved)
        }
    }

    @Test func aPendingFileOfATargetThatNowSoaksIsWithdrawn() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, upstream) = try await installedAtV1(dir, extra: "")
            try await upstream.release("v1.1.0")
            #expect(try await fixture.reconcile().queued.count == 1)
            try writeFile(fixture.root + "/sluice.yaml", "sources:\n  transports: [file]\ndefaults:\n  min-age: 7d\n")
            let pass = try await fixture.reconcile()
            #expect(pass.withdrawn.count == 1)
            #expect(try fixture.records(.pending).isEmpty)
        }
    }

    @Test func aMonorepoReleaseThatLeavesTheSubpathAloneQueuesNothing() async throws {
        try await withTemporaryFolder { dir in
            let upstream = try await UpstreamRepository(in: dir, name: "mono")
            let v1 = try await upstream.release("v1.0.0", ["plugins/alpha/a.md": "a1", "plugins/beta/b.md": "b1"])
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("ws", """
                plugins:
                  alpha:
                    source: \(upstream.url)
                    subpath: plugins/alpha
                    track: tag:latest
                  beta:
                    source: \(upstream.url)
                    subpath: plugins/beta
                    track: tag:latest

                """)
            try await fixture.install("ws", "alpha", from: upstream, sha: v1, ref: "v1.0.0", track: "tag:latest", subpath: "plugins/alpha")
            try await fixture.install("ws", "beta", from: upstream, sha: v1, ref: "v1.0.0", track: "tag:latest", subpath: "plugins/beta")
            try await upstream.release("v1.1.0", ["plugins/alpha/a.md": "a2"])
            let pass = try await fixture.reconcile()
            #expect(pass.queued.count == 1)
            #expect(try fixture.record(.pending, workspace: "ws", plugin: "alpha")?.kind == .update)
            #expect(try fixture.record(.pending, workspace: "ws", plugin: "beta") == nil)
            let snapshot = await SnapshotReader(layout: try fixture.layout(), git: fixture.git).read()
            let beta = try #require(StatusReport(snapshot: snapshot).workspaces.first?.plugins.first { $0.name == "beta" })
            #expect(beta.state == .inSync)
            #expect(beta.detail?.hasPrefix("same tree at v1.1.0") == true)
            // A release that does change beta is an update, not a retag.
            try await upstream.release("v1.2.0", ["plugins/beta/b.md": "b2"])
            try await fixture.reconcile()
            #expect(try fixture.record(.pending, workspace: "ws", plugin: "beta")?.kind == .update)
        }
    }

    @Test func subscriptionKeysAcceptBothSpellingsAndLocateBadValues() throws {
        let manifest = try Manifest.parse("plugins:\n  a:\n    source: https://example.com/a.git\n    track: tag:latest\n    min-age: 3d\n    verify: ssh\n  b:\n    source: https://example.com/b.git\n    minAge: 30m\n", file: "plugins.yaml", policy: .standard)
        #expect(manifest.plugins[0].minAge == 3 * 86400)
        #expect(manifest.plugins[0].verify == .ssh)
        #expect(manifest.plugins[1].minAge == 1800)
        #expect(throws: ValidationError.self) { try Manifest.parse("plugins:\n  a:\n    source: https://example.com/a.git\n    verify: maybe\n", file: "plugins.yaml", policy: .standard) }
        do {
            _ = try Manifest.parse("plugins:\n  a:\n    source: https://example.com/a.git\n    min-age: soon\n", file: "plugins.yaml", policy: .standard)
            Issue.record("a bad duration must not parse")
        } catch {
            #expect(error.diagnostics.first?.line == 4)
            #expect(error.diagnostics.first?.column == 14)
            #expect(error.diagnostics.first?.message.contains("duration") == true)
        }
        #expect(throws: ValidationError.self) { try SluiceConfig.parse("defaults:\n  verify: ssh\n", file: "sluice.yaml") }
        let config = try SluiceConfig.parse("defaults:\n  min-age: 72h\n  verify: gpg\nverify:\n  gpg:\n    keyring: keys/release.gpg\n", file: "sluice.yaml")
        #expect(config.defaults == ReleasePolicy(minAge: 72 * 3600, verify: .gpg))
        #expect(config.trustedKeys.gpgKeyring == "keys/release.gpg")
    }
}
