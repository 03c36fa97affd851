import Foundation
import Logging
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// One Reconciler across passes, as `serve` runs it: the read cache and the plan memo must see
/// every change a fresh process would.
@Suite struct CachedReconcileTests {
    static func reconciler(_ fixture: RootFixture) throws -> Reconciler {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return Reconciler(layout: try fixture.layout(), git: fixture.git, logger: logger)
    }

    @Test func cachedPassesSeeQueueMovesStampsManifestsAndUpstream() async throws {
        try await withTemporaryFolder { dir in
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            let v1 = try await upstream.release("v1.0.0")
            let v2 = try await upstream.release("v1.1.0")
            let fixture = try RootFixture(in: dir)
            for name in ["a", "b"] {
                try fixture.workspace(name, RootFixture.manifest("review", source: upstream.url, track: "tag:latest"))
                try await fixture.install(name, "review", from: upstream, sha: v1, ref: "v1.0.0", track: "tag:latest")
            }
            let reconciler = try Self.reconciler(fixture)
            let first = try await reconciler.run()
            #expect(first.queued.count == 2)
            // Unchanged: reused, nothing written.
            let second = try await reconciler.run()
            #expect(second.unchanged == 2 && second.queued.isEmpty && second.withdrawn.isEmpty)
            let third = try await reconciler.run()
            #expect(third.unchanged == 2)

            // The operator rejects a's update: not queued again by the cached reconciler.
            let a = try #require(try fixture.record(.pending, workspace: "a", plugin: "review"))
            try fixture.move(a.fileName, from: .pending, to: .rejected)
            let afterReject = try await reconciler.run()
            #expect(afterReject.queued.isEmpty && afterReject.suppressed == 1)
            #expect(try fixture.record(.pending, workspace: "a", plugin: "review") == nil)

            // The operator deletes b's pending file by hand: queued again.
            let b = try #require(try fixture.record(.pending, workspace: "b", plugin: "review"))
            try FileManager.default.removeItem(atPath: fixture.folder(.pending) + "/" + b.fileName)
            let afterDelete = try await reconciler.run()
            #expect(afterDelete.queued == [b.id])

            // b gets installed at the target (a new stamp): its pending file is withdrawn.
            try FileManager.default.removeItem(atPath: fixture.root + "/b/plugins/review")
            try await fixture.install("b", "review", from: upstream, sha: v2, ref: "v1.1.0", track: "tag:latest")
            let afterInstall = try await reconciler.run()
            #expect(afterInstall.withdrawn == [b.fileName])

            // a's manifest is edited in place to hold the subscription: nothing queued for it.
            try writeFile(fixture.root + "/a/plugins.yaml", RootFixture.manifest("review", source: upstream.url, track: "tag:latest", extra: "    hold: true\n"))
            let v3 = try await upstream.release("v1.2.0")
            let afterEdit = try await reconciler.run()
            #expect(try fixture.record(.pending, workspace: "a", plugin: "review") == nil)
            // ... while b, unchanged on disk, sees the new upstream tag through the same cache.
            #expect(try fixture.record(.pending, workspace: "b", plugin: "review")?.to?.sha == v3)
            #expect(afterEdit.queued.count == 1)
        }
    }
}
