import Foundation
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// `status`'s check of live trees against their stamps' digests, taken on every core (issue #11).
@Suite struct LiveTreeCheckTests {
    /// Writes `plugins/<plugin>` of `workspace` under `root` with `files`, stamped with its own digest.
    static func installTree(root: String, workspace: String, plugin: String, files: [String: String]) throws {
        let live = root + "/" + workspace + "/plugins/" + plugin
        for (path, content) in files {
            try FileManager.default.createDirectory(atPath: (live + "/" + path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try content.write(toFile: live + "/" + path, atomically: false, encoding: .utf8)
        }
        let stamp = Stamp(plugin: plugin, source: "file:///up/\(plugin).git", subpath: nil, track: "tag:latest", ref: "v1.0.0",
                          sha: String(repeating: "a", count: 40), digest: try TreeDigest.digest(of: live), installed: "2026-01-01T00:00:00Z")
        try stamp.encoded().write(toFile: live + "/" + Stamp.fileName, atomically: false, encoding: .utf8)
    }

    @Test func everyTreeEditedInPlaceIsReportedAndNoOther() async throws {
        try await withTemporaryFolder { dir in
            let fixture = try RootFixture(in: dir)
            let layout = try fixture.layout()
            var workspaces: [StatusReport.Workspace] = []
            for index in 0..<60 {
                let path = String(format: "w%02d", index)
                try Self.installTree(root: fixture.root, workspace: path, plugin: "review", files: ["plugin.yaml": "name: review\n", "hooks/run.sh": "echo \(index)\n"])
                workspaces.append(StatusReport.Workspace(path: path, errors: [], plugins: [
                    StatusReport.Plugin(name: "review", track: "tag:latest", installed: RefPoint(ref: "v1.0.0", sha: String(repeating: "a", count: 40)),
                                        folder: .stamped, target: nil, state: .inSync, detail: nil),
                ]))
            }
            // Same length, other content; a mode change; a file added deep in the tree.
            try "echo 99\n".write(toFile: fixture.root + "/w07/plugins/review/hooks/run.sh", atomically: false, encoding: .utf8)
            chmod(fixture.root + "/w31/plugins/review/hooks/run.sh", 0o755)
            try "extra".write(toFile: fixture.root + "/w58/plugins/review/hooks/extra.txt", atomically: false, encoding: .utf8)

            let empty = Snapshot(workspaces: [], refs: [:], resolutions: [:], subscribers: [:], pending: [], approved: [], rejected: [], queueProblems: [])
            var report = StatusReport(snapshot: empty)
            report.workspaces = workspaces
            await report.checkLiveTrees(layout: layout, snapshot: empty, workers: 4)

            let modified = report.workspaces.filter { $0.plugins[0].state == .modified }.map(\.path)
            #expect(modified == ["w07", "w31", "w58"])
            #expect(report.workspaces.allSatisfy { $0.plugins[0].modified == ["w07", "w31", "w58"].contains($0.path) })
        }
    }

    @Test func treeDigestIsTheDocumentedOne() async throws {
        try await withTemporaryFolder { dir in
            let tree = dir + "/tree"
            try FileManager.default.createDirectory(atPath: tree + "/bin", withIntermediateDirectories: true)
            try "a\n".write(toFile: tree + "/a.txt", atomically: false, encoding: .utf8)
            try "#!/bin/sh\n".write(toFile: tree + "/bin/run", atomically: false, encoding: .utf8)
            chmod(tree + "/bin/run", 0o755)
            // The Python of spec/formats.md#tree-digest over the same tree.
            #expect(try TreeDigest.digest(of: tree) == "sha256:ac46d6bae8c55a2f2bf728381cf733552704dace40e9647c3299c293531752ff")
            #expect(TreeDigest.hex([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        }
    }

    @Test func aTreeIsComparedWithTheStampReadWithItsWorkspaceThenWithItsStampNow() async throws {
        try await withTemporaryFolder { dir in
            let fixture = try RootFixture(in: dir)
            let layout = try fixture.layout()
            for path in ["clean", "edited", "swapped"] {
                try fixture.workspace(path, RootFixture.manifest("review", source: "file:///up/review.git", track: "tag:latest"))
                try Self.installTree(root: fixture.root, workspace: path, plugin: "review", files: ["plugin.yaml": "name: review\n"])
            }
            let snapshot = Snapshot(workspaces: ["clean", "edited", "swapped"].map { WorkspaceState.read($0, layout: layout) },
                                    refs: [:], resolutions: [:], subscribers: [:], pending: [], approved: [], rejected: [], queueProblems: [])
            // After the workspaces were read: one tree edited in place, one replaced with its stamp (as apply swaps them).
            try "name: edited\n".write(toFile: fixture.root + "/edited/plugins/review/plugin.yaml", atomically: false, encoding: .utf8)
            try Self.installTree(root: fixture.root, workspace: "swapped", plugin: "review", files: ["plugin.yaml": "name: review 2\n"])

            var report = StatusReport(snapshot: snapshot)
            // Nothing was resolved upstream: take each as in sync, which an edit replaces.
            for w in report.workspaces.indices { report.workspaces[w].plugins[0].state = .inSync }
            await report.checkLiveTrees(layout: layout, snapshot: snapshot, workers: 2)

            #expect(report.workspaces.map(\.path) == ["clean", "edited", "swapped"])
            #expect(report.workspaces.map { $0.plugins.first?.modified } == [false, true, false])
            #expect(report.workspaces[1].plugins.first?.state == .modified)
        }
    }
}
