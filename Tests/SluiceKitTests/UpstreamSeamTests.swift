import Foundation
import Logging
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// The reconcile pass, `status` and `install`'s resolution against an in-memory upstream: no
/// git process is started, and the resolver's "once per source" rules are counted directly.
@Suite struct UpstreamSeamTests {
    static let review = "https://forge.invalid/acme/review.git"
    static let other = "https://forge.invalid/acme/other.git"

    /// Writes an installed plugin with a stamp, as an apply would have left it.
    static func installStamped(_ fixture: RootFixture, _ workspace: String, _ plugin: String, source: String, ref: String, sha: String, track: String) throws {
        let folder = fixture.root + "/" + workspace + "/plugins/" + plugin
        try writeFile(folder + "/SKILL.md", "\(plugin) \(ref)\n")
        let stamp = Stamp(plugin: plugin, source: source, subpath: nil, track: track, ref: ref, sha: sha,
                          digest: try TreeDigest.digest(of: folder), installed: "2026-01-01T00:00:00Z")
        try AtomicFile.write(Data(try stamp.encoded().utf8), to: folder + "/" + Stamp.fileName)
    }

    @discardableResult
    static func reconcile(_ fixture: RootFixture, _ upstream: InMemoryUpstream) async throws -> ReconcileReport {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return try await Reconciler(layout: try fixture.layout(), git: fixture.git, logger: logger, upstream: upstream).run()
    }

    @Test func passQueuesDriftWithoutStartingGit() async throws {
        try await withTemporaryFolder { dir in
            let upstream = InMemoryUpstream()
            let v1 = upstream.release(Self.review, "v1.0.0")
            let v2 = upstream.release(Self.review, "v1.1.0")
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("ws", RootFixture.manifest("review", source: Self.review, track: "tag:latest"))
            try Self.installStamped(fixture, "ws", "review", source: Self.review, ref: "v1.0.0", sha: v1, track: "tag:latest")

            let report = try await Self.reconcile(fixture, upstream)
            let record = try #require(try fixture.record(.pending, workspace: "ws", plugin: "review"))
            #expect(record.kind == .update)
            #expect(record.from == RefPoint(ref: "v1.0.0", sha: v1))
            #expect(record.to == RefPoint(ref: "v1.1.0", sha: v2))
            #expect(report.queued == [record.id])
            #expect(fixture.counter.total == 0)

            let again = try await Self.reconcile(fixture, upstream)
            #expect(again.queued.isEmpty)
            #expect(again.unchanged == 1)
            #expect(fixture.counter.total == 0)
        }
    }

    @Test func eachSourceIsListedOncePerPassHoweverManyWorkspaces() async throws {
        try await withTemporaryFolder { dir in
            let upstream = InMemoryUpstream()
            upstream.release(Self.review, "v1.0.0")
            upstream.release(Self.other, "v3.0.0")
            let fixture = try RootFixture(in: dir)
            for index in 0..<20 {
                try fixture.workspace(String(format: "team/ws%02d", index),
                    "plugins:\n  review:\n    source: \(Self.review)\n    track: tag:latest\n  other:\n    source: \(Self.other)\n    track: tag:^3\n")
            }
            let report = try await Self.reconcile(fixture, upstream)
            #expect(report.subscriptions == 40)
            #expect(report.sources == 2)
            #expect(upstream.listings(Self.review) == 1)
            #expect(upstream.listings(Self.other) == 1)
            #expect(listFolder(fixture.folder(.pending)).count == 40)
            #expect(fixture.counter.total == 0)
        }
    }

    @Test func unreachableSourceKeepsItsPendingFilesWhileOthersProceed() async throws {
        try await withTemporaryFolder { dir in
            let upstream = InMemoryUpstream()
            upstream.release(Self.review, "v1.0.0")
            upstream.release(Self.other, "v1.0.0")
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("ws", "plugins:\n  review:\n    source: \(Self.review)\n    track: tag:latest\n  other:\n    source: \(Self.other)\n    track: tag:latest\n")
            try await Self.reconcile(fixture, upstream)
            let kept = try #require(try fixture.record(.pending, workspace: "ws", plugin: "review")).fileName
            let before = try Data(contentsOf: URL(fileURLWithPath: fixture.folder(.pending) + "/" + kept))

            upstream.setUnreachable(Self.review)
            upstream.release(Self.review, "v2.0.0")
            let v2 = upstream.release(Self.other, "v2.0.0")
            let report = try await Self.reconcile(fixture, upstream)
            #expect(report.sourceFailures.map(\.source) == [Self.review])
            #expect(report.sourceFailures.first?.subscribers == 1)
            #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.folder(.pending) + "/" + kept)) == before)
            #expect(try fixture.record(.pending, workspace: "ws", plugin: "other")?.to?.sha == v2)
            #expect(fixture.counter.total == 0)
        }
    }

    @Test func abbreviatedSHAIsLookedUpOncePerSourceAndPrefix() async throws {
        try await withTemporaryFolder { dir in
            let upstream = InMemoryUpstream()
            let deep = upstream.commit(Self.review, "deep")
            upstream.release(Self.review, "v1.0.0")
            let fixture = try RootFixture(in: dir)
            for index in 0..<5 {
                try fixture.workspace("ws\(index)", RootFixture.manifest("review", source: Self.review, track: "sha:" + deep.prefix(10)))
            }
            let report = try await Self.reconcile(fixture, upstream)
            #expect(!report.hasFailures)
            #expect(upstream.lookups(Self.review) == 1)
            #expect(try fixture.records(.pending).values.compactMap { $0.to?.sha } == Array(repeating: deep, count: 5))
            #expect(fixture.counter.total == 0)
        }
    }

    @Test func statusReadsASnapshotWithoutAReconciler() async throws {
        try await withTemporaryFolder { dir in
            let upstream = InMemoryUpstream()
            let v1 = upstream.release(Self.review, "v1.0.0")
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("ws", RootFixture.manifest("review", source: Self.review, track: "tag:latest"))
            try Self.installStamped(fixture, "ws", "review", source: Self.review, ref: "v1.0.0", sha: v1, track: "tag:latest")
            let snapshot = await SnapshotReader(layout: try fixture.layout(), upstream: upstream).read()
            let report = StatusReport(snapshot: snapshot)
            #expect(report.workspaces.map(\.path) == ["ws"])
            #expect(report.workspaces.first?.plugins.map(\.state) == [.inSync])
            #expect(listFolder(fixture.root + "/updates").isEmpty)
            #expect(fixture.counter.total == 0)
        }
    }

    @Test func installRefIsATagThenABranchThenASHA() async throws {
        let upstream = InMemoryUpstream()
        let tagged = upstream.release(Self.review, "main")
        let tip = upstream.commit(Self.review, "tip", branch: "main")
        let resolver = UpstreamResolver(upstream: upstream, concurrency: 1)
        #expect(try await resolver.resolve(ref: "main", source: Self.review).get() == RefPoint(ref: "main", sha: tagged))
        upstream.commit(Self.review, "feature", branch: "feature")
        #expect(try await resolver.resolve(ref: "feature", source: Self.review).get().ref == "feature")
        #expect(try await resolver.resolve(ref: String(tip.prefix(8)), source: Self.review).get() == RefPoint(ref: String(tip.prefix(8)), sha: tip))
        switch await resolver.resolve(ref: "no-such-ref", source: Self.review) {
        case .failure(.notARef): break
        default: Issue.record("a name that is no tag, branch or hex is not a ref")
        }
        upstream.setUnreachable(Self.review)
        switch await resolver.resolve(track: .latest, source: Self.review) {
        case .failure(.unlisted): break
        default: Issue.record("an unreachable source is reported as unlisted")
        }
    }
}
