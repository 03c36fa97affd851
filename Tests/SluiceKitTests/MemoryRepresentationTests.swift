import Foundation
import SluiceTestSupport
import Testing
import Yams
@testable import SluiceKit

/// The compact in-memory representations (spec/lifecycle.md, "Memory"): strings many files
/// repeat are stored once, and a queue record is copied by reference, without any value changing.
@Suite struct MemoryRepresentationTests {
    /// Where a string's bytes live: equal addresses mean one shared copy.
    private func storage(_ string: String) -> UInt? {
        var copy = string
        return copy.withUTF8 { $0.baseAddress.map { UInt(bitPattern: $0) } }
    }

    @Test func theInternerKeepsOneCopyOfEachLongString() {
        let interner = StringInterner()
        let sha = String(repeating: "ab", count: 20)
        let first = interner.intern(String(sha.utf8.map { Character(Unicode.Scalar($0)) }))
        let second = interner.intern(String(sha.utf8.map { Character(Unicode.Scalar($0)) }))
        #expect(first == sha && second == sha)
        #expect(storage(first) == storage(second))
        #expect(interner.count == 1)
        // Short strings are stored inline in the String value: nothing to share, nothing kept.
        #expect(interner.intern("v1.0.2") == "v1.0.2")
        #expect(interner.count == 1)
        #expect(interner.intern(nil as String?) == nil)
    }

    @Test func theInternerStartsAgainWhenFullAndKeepsEveryValue() {
        let interner = StringInterner(capacity: 4)
        let values = (0..<10).map { "https://git.example/plugin-\($0).git" }
        let interned = values.map { interner.intern($0) }
        #expect(interned == values)
        #expect(interner.count <= 4)
        #expect(interner.intern(values[9]) == values[9])
    }

    @Test func workspacesReadFromDiskShareTheirRepeatedStrings() async throws {
        try await withTemporaryFolder { dir in
            let fixture = try RootFixture(in: dir)
            let source = "file:///srv/upstream/a-long-plugin-source.git"
            let sha = String(repeating: "c", count: 40)
            var paths: [String] = []
            for index in 0..<3 {
                let path = "team/ws-\(index)"
                paths.append(path)
                try fixture.workspace(path, RootFixture.manifest("review", source: source, track: "tag:latest"))
                let stamp = Stamp(plugin: "review", source: source, subpath: nil, track: "tag:latest", ref: "v1.0.0", sha: sha,
                                  digest: "sha256:" + String(repeating: "d", count: 64), installed: "2026-01-01T00:00:00Z")
                try writeFile(fixture.root + "/" + path + "/plugins/review/" + Stamp.fileName, try stamp.encoded())
            }
            let layout = try fixture.layout()
            var timing = WorkspaceState.ReadTiming()
            let states = await WorkspaceState.read(paths, layout: layout, cache: WorkspaceCache(), workers: 1, timing: &timing)
            let stamps = states.compactMap { $0.installed["review"]?.stamp }
            let manifests = states.compactMap { try? $0.manifest.get() }
            #expect(stamps.count == 3 && manifests.count == 3)
            #expect(Set(stamps.map { storage($0.sha) }).count == 1)
            #expect(Set(stamps.map { storage($0.digest) }).count == 1)
            #expect(Set(stamps.map { storage($0.installed) }).count == 1)
            // The manifests' source and the stamps' source are one copy between them.
            #expect(Set(stamps.map { storage($0.source) } + manifests.map { storage($0.plugins[0].source) }).count == 1)
        }
    }

    @Test func aRecordCopyIsIndependentOfTheOriginal() throws {
        let original = UpdateRecord(
            id: "ws+review+cccccccccccc", workspace: "ws", plugin: "review", kind: .update, source: "file:///srv/review.git",
            subpath: nil, track: "tag:latest", from: RefPoint(ref: "v1.0.0", sha: String(repeating: "b", count: 40)),
            to: RefPoint(ref: "v1.0.1", sha: String(repeating: "c", count: 40)), warning: nil, detected: "2026-01-01T00:00:00Z",
            basis: Basis(installed: InstalledBasis(state: .stamped, sha: String(repeating: "b", count: 40)), manifest: nil))
        var copy = original
        #expect(copy == original && copy.hashValue == original.hashValue)
        copy.attempt = "attempt-1"
        copy.to?.ref = "v9"
        #expect(original.attempt == nil && original.to?.ref == "v1.0.1")
        #expect(copy.attempt == "attempt-1" && copy.to?.ref == "v9")
        #expect(copy != original)
        var again = copy
        again.attempt = nil
        again.to?.ref = "v1.0.1"
        #expect(again == original && again.hashValue == original.hashValue)
        // The text is the same as a record's always was: fixed key order, from and to present.
        let text = try YAMLEncoder().encode(original)
        #expect(text.hasPrefix("format: 1\nid: ws+review+cccccccccccc\nworkspace: ws\n"))
        #expect(text.contains("from:\n  ref: v1.0.0\n") && text.contains("manifest: null\n"))
        #expect(RecordEncoding.plain(original) == text)
        #expect(try YAMLDecoder().decode(UpdateRecord.self, from: text) == original)
    }

    @Test func stateCountsAreTheCountsOfTheReportsRows() async throws {
        try await withTemporaryFolder { dir in
            let upstream = InMemoryUpstream()
            let source = UpstreamSeamTests.review
            let v1 = upstream.release(source, "v1.0.0")
            let fixture = try RootFixture(in: dir)
            // In sync, drift (then pending after a pass), held, untracked, an orphan, an error, a broken manifest.
            try fixture.workspace("in-sync", RootFixture.manifest("review", source: source, track: "tag:latest"))
            try UpstreamSeamTests.installStamped(fixture, "in-sync", "review", source: source, ref: "v1.0.0", sha: v1, track: "tag:latest")
            try fixture.workspace("queued", RootFixture.manifest("review", source: source, track: "tag:latest"))
            try fixture.workspace("drift", RootFixture.manifest("review", source: source, track: "tag:latest")
                + "  held:\n    source: \(source)\n    track: tag:latest\n    hold: true\n"
                + "  idle:\n    source: \(source)\n    track: none\n"
                + "  missing:\n    source: \(source)\n    track: tag:v9.9.9\n")
            try fixture.workspace("broken", "plugins:\n  review: [\n")
            _ = try await UpstreamSeamTests.reconcile(fixture, upstream)
            try UpstreamSeamTests.installStamped(fixture, "in-sync", "gone", source: source, ref: "v1.0.0", sha: v1, track: "tag:latest")
            try fixture.workspace("drift", RootFixture.manifest("review", source: source, track: "tag:latest")
                + "  held:\n    source: \(source)\n    track: tag:latest\n    hold: true\n"
                + "  idle:\n    source: \(source)\n    track: none\n"
                + "  missing:\n    source: \(source)\n    track: tag:v9.9.9\n"
                + "  later:\n    source: \(source)\n    track: tag:latest\n")
            let snapshot = await SnapshotReader(layout: try fixture.layout(), upstream: upstream).read()
            var expected: [StatusReport.State: Int] = [:]
            for workspace in StatusReport(snapshot: snapshot).workspaces {
                for plugin in workspace.plugins { expected[plugin.state, default: 0] += 1 }
            }
            #expect(StatusReport.stateCounts(snapshot: snapshot) == expected)
            #expect(Set(expected.keys) == [.inSync, .orphan, .pending, .held, .untracked, .error, .drift])
        }
    }
}
