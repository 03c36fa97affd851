import Foundation
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// A claim left in `applying/` by a run killed after it wrote the claim's outcome, met by a new
/// approval of the same update (`sluice install` run again after such a kill; found by the
/// crash-point enumeration, install x unlink K=1).
@Suite struct ClaimRecoveryTests {
    @Test func aNewApprovalOfAnUpdateWhoseLeftoverClaimIsFinishedIsApplied() async throws {
        try await withTemporaryFolder { dir in
            let update = try await ApplyFixtures.update(dir)
            let v2 = try await update.upstream.release("v2.0.0", ApplyFixtures.v1Files.merging(["NEW.md": "new\n"]) { $1 })
            let record = try await ApplyFixtures.queueAndApprove(update.fixture, sha: v2)
            // The killed run: its claim, tagged, and its outcome (failed: a fetch was killed).
            var claim = record
            claim.attempt = "attempt-of-the-killed-run"
            var failed = claim
            var outcome = Outcome(result: .failed, at: "2026-01-01T00:00:00Z")
            outcome.reason = "git fetch was killed"
            failed.outcome = outcome
            try AtomicFile.write(try QueueStore.encode(claim, folder: .applying), to: update.fixture.folder(.applying) + "/" + record.fileName)
            try AtomicFile.write(try QueueStore.encode(failed, folder: .failed), to: update.fixture.folder(.failed) + "/" + record.fileName)
            let report = try await update.fixture.apply()
            #expect(report.items.map(\.result) == ["applied"], "\(report.items)")
            ApplyFixtures.expectQueue(update.fixture, applied: [record.fileName], failed: [record.fileName])
            try await ApplyFixtures.expectInstalled(update.fixture, "ws", "review", update.upstream, sha: v2)
        }
    }

    @Test func aCopyOfAClaimStillInProgressIsStillADuplicate() async throws {
        try await withTemporaryFolder { dir in
            let update = try await ApplyFixtures.update(dir)
            let v2 = try await update.upstream.release("v2.0.0", ApplyFixtures.v1Files.merging(["NEW.md": "new\n"]) { $1 })
            let record = try await ApplyFixtures.queueAndApprove(update.fixture, sha: v2)
            var claim = record
            claim.attempt = "attempt-without-an-outcome"
            try AtomicFile.write(try QueueStore.encode(claim, folder: .applying), to: update.fixture.folder(.applying) + "/" + record.fileName)
            let store = QueueStore(layout: try update.fixture.layout())
            guard case .duplicate = store.claim(record.fileName, at: Date()) else {
                Issue.record("expected a duplicate")
                return
            }
            #expect(listFolder(update.fixture.folder(.applying)) == [record.fileName])
        }
    }
}
