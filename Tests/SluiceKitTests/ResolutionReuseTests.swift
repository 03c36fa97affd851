import Foundation
import Logging
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// ``ResolutionCache``: a long-running reconciler reuses the resolutions of unchanged workspaces
/// against unchanged refs, and never when a ref moved, a listing failed or a release policy makes
/// the result depend on time.
@Suite struct ResolutionReuseTests {
    static let review = "https://forge.invalid/acme/review.git"

    static func reconciler(_ fixture: RootFixture, _ upstream: InMemoryUpstream) throws -> Reconciler {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return Reconciler(layout: try fixture.layout(), git: fixture.git, logger: logger, upstream: upstream)
    }

    /// The resolutions kept for `workspace` as last read, if any.
    static func memo(_ reconciler: Reconciler, _ workspace: String) -> ResolutionCache.Memo? {
        guard let state = reconciler.cache.workspaces.entryState(reconciler.layout.workspacePath(workspace)) else { return nil }
        return reconciler.cache.resolutions.memo(for: workspace, version: state.version)
    }

    static func root(in dir: String, _ upstream: InMemoryUpstream, _ workspaces: [String: String]) throws -> RootFixture {
        let v1 = upstream.release(review, "v1.0.0")
        upstream.release(review, "v1.1.0")
        let fixture = try RootFixture(in: dir)
        for (name, extra) in workspaces {
            try fixture.workspace(name, RootFixture.manifest("review", source: review, track: "tag:latest", extra: extra))
            try UpstreamSeamTests.installStamped(fixture, name, "review", source: review, ref: "v1.0.0", sha: v1, track: "tag:latest")
        }
        return fixture
    }

    @Test func unchangedWorkspacesReuseResolutionsUntilARefMoves() async throws {
        try await withTemporaryFolder { dir in
            let upstream = InMemoryUpstream()
            let fixture = try Self.root(in: dir, upstream, ["a": "", "b": ""])
            let reconciler = try Self.reconciler(fixture, upstream)
            #expect(try await reconciler.run().queued.count == 2)
            #expect(Self.memo(reconciler, "a") != nil && Self.memo(reconciler, "b") != nil)
            let unchanged = try await reconciler.run()
            #expect(unchanged.unchanged == 2 && unchanged.queued.isEmpty && unchanged.subscriptions == 2)

            // A new release: every reused resolution is dropped, both updates are replaced.
            let v3 = upstream.release(Self.review, "v1.2.0")
            let moved = try await reconciler.run()
            #expect(moved.replaced.count == 2)
            #expect(try fixture.record(.pending, workspace: "a", plugin: "review")?.to?.sha == v3)

            // An unreachable source keeps its pending files; back, it resolves as before.
            upstream.setUnreachable(Self.review)
            let failing = try await reconciler.run()
            #expect(failing.sourceFailures.count == 1 && failing.replaced.isEmpty && failing.withdrawn.isEmpty)
            upstream.setUnreachable(Self.review, false)
            let back = try await reconciler.run()
            #expect(back.unchanged == 2 && back.sourceFailures.isEmpty && back.queued.isEmpty)

            // A tag moved to another commit (same names, other SHA) is seen too.
            let other = upstream.commit(Self.review, "rewritten")
            upstream.tag(Self.review, "v1.2.0", at: other)
            let retagged = try await reconciler.run()
            #expect(retagged.replaced.count == 2)
            #expect(try fixture.record(.pending, workspace: "b", plugin: "review")?.to?.sha == other)
        }
    }

    @Test func aWorkspaceWithAReleasePolicyIsNeverReused() async throws {
        try await withTemporaryFolder { dir in
            let upstream = InMemoryUpstream()
            let fixture = try Self.root(in: dir, upstream, ["plain": "", "soaked": "    min-age: 72h\n"])
            let reconciler = try Self.reconciler(fixture, upstream)
            _ = try await reconciler.run()
            _ = try await reconciler.run()
            #expect(Self.memo(reconciler, "plain") != nil)
            #expect(Self.memo(reconciler, "soaked") == nil)
        }
    }

    @Test func aScopedPassNeitherKeepsNorReuses() async throws {
        try await withTemporaryFolder { dir in
            let upstream = InMemoryUpstream()
            let fixture = try Self.root(in: dir, upstream, ["a": ""])
            let reconciler = try Self.reconciler(fixture, upstream)
            _ = try await reconciler.run(scope: Reconciler.Scope(sources: [Self.review]))
            #expect(Self.memo(reconciler, "a") == nil)
            _ = try await reconciler.run()
            #expect(Self.memo(reconciler, "a") != nil)
            // A webhook pass after a release resolves afresh, then the full pass sees the same.
            let v3 = upstream.release(Self.review, "v1.2.0")
            #expect(try await reconciler.run(scope: Reconciler.Scope(sources: [Self.review])).replaced.count == 1)
            #expect(try await reconciler.run().unchanged == 1)
            #expect(try fixture.record(.pending, workspace: "a", plugin: "review")?.to?.sha == v3)
        }
    }
}
