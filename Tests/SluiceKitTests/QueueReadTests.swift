import Foundation
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// Reading a queue folder: on one core or many, with or without the record cache (issue #11).
@Suite struct QueueReadTests {
    /// A record of `workspace` and `plugin` moving to a SHA made of `digit`.
    static func record(_ workspace: String, _ plugin: String = "review", digit: Character = "b", detected: String = "2026-01-01T00:00:00Z") -> UpdateRecord {
        let sha = String(repeating: digit, count: 40)
        return UpdateRecord(
            id: UpdateRecord.makeID(workspace: workspace, plugin: plugin, targetSHA: sha),
            workspace: workspace, plugin: plugin, kind: .update, source: "file:///up/\(plugin).git", subpath: nil, track: "tag:latest",
            from: RefPoint(ref: "v1.0.0", sha: String(repeating: "a", count: 40)), to: RefPoint(ref: "v1.1.0", sha: sha),
            warning: nil, detected: detected,
            basis: Basis(installed: InstalledBasis(state: .stamped, sha: String(repeating: "a", count: 40), digest: "sha256:0"), manifest: nil))
    }

    /// A root with its queue folders and a store over it.
    static func store(in dir: String) throws -> QueueStore {
        let fixture = try RootFixture(in: dir)
        let layout = try fixture.layout()
        try layout.createQueueFolders()
        return QueueStore(layout: layout)
    }

    @Test func readingOnManyWorkersGivesWhatOneReadGivesAndOneBadFileStopsNothing() async throws {
        try await withTemporaryFolder { dir in
            let store = try Self.store(in: dir)
            for index in 0..<700 { try store.write(Self.record(String(format: "w%04d", index)), to: .pending) }
            // A hand-edited file in the middle of the listing, with a kind that does not exist.
            let bad = store.layout.folder(.pending) + "/w0350~bad+review+bbbbbbbbbbbb.yaml"
            let text = String(decoding: try QueueStore.encode(Self.record("w0350/bad"), folder: .pending), as: UTF8.self)
            try text.replacingOccurrences(of: "kind: update", with: "kind: upgrade").write(toFile: bad, atomically: false, encoding: .utf8)

            let one = store.read(.pending)
            let many = await store.read(.pending, workers: 4)

            #expect(one.entries.count == 700)
            #expect(many.entries == one.entries)
            #expect(many.entries.map(\.fileName) == many.entries.map(\.fileName).sorted())
            #expect(many.problems == one.problems)
            #expect(many.problems.count == 1)
            #expect(many.problems.first?.file == "updates/pending/w0350~bad+review+bbbbbbbbbbbb.yaml")
            #expect(many.problems.first?.reason.hasPrefix("7:7: ") == true, "\(many.problems)")
            #expect(many.problems.first?.reason.contains("'upgrade' is not a kind") == true)
        }
    }

    @Test func aQueueFileRewrittenInPlaceIsReadAgainThroughTheCache() async throws {
        try await withTemporaryFolder { dir in
            let store = try Self.store(in: dir)
            let cache = QueueRecordCache()
            try store.write(Self.record("ws", detected: "2026-01-01T00:00:00Z"), to: .pending)
            try store.write(Self.record("other"), to: .pending)
            let first = await store.read(.pending, cache: cache, workers: 2)
            #expect(first.entries.map(\.record.detected) == ["2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"])

            // Same length, same inode: only the content and the file's times change.
            let path = store.layout.folder(.pending) + "/" + Self.record("ws").fileName
            let handle = try #require(FileHandle(forWritingAtPath: path))
            let edited = try QueueStore.encode(Self.record("ws", detected: "2026-02-02T00:00:00Z"), folder: .pending)
            try handle.write(contentsOf: edited)
            try handle.close()

            let generation = cache.generation
            let second = await store.read(.pending, cache: cache, workers: 2)
            #expect(second.entries.first { $0.record.workspace == "ws" }?.record.detected == "2026-02-02T00:00:00Z")
            #expect(cache.generation == generation + 1)
            // Read on one core through the same cache: the same records.
            #expect(store.read(.pending, cache: cache).entries == second.entries)
        }
    }

    @Test func theCacheKeepsUnchangedRecordsAndCountsOnlyChanges() async throws {
        try await withTemporaryFolder { dir in
            let store = try Self.store(in: dir)
            let cache = QueueRecordCache()
            for name in ["a", "b", "c"] { try store.write(Self.record(name), to: .pending) }
            _ = store.read(.pending, cache: cache)
            let settled = cache.generation
            #expect(settled == 3)

            _ = await store.read(.pending, cache: cache, workers: 2)
            #expect(cache.generation == settled)

            try store.remove(Self.record("b").fileName, from: .pending)
            let after = store.read(.pending, cache: cache)
            #expect(after.entries.map(\.record.workspace) == ["a", "c"])
            #expect(cache.generation == settled + 1)
            #expect(cache.records(in: store.layout.folder(.pending)).keys.sorted() == [Self.record("a").fileName, Self.record("c").fileName])

            // A file replaced by rename (a new inode) is read again, not taken from the cache.
            try store.write(Self.record("c", detected: "2026-03-03T00:00:00Z"), to: .pending)
            let replaced = store.read(.pending, cache: cache)
            #expect(replaced.entries.map(\.record.detected) == ["2026-01-01T00:00:00Z", "2026-03-03T00:00:00Z"])
        }
    }

    @Test func aFileThatCannotBeReadIsAProblemAndTheOthersAreRead() async throws {
        try await withTemporaryFolder { dir in
            let store = try Self.store(in: dir)
            try store.write(Self.record("a"), to: .pending)
            // A folder named like a record: listed, but not a file.
            try FileManager.default.createDirectory(atPath: store.layout.folder(.pending) + "/b+review+bbbbbbbbbbbb.yaml", withIntermediateDirectories: false)
            let read = await store.read(.pending, cache: QueueRecordCache(), workers: 2)
            #expect(read.entries.map(\.record.workspace) == ["a"])
            #expect(read.problems.map(\.description) == ["updates/pending/b+review+bbbbbbbbbbbb.yaml: cannot read the file"])
        }
    }

    @Test func pendingGroupsKeepEveryItemSortedByWorkspace() {
        var entries: [QueueEntry] = []
        for index in (0..<300).reversed() {
            for (plugin, digit) in [("review", Character("b")), ("careful", Character("c"))] {
                let record = Self.record(String(format: "w%03d", index), plugin, digit: digit)
                entries.append(QueueEntry(fileName: record.fileName, record: record))
            }
        }
        let report = PendingReport(entries: entries)
        #expect(report.total == 600)
        #expect(report.groups.map(\.plugin) == ["careful", "review"])
        #expect(report.groups.map(\.items.count) == [300, 300])
        #expect(report.groups[1].items.map(\.workspace) == (0..<300).map { String(format: "w%03d", $0) })
        #expect(report.groups[0].kinds == [.update])
    }

    @Test func rolloutsOfManyTargetsAreReadAsEachIsReadAlone() async throws {
        try await withTemporaryFolder { dir in
            let store = try Self.store(in: dir)
            var pending: [QueueEntry] = []
            for index in 0..<5 {
                let record = Self.record("w\(index)", digit: "b")
                try store.write(record, to: .pending)
                pending.append(QueueEntry(fileName: record.fileName, record: record))
            }
            // The canary of review -> b approved; careful -> c applied twice (an outcome and its numbered copy).
            try store.write(Self.record("canary", digit: "b"), to: .approved)
            var applied = Self.record("x", "careful", digit: "c")
            applied.outcome = Outcome(result: .applied, at: "2026-01-02T00:00:00Z")
            try store.write(applied, to: .applied)
            let first = store.layout.folder(.applied) + "/" + applied.fileName
            try FileManager.default.copyItem(atPath: first, toPath: first.replacingOccurrences(of: ".yaml", with: ".1.yaml"))
            // Same plugin and the same first 12 digits, another full SHA: not this target's.
            var lookalike = Self.record("y", "careful", digit: "c")
            lookalike.to = RefPoint(ref: "v9", sha: String(repeating: "c", count: 12) + String(repeating: "d", count: 28))
            try store.write(lookalike, to: .approved)

            let targets: Set<Rollout.Target> = [
                .init(plugin: "review", sha: String(repeating: "b", count: 40)),
                .init(plugin: "careful", sha: String(repeating: "c", count: 40)),
                .init(plugin: "none", sha: String(repeating: "e", count: 40)),
            ]
            let together = Rollout.read(targets, store: store, pending: pending)
            #expect(together.count == 3)
            #expect(together[.init(plugin: "review", sha: String(repeating: "b", count: 40))]?.stage == .canaryPending)
            #expect(together[.init(plugin: "careful", sha: String(repeating: "c", count: 40))]?.stage == .fannedOut)
            #expect(together[.init(plugin: "careful", sha: String(repeating: "c", count: 40))]?.applied == 1)
            #expect(together[.init(plugin: "none", sha: String(repeating: "e", count: 40))]?.stage == .noCanary)
            let history = store.records(plugin: "careful", targetSHA: String(repeating: "c", count: 40), in: [.approved, .applied])
            #expect(history.map(\.entry.fileName).sorted() == [applied.fileName.replacingOccurrences(of: ".yaml", with: ".1.yaml"), applied.fileName].sorted())
        }
    }

    @Test func aPendingReportsRolloutsCountTheTargetsFilesInEveryGroup() async throws {
        try await withTemporaryFolder { dir in
            let store = try Self.store(in: dir)
            var pending: [QueueEntry] = []
            // One target (review -> b...b) reached by a tag and by a branch: two groups.
            for (index, ref) in ["v1.1.0", "v1.1.0", "main"].enumerated() {
                var record = Self.record("w\(index)", digit: "b")
                record.to = RefPoint(ref: ref, sha: String(repeating: "b", count: 40))
                pending.append(QueueEntry(fileName: record.fileName, record: record))
            }
            var canary = Self.record("canary", digit: "b")
            canary.outcome = Outcome(result: .applied, at: "2026-01-02T00:00:00Z")
            try store.write(canary, to: .applied)
            var report = PendingReport(entries: pending)
            #expect(report.groups.map { $0.to?.ref } == ["main", "v1.1.0"])
            report.readRollouts(store: store)
            let target = Rollout.Target(plugin: "review", sha: String(repeating: "b", count: 40))
            let expected = Rollout.read([target], store: store, pending: pending)[target]
            #expect(report.groups.map(\.rollout) == [expected, expected])
            #expect(expected?.stage == .canaryApplied)
            // With the branch's group alone, the target still waits for one workspace.
            var alone = PendingReport(entries: [pending[2]])
            alone.readRollouts(store: store)
            #expect(alone.groups.map(\.rollout?.stage) == [.canaryApplied])
        }
    }
}
