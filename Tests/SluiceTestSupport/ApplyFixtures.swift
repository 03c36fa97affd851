import Foundation
import Testing
@testable import SluiceKit

/// Roots with one plugin installed and an update queued, and the checks that an update landed,
/// shared by the engine's apply tests and the binary's end-to-end tests.
package enum ApplyFixtures {
    /// The plugin as released at v1.0.0.
    package static let v1Files: [String: String?] = [
        "plugin.yaml": "name: review\nversion: 1.0.0\n",
        "SKILL.md": "# Review\nRead the diff.\n",
        "skills/deep/SKILL.md": "# Deep review\nRead every file.\n",
        "hooks/pre.sh": "#!/bin/sh\necho pre v1\n",
    ]

    /// `apply.retain: 0`: nothing is kept after an update.
    package static let retainNone = "sources:\n  transports: [file]\napply:\n  retain: 0\n"

    /// A root with workspace `ws` holding `review` v1.0.0 (stamped), tracking `tag:latest`.
    package struct Update: Sendable {
        package let dir: String
        package let upstream: UpstreamRepository
        package let fixture: RootFixture
        package let v1: String
    }

    /// A root with `review` v1.0.0 released and (unless `installV1` is false) installed in `ws`.
    package static func update(_ dir: String, extra: String = "", config: String? = nil, installV1: Bool = true) async throws -> Update {
        let scenario = try await Scenario.make(in: dir, releases: [("v1.0.0", v1Files)], installed: installV1 ? "v1.0.0" : nil, extra: extra, config: config)
        return Update(dir: dir, upstream: scenario.upstream, fixture: scenario.fixture, v1: try scenario["v1.0.0"])
    }

    /// One workspace on review v1.0.0 with v1.1.0 queued: (fixture, upstream, v1, v2).
    package static func queued(_ dir: String, config: String = "sources:\n  transports: [file]\n") async throws -> (RootFixture, UpstreamRepository, String, String) {
        let upstream = try await UpstreamRepository(in: dir, name: "review")
        let v1 = try await upstream.release("v1.0.0", ["SKILL.md": "one\n"])
        let v2 = try await upstream.release("v1.1.0", ["SKILL.md": "two\n"])
        let fixture = try RootFixture(in: dir, config: config)
        try fixture.workspace("ws", RootFixture.manifest("review", source: upstream.url, track: "tag:latest"))
        try await fixture.install("ws", "review", from: upstream, sha: v1, ref: "v1.0.0", track: "tag:latest")
        try await fixture.reconcile()
        return (fixture, upstream, v1, v2)
    }

    /// Reconciles, requires exactly one pending file for `ws`/`review` aimed at `sha`, and approves it with a plain move.
    @discardableResult
    package static func queueAndApprove(_ fixture: RootFixture, sha: String, workspace: String = "ws", plugin: String = "review",
                                        sourceLocation: SourceLocation = #_sourceLocation) async throws -> UpdateRecord {
        try await fixture.reconcile()
        let pending = try #require(try fixture.record(.pending, workspace: workspace, plugin: plugin), sourceLocation: sourceLocation)
        #expect(pending.to?.sha == sha, sourceLocation: sourceLocation)
        #expect(listFolder(fixture.folder(.pending)) == [pending.fileName], sourceLocation: sourceLocation)
        try fixture.move(pending.fileName, from: .pending, to: .approved)
        return pending
    }

    /// The live tree holds exactly the commit's files, and its stamp names the commit and the tree's digest.
    package static func expectInstalled(_ fixture: RootFixture, _ workspace: String, _ plugin: String, _ upstream: UpstreamRepository, sha: String,
                                        subpath: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let live = fixture.live(workspace, plugin)
        #expect(try await treeContents(live) == commitContents(upstream, sha, subpath: subpath), sourceLocation: sourceLocation)
        let stamp = try fixture.stamp(workspace, plugin)
        #expect(stamp.sha == sha, sourceLocation: sourceLocation)
        #expect(stamp.plugin == plugin, sourceLocation: sourceLocation)
        #expect(stamp.subpath == subpath, sourceLocation: sourceLocation)
        #expect(stamp.digest == (try TreeDigest.digest(of: live)), sourceLocation: sourceLocation)
    }

    /// The queue's working folders are empty and `applied/` holds exactly `names`.
    package static func expectQueue(_ fixture: RootFixture, applied: [String], failed: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(listFolder(fixture.folder(.applied)) == applied.sorted(), sourceLocation: sourceLocation)
        #expect(listFolder(fixture.folder(.failed)) == failed.sorted(), sourceLocation: sourceLocation)
        #expect(listFolder(fixture.folder(.approved)).isEmpty, sourceLocation: sourceLocation)
        #expect(listFolder(fixture.folder(.applying)).isEmpty, sourceLocation: sourceLocation)
    }

    /// Retained trees of ws/review by name, hidden names left out.
    package static func retainedNames(_ fixture: RootFixture) -> [String] {
        listFolder(fixture.retained("ws", "review")).filter { !$0.hasPrefix(".") }
    }
}
