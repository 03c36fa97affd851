import Foundation
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// Queue files after crashes and hand edits (issue 10, defects 7 and 10).
@Suite struct QueueHardeningTests {
    @Test func applySweepsTemporaryFilesLeftByCrashesInItsQueueFolders() async throws {
        try await withTemporaryFolder { dir in
            let fixture = try RootFixture(in: dir)
            try fixture.layout().createQueueFolders()
            let old = Date().addingTimeInterval(-2 * 3600)
            var stale: [String] = []
            var fresh: [String] = []
            for folder in [QueueFolder.applying, .applied, .failed] {
                let path = fixture.folder(folder) + "/.tmp-x+review+abc.yaml.k2j4"
                try "partial".write(toFile: path, atomically: false, encoding: .utf8)
                try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: path)
                stale.append(path)
                let recent = fixture.folder(folder) + "/.tmp-y+review+abc.yaml.z9"
                try "being written".write(toFile: recent, atomically: false, encoding: .utf8)
                fresh.append(recent)
            }

            _ = try await fixture.apply()

            #expect(stale.filter { FileManager.default.fileExists(atPath: $0) } == [])
            #expect(fresh.filter { FileManager.default.fileExists(atPath: $0) } == fresh)
        }
    }

    /// One valid record's YAML text, as reconcile writes it.
    static func recordText() throws -> String {
        let record = UpdateRecord(
            id: UpdateRecord.makeID(workspace: "ws", plugin: "review", targetSHA: String(repeating: "b", count: 40)),
            workspace: "ws", plugin: "review", kind: .update, source: "file:///up/review.git", subpath: nil, track: "tag:latest",
            from: RefPoint(ref: "v1.0.0", sha: String(repeating: "a", count: 40)), to: RefPoint(ref: "v1.1.0", sha: String(repeating: "b", count: 40)),
            warning: nil, detected: "2026-01-01T00:00:00Z",
            basis: Basis(installed: InstalledBasis(state: .stamped, sha: String(repeating: "a", count: 40), digest: "sha256:0"), manifest: nil))
        return String(decoding: try QueueStore.encode(record, folder: .approved), as: UTF8.self)
    }

    /// The 1-based line and column where `needle` starts in `text`.
    static func position(of needle: String, in text: String) -> String {
        let lines = text.components(separatedBy: "\n")
        for (index, line) in lines.enumerated() {
            if let range = line.range(of: needle) { return "\(index + 1):\(line.distance(from: line.startIndex, to: range.lowerBound) + 1)" }
        }
        return "?"
    }

    @Test(arguments: [
        ("kind: update", "kind: upgrade", "upgrade", "'upgrade' is not a kind; expected one of install, update, retag, downgrade, change, remove, rollback"),
        ("state: stamped", "state: installed", "installed", "'installed' is not an installed state; expected one of absent, unstamped, stamped"),
        ("format: 1", "format: one", "one", "'format'"),
    ])
    func handEditedRecordErrorsSayWhereAndWhatIsAllowed(original: String, edited: String, value: String, message: String) async throws {
        let text = try Self.recordText().replacingOccurrences(of: original, with: edited)
        try await withTemporaryFolder { dir in
            let file = dir + "/x.yaml"
            try text.write(toFile: file, atomically: false, encoding: .utf8)
            let column = edited.distance(from: edited.startIndex, to: try #require(edited.range(of: value)).lowerBound)
            let line = Self.position(of: edited, in: text).split(separator: ":")
            let expected = "\(line[0]):\(Int(line[1])! + column): "
            switch QueueStore.decode(file: file) {
            case .success: Issue.record("the edited record decoded")
            case .failure(let problem):
                #expect(problem.reason.hasPrefix(expected), "\(problem.reason)")
                #expect(problem.reason.contains(message), "\(problem.reason)")
            }
        }
    }

    enum RefEdit: String, CaseIterable {
        case refIsAnotherFullSHA
        case retagWithAnotherTag
    }

    @Test(arguments: RefEdit.allCases)
    func recordWhoseRefContradictsItsTargetIsRefused(edit: RefEdit) async throws {
        try await withTemporaryFolder { dir in
            let (fixture, _, v1, v2) = try await ApplyEdgeTests.queued(dir)
            let name = try #require(listFolder(fixture.folder(.pending)).first)
            let path = fixture.folder(.pending) + "/" + name
            var text = try readFile(path)
            switch edit {
            case .refIsAnotherFullSHA:
                text = text.replacingOccurrences(of: "ref: v1.1.0", with: "ref: \(v1)")
            case .retagWithAnotherTag:
                text = text.replacingOccurrences(of: "kind: update", with: "kind: retag")
            }
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            try fixture.move(name, from: .pending, to: .approved)

            let report = try await fixture.apply()

            #expect(report.items.map(\.result) == ["failed"])
            #expect(report.items.first?.reason?.contains("contradicts itself") == true, "\(report.items)")
            #expect(try fixture.stamp("ws", "review").sha == v1)
            #expect(try fixture.stamp("ws", "review").sha != v2)
        }
    }
}
