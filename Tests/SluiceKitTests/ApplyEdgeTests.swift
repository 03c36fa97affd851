import Foundation
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// Apply's refusals and edge cases found in review: links, duplicates, retention 0, usage errors.
@Suite struct ApplyEdgeTests {
    /// One workspace on review v1.0.0 with v1.1.0 queued.
    static func queued(_ dir: String, config: String = "sources:\n  transports: [file]\n") async throws -> (RootFixture, UpstreamRepository, String, String) {
        try await ApplyFixtures.queued(dir, config: config)
    }

    @Test func symlinkedPluginsFolderIsNeverWrittenThrough() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, _, _, _) = try await Self.queued(dir)
            let outside = dir + "/outside"
            try FileManager.default.moveItem(atPath: fixture.root + "/ws/plugins", toPath: outside)
            try FileManager.default.createSymbolicLink(atPath: fixture.root + "/ws/plugins", withDestinationPath: outside)
            let before = snapshot(outside)
            _ = try fixture.approveAll()
            let report = try await fixture.apply()
            #expect(report.items.map(\.result) == ["failed"])
            #expect(report.items.first?.reason?.contains("symbolic link") == true)
            #expect(snapshot(outside) == before)
        }
    }

    @Test func dryRunRefusesASymlinkedPluginsFolderAsApplyDoes() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, _, _, _) = try await Self.queued(dir)
            let outside = dir + "/outside"
            try FileManager.default.moveItem(atPath: fixture.root + "/ws/plugins", toPath: outside)
            try FileManager.default.createSymbolicLink(atPath: fixture.root + "/ws/plugins", withDestinationPath: outside)
            _ = try fixture.approveAll()
            let preview = try await fixture.dryRun()
            #expect(preview.items.map(\.result) == ["failed"])
            #expect(preview.items.first?.reason?.contains("symbolic link") == true)
            let report = try await fixture.apply()
            #expect(preview.items.map(\.reason) == report.items.map(\.reason))
            #expect(preview.items.map(\.result) == report.items.map(\.result))
        }
    }

    @Test func dryRunOfATargetAlreadyInstalledSaysWhatApplyRecords() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, upstream, _, v2) = try await Self.queued(dir)
            // Another route installed the approved commit meanwhile.
            try FileManager.default.removeItem(atPath: fixture.live("ws", "review"))
            try await fixture.install("ws", "review", from: upstream, sha: v2, ref: "v1.1.0", track: "tag:latest")
            _ = try fixture.approveAll()
            let preview = try await fixture.dryRun()
            let report = try await fixture.apply()
            #expect(report.items.map(\.result) == ["applied"])
            #expect(preview.items.map(\.result) == ["would-apply"])
            #expect(preview.items.map(\.reason) == report.items.map(\.reason))
            #expect(preview.items.map(\.verdict) == report.items.map(\.verdict))
        }
    }

    @Test func duplicateApprovalIsRecordedWithAnOutcomeNotDropped() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, _, _, _) = try await Self.queued(dir)
            let name = try #require(listFolder(fixture.folder(.pending)).first)
            let text = try readFile(fixture.folder(.pending) + "/" + name)
            try fixture.move(name, from: .pending, to: .approved)
            // A claim of the same update is already in applying/ (as a crashed run leaves it).
            try writeFile(fixture.folder(.applying) + "/" + name, text)
            try writeFile(fixture.folder(.approved) + "/" + name, text)
            let report = try await fixture.apply()
            #expect(report.items.filter { $0.result == "applied" }.count == 1)
            let failed = try fixture.records(.failed)
            #expect(failed.count == 1)
            #expect(failed.values.first?.outcome?.reason?.contains("duplicate approval") == true)
            #expect(listFolder(fixture.folder(.applied)) == [name])
        }
    }

    @Test func retainZeroKeepsNoTreeAndRecordsNoDanglingPath() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, _, _, v2) = try await Self.queued(dir, config: "sources:\n  transports: [file]\napply:\n  retain: 0\n")
            _ = try fixture.approveAll()
            let report = try await fixture.apply()
            #expect(report.items.map(\.result) == ["applied"])
            #expect(try fixture.stamp("ws", "review").sha == v2)
            let record = try #require(try fixture.records(.applied).values.first)
            #expect(record.outcome?.retained == nil)
            #expect(listFolder(fixture.retained("ws", "review")).isEmpty)
        }
    }

    @Test func removeRecordWithATargetIsRefused() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, _, v1, _) = try await Self.queued(dir)
            let name = try #require(listFolder(fixture.folder(.pending)).first)
            let text = try readFile(fixture.folder(.pending) + "/" + name).replacingOccurrences(of: "kind: update", with: "kind: remove")
            try writeFile(fixture.folder(.approved) + "/" + name, text)
            try FileManager.default.removeItem(atPath: fixture.folder(.pending) + "/" + name)
            let report = try await fixture.apply()
            #expect(report.items.first?.reason?.contains("a remove has no target") == true)
            #expect(try fixture.stamp("ws", "review").sha == v1)
        }
    }

    @Test func anOutcomeFileMovedBackIntoApprovedIsAppliedAgain() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, upstream, v1, v2) = try await Self.queued(dir)
            _ = try fixture.approveAll()
            let first = try await fixture.apply()
            #expect(first.items.map(\.result) == ["applied"])
            // Back to v1 by hand, then the applied record itself is moved back to approved/.
            try FileManager.default.removeItem(atPath: fixture.root + "/ws/plugins/review")
            try await fixture.install("ws", "review", from: upstream, sha: v1, ref: "v1.0.0", track: "tag:latest")
            let name = try #require(listFolder(fixture.folder(.applied)).first)
            try fixture.move(name, from: .applied, to: .approved)
            let second = try await fixture.apply()
            #expect(second.items.map(\.result) == ["applied"])
            #expect(try fixture.stamp("ws", "review").sha == v2)
            #expect(listFolder(fixture.folder(.applied)).count == 1)
            #expect(listFolder(fixture.folder(.applying)).isEmpty)
        }
    }
}
