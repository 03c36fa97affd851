import Foundation
import Logging
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// Retained trees are always whole and verified (issue 10, defects 1–3): partial staging work
/// is deleted, pruning never leaves a half-deleted tree under a retained name, recovery decides
/// from the trees' stamps, and rollback restores only a tree that verifies.
@Suite struct RetainedTreeTests {
    static let retainNone = ApplyFixtures.retainNone

    static func rollback(_ fixture: RootFixture) async throws -> UpdateRecord {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return try await Rollback(layout: try fixture.layout(), logger: logger).run(workspace: "ws", plugin: "review")
    }

    /// Retained trees of ws/review by name, hidden names left out.
    static func retainedNames(_ fixture: RootFixture) -> [String] {
        ApplyFixtures.retainedNames(fixture)
    }

    @Test func stagingHoldingOnlyATemporaryStampIsDeletedNotRetained() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, upstream, v1, v2) = try await ApplyEdgeTests.queued(dir)
            // A crash while the new stamp was written: the staging folder holds only its temporary file.
            let staging = fixture.staging("ws", "review")
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
            try "half a stamp".write(toFile: staging + "/.tmp-.sluice-stamp.yaml.k3j2", atomically: false, encoding: .utf8)
            _ = try fixture.approveAll()

            let report = try await fixture.apply()

            #expect(report.items.map(\.result) == ["applied"])
            try await ApplyTests.expectInstalled(fixture, "ws", "review", upstream, sha: v2)
            #expect(!FileManager.default.fileExists(atPath: staging))
            let kept = Self.retainedNames(fixture)
            #expect(kept.count == 1)
            #expect(!kept.contains { $0.contains("unstamped") })
            #expect(try kept.map { try Stamp.read(pluginFolder: fixture.retained("ws", "review") + "/" + $0)?.sha } == [v1])
        }
    }

    @Test func rollbackSkipsAndReportsARetainedTreeThatDoesNotVerify() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, upstream, v1, v2) = try await ApplyEdgeTests.queued(dir)
            _ = try fixture.approveAll()
            #expect(try await fixture.apply().items.map(\.result) == ["applied"])
            // A newer retained tree that is Sluice's partial work: only a temporary stamp file.
            let partial = fixture.retained("ws", "review") + "/29991231T235959Z-001-unstamped"
            try FileManager.default.createDirectory(atPath: partial, withIntermediateDirectories: true)
            try "x".write(toFile: partial + "/.tmp-.sluice-stamp.yaml.abc", atomically: false, encoding: .utf8)

            let record = try await Self.rollback(fixture)

            #expect(record.to?.sha == v1)
            try await ApplyTests.expectInstalled(fixture, "ws", "review", upstream, sha: v1)
            #expect(FileManager.default.fileExists(atPath: partial))
            let text = try readFile(fixture.folder(.applied) + "/" + record.fileName)
            #expect(text.contains("ws/.sluice/retained/review/29991231T235959Z-001-unstamped: it has no stamp"))
            #expect(try Stamp.read(pluginFolder: fixture.live("ws", "review"))?.sha != v2)
        }
    }

    @Test func rollbackWithNoRetainedTreeThatVerifiesIsRefused() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, _, v1, _) = try await ApplyEdgeTests.queued(dir)
            // A tree cut short: named like a retained tree, but files missing against its stamp.
            let cut = fixture.retained("ws", "review") + "/20260101T000000Z-001-" + String(v1.prefix(12))
            try FileManager.default.createDirectory(atPath: cut, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: fixture.live("ws", "review") + "/" + Stamp.fileName, toPath: cut + "/" + Stamp.fileName)
            let before = snapshot(fixture.live("ws", "review"))

            await #expect {
                _ = try await Self.rollback(fixture)
            } throws: { error in
                "\(error)".contains("verifies against its stamp") && "\(error)".contains("nothing to roll back to")
                    && "\(error)".contains("its files do not match its stamp's digest")
            }
            #expect(snapshot(fixture.live("ws", "review")) == before)
            #expect(listFolder(fixture.folder(.applied)).isEmpty)
        }
    }

    @Test func sameSecondCrashMidCopyNeverKeepsTheHalfCopiedTree() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, upstream, v1, v2) = try await ApplyEdgeTests.queued(dir)
            let live = try fixture.stamp("ws", "review")
            // A crash while v2 was copied into staging, in the same second as the live tree's install.
            let staging = fixture.staging("ws", "review")
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
            let staged = Stamp(plugin: "review", source: upstream.url, subpath: nil, track: "tag:latest", ref: "v1.1.0", sha: v2,
                               digest: "sha256:" + String(repeating: "0", count: 64), installed: live.installed)
            try AtomicFile.write(Data(try staged.encoded().utf8), to: staging + "/" + Stamp.fileName)
            _ = try fixture.approveAll()

            let report = try await fixture.apply()

            #expect(report.items.map(\.result) == ["applied"])
            try await ApplyTests.expectInstalled(fixture, "ws", "review", upstream, sha: v2)
            let kept = Self.retainedNames(fixture)
            #expect(!kept.contains { $0.contains(String(v2.prefix(12))) })
            #expect(try kept.map { try Stamp.read(pluginFolder: fixture.retained("ws", "review") + "/" + $0)?.sha } == [v1])
            #expect(try await Self.rollback(fixture).to?.sha == v1)
            try await ApplyTests.expectInstalled(fixture, "ws", "review", upstream, sha: v1)
        }
    }
}
