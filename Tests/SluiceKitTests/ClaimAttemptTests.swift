import Foundation
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// A claim is tagged with its attempt in place, as an extended attribute (``ClaimAttempt``): the
/// claim file keeps its inode and its bytes, and the attempt reads back with it; a claim whose
/// text names an outcome is rewritten instead; and a run killed after writing the outcome of an
/// attempt tagged in place is finished once, not applied twice.
@Suite struct ClaimAttemptTests {
    /// Approves a v2 of `review` for `ws` and claims it as apply does (not synced).
    static func claimed(_ dir: String) async throws -> (fixture: RootFixture, store: QueueStore, record: UpdateRecord, v2: String) {
        let update = try await ApplyFixtures.update(dir)
        let v2 = try await update.upstream.release("v2.0.0", ApplyFixtures.v1Files.merging(["NEW.md": "new\n"]) { $1 })
        let record = try await ApplyFixtures.queueAndApprove(update.fixture, sha: v2)
        let store = QueueStore(layout: try update.fixture.layout())
        guard case .claimed = store.claim(record.fileName, at: Date(), durable: false) else {
            Issue.record("the claim failed")
            return (update.fixture, store, record, v2)
        }
        return (update.fixture, store, record, v2)
    }

    static func identity(_ path: String) -> FileIdentity? {
        var info = stat()
        return stat(path, &info) == 0 ? FileIdentity(info) : nil
    }

    @Test func aCleanClaimIsTaggedInPlaceAndReadsBackWithItsAttempt() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, store, record, _) = try await Self.claimed(dir)
            let path = fixture.folder(.applying) + "/" + record.fileName
            let before = try #require(Self.identity(path))
            let bytes = FileManager.default.contents(atPath: path)
            guard case .success(let read)? = store.readClaim(record.fileName) else {
                Issue.record("the claim does not read")
                return
            }
            #expect(read.attempt == nil)
            let tagged = try store.tagAttempt(record.fileName, record: read, durable: true)
            let attempt = try #require(tagged.attempt)
            #expect(attempt.count == 36)
            // Same inode (no file written, none freed), same bytes; the attempt is the attribute.
            #expect(Self.identity(path)?.inode == before.inode)
            #expect(FileManager.default.contents(atPath: path) == bytes)
            #expect(WholeFile(path: path, attribute: ClaimAttempt.attribute)?.attribute == attempt)
            guard case .success(let again)? = store.readClaim(record.fileName) else {
                Issue.record("the tagged claim does not read")
                return
            }
            #expect(again.attempt == attempt)
            #expect(again == tagged)
        }
    }

    @Test func aClaimWhoseTextNamesAnOutcomeIsRewrittenWithoutIt() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, store, record, _) = try await Self.claimed(dir)
            let path = fixture.folder(.applying) + "/" + record.fileName
            var stale = record
            stale.attempt = "attempt-of-an-earlier-approval"
            var outcome = Outcome(result: .applied, at: "2026-01-01T00:00:00Z")
            outcome.verdict = "restart"
            stale.outcome = outcome
            try AtomicFile.write(try QueueStore.encode(stale, folder: .applied), to: path)
            #expect(ClaimAttempt.set("attribute-of-the-moved-file", on: path, durable: false))
            // The text's attempt and outcome win over the attribute: the attribute is read only for a clean text.
            guard case .success(let read)? = store.readClaim(record.fileName) else {
                Issue.record("the claim does not read")
                return
            }
            #expect(read.attempt == "attempt-of-an-earlier-approval")
            var fresh = read
            fresh.outcome = nil
            fresh.attempt = nil
            let tagged = try store.tagAttempt(record.fileName, record: fresh, durable: true, inPlace: false)
            let rewritten = try #require(WholeFile(path: path, attribute: ClaimAttempt.attribute))
            #expect(rewritten.attribute == nil, "a rewrite is a new file, without the old attribute")
            let decoded = try #require(RecordDecoding.fast(rewritten.data))
            #expect(decoded.attempt == tagged.attempt && decoded.outcome == nil)
            guard case .success(let again)? = store.readClaim(record.fileName) else {
                Issue.record("the rewritten claim does not read")
                return
            }
            #expect(again == tagged)
        }
    }

    /// A claim hard-linked from another name (`ln` instead of `mv`) is rewritten, not tagged in
    /// place: the attribute would belong to the other name too.
    @Test func aHardLinkedClaimIsRewrittenAndTheOtherNameKeepsNoAttempt() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, store, record, _) = try await Self.claimed(dir)
            let path = fixture.folder(.applying) + "/" + record.fileName
            let other = dir + "/other-name.yaml"
            #expect(link(path, other) == 0)
            let tagged = try store.tagAttempt(record.fileName, record: record, durable: true)
            #expect(Self.identity(path)?.inode != Self.identity(other)?.inode, "the claim has an inode of its own")
            #expect(WholeFile(path: other, attribute: ClaimAttempt.attribute)?.attribute == nil)
            #expect(RecordDecoding.fast(try #require(FileManager.default.contents(atPath: other)))?.attempt == nil)
            guard case .success(let again)? = store.readClaim(record.fileName) else {
                Issue.record("the rewritten claim does not read")
                return
            }
            #expect(again == tagged)
        }
    }

    /// A run killed after it recorded the outcome of an attempt tagged in place, before it
    /// deleted the claim: the next run sees the outcome of that very attempt and only clears
    /// the claim.
    @Test func aClaimTaggedInPlaceWhoseOutcomeIsWrittenIsOnlyCleared() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, store, record, _) = try await Self.claimed(dir)
            let path = fixture.folder(.applying) + "/" + record.fileName
            #expect(ClaimAttempt.set("attempt-of-the-killed-run", on: path, durable: true))
            var done = record
            done.attempt = "attempt-of-the-killed-run"
            var outcome = Outcome(result: .applied, at: "2026-01-01T00:00:00Z")
            outcome.verdict = "restart"
            done.outcome = outcome
            try AtomicFile.write(try QueueStore.encode(done, folder: .applied), to: fixture.folder(.applied) + "/" + record.fileName)
            #expect(store.isFinishedClaim(record.fileName))
            let report = try await fixture.apply()
            #expect(report.items.isEmpty, "\(report.items)")
            #expect(listFolder(fixture.folder(.applying)).isEmpty)
            #expect(listFolder(fixture.folder(.applied)) == [record.fileName])
        }
    }
}
