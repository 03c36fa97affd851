import Foundation
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// The real `sluice` binary, end to end: output, exit status, files.
@Suite struct CommandLineTests {
    @Test func readmeFirstCommandBuildsTheDemoAndQueuesPendingUpdates() async throws {
        try await withTemporaryFolder { dir in
            let examples = try Self.repositoryRoot() + "/examples"
            let result = try await Shell.sluice(["demo", "--examples", examples, "--into", dir + "/demo"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("reconcile: 4 workspaces, 4 subscriptions, 2 sources (0 in sync, 4 queued, 0 replaced, 0 unchanged, 0 suppressed)"))
            #expect(result.stdout.contains("What next:"))
            let pending = listFolder(dir + "/demo/root/updates/pending")
            #expect(pending.count == 4)
            #expect(pending.contains { $0.hasPrefix("team-a~canary+five-axis-review+") })
            // The demo's upstream is real git with real tags.
            let tags = try await Shell.git(["tag", "--list"], in: dir + "/demo/upstream/five-axis-review.git")
            #expect(tags.split(separator: "\n") == ["v1.0.0", "v1.0.1", "v1.1.0", "v2.0.0-beta.1"])

            let list = try await Shell.sluice(["pending", "--root", dir + "/demo/root", "--json"])
            #expect(list.status == 0)
            let report = try JSONDecoder().decode(PendingReport.self, from: Data(list.stdout.utf8))
            #expect(report.total == 4)
            #expect(report.groups.map(\.plugin) == ["careful-mode", "five-axis-review", "five-axis-review"])

            let status = try await Shell.sluice(["status", "--root", dir + "/demo/root", "--json"])
            #expect(status.status == 0)
            let states = try JSONDecoder().decode(StatusReport.self, from: Data(status.stdout.utf8))
            let legacy = try #require(states.workspaces.first { $0.path == "team-b/legacy" })
            #expect(legacy.plugins.map(\.state) == [.held])

            // Running it again replaces the earlier demo and gives the same queue.
            let again = try await Shell.sluice(["demo", "--examples", examples, "--into", dir + "/demo"])
            #expect(again.status == 0)
            #expect(listFolder(dir + "/demo/root/updates/pending") == pending)
        }
    }

    @Test func reconcileExitsOneWhenASourceFailsAndTwoWhenTheConfigIsInvalid() async throws {
        try await withTemporaryFolder { dir in
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("ws", RootFixture.manifest("gone", source: "file://\(dir)/missing.git", track: "tag:latest"))
            let partial = try await Shell.sluice(["reconcile", "--root", fixture.root])
            #expect(partial.status == 1)
            #expect(partial.stdout.contains("source file://\(dir)/missing.git unreachable"))
            #expect(partial.stdout.contains("1 failed"))

            try writeFile(fixture.root + "/sluice.yaml", "sources:\n  transports: [file, ext]\ngit:\n  timeout: 0\n")
            let invalid = try await Shell.sluice(["reconcile", "--root", fixture.root])
            #expect(invalid.status == 2)
            #expect(invalid.stderr.contains("sluice.yaml:2:22: error: unknown transport 'ext'"))
            #expect(invalid.stderr.contains("sluice.yaml:4:12: error: git.timeout must be between 1 and 3600"))

            let missing = try await Shell.sluice(["reconcile", "--root", dir + "/nowhere"])
            #expect(missing.status == 2)
            #expect(missing.stderr.contains("does not exist"))

            let usage = try await Shell.sluice(["reconcile", "--root", fixture.root, "--shard", "5/4"])
            #expect(usage.status == 64)
        }
    }

    @Test func manifestErrorsArePrintedWithFileLineAndColumn() async throws {
        try await withTemporaryFolder { dir in
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("team/ws", "plugins:\n  Bad_Name:\n    source: -oProxyCommand=x\n    track: main\n    color: red\n")
            let result = try await Shell.sluice(["reconcile", "--root", fixture.root])
            #expect(result.status == 1)
            let lines = result.stdout.split(separator: "\n").filter { $0.hasPrefix("team/ws/plugins.yaml") }
            #expect(lines.count == 4)
            #expect(lines.first?.hasPrefix("team/ws/plugins.yaml:2:3: error: invalid plugin name 'Bad_Name'") == true)
            #expect(lines.contains { $0.hasPrefix("team/ws/plugins.yaml:3:13: error:") && $0.contains("starts with '-'") })
            #expect(lines.contains { $0.hasPrefix("team/ws/plugins.yaml:4:12: error:") && $0.contains("has no kind") })
            #expect(lines.contains { $0.hasPrefix("team/ws/plugins.yaml:5:5: error: unknown key 'color'") })
        }
    }

    @Test func rootWorkspaceAndVanishedWorkspacesAreHandled() async throws {
        try await withTemporaryFolder { dir in
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            try await upstream.release("v1.0.0")
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("gone", RootFixture.manifest("review", source: upstream.url, track: "tag:latest"))
            try await fixture.reconcile()
            #expect(listFolder(fixture.folder(.pending)).count == 1)
            try FileManager.default.removeItem(atPath: fixture.root + "/gone")
            let report = try await fixture.reconcile()
            #expect(report.withdrawn.count == 1)
            #expect(listFolder(fixture.folder(.pending)).isEmpty)

            // The root itself as a workspace: its file must not be hidden (no leading dot).
            try writeFile(fixture.root + "/plugins.yaml", RootFixture.manifest("review", source: upstream.url, track: "tag:latest"))
            try await fixture.reconcile()
            let names = listFolder(fixture.folder(.pending))
            #expect(names.count == 1)
            #expect(names.first?.hasPrefix("%2E+review+") == true)
            let second = try await fixture.reconcile()
            #expect(second.unchanged == 1)
            #expect(second.queued.isEmpty)
        }
    }

    /// The package's top folder, found from this source file.
    static func repositoryRoot() throws -> String {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        throw ShellError(message: "cannot find Package.swift above \(#filePath)")
    }
}
