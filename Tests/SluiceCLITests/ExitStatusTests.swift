import Foundation
import Testing
import SluiceTestSupport

/// Exit statuses of the real binary where the work could not be done at all.
@Suite struct ExitStatusTests {
    @Test func checkOnAMissingRootExitsTwoAndSaysWhy() async throws {
        let missing = FileManager.default.temporaryDirectory.path + "/sluice-missing-\(UUID().uuidString)"
        let result = try await Shell.sluice(["check", "--root", missing])
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains(missing))
        #expect(!result.stdout.contains("ok:"))
    }

    @Test func approveOrRejectMatchingNothingExitsOne() async throws {
        try await withTemporaryFolder { dir in
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("ws", "plugins: {}\n")
            for command in ["approve", "reject"] {
                let result = try await Shell.sluice([command, "--root", fixture.root, "nope"])
                #expect(result.status == 1, "\(command): \(result.stdout)\(result.stderr)")
                #expect(result.stderr.contains("nothing matched"), "\(result.stderr)")
            }
            // A dry run that matches nothing says so the same way.
            let dry = try await Shell.sluice(["approve", "--root", fixture.root, "--all", "--dry-run"])
            #expect(dry.status == 1)
        }
    }

    @Test func rejectRefusesCanary() async throws {
        let result = try await Shell.sluice(["reject", "--plugin", "x", "--canary", "1"])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("--canary"))
    }

    @Test func helpOnAnUnknownTopicExitsOne() async throws {
        let result = try await Shell.sluice(["help", "nope"])
        #expect(result.status == 1, "\(result.stdout)")
        #expect(result.stderr.contains("unknown command 'nope'"), "\(result.stderr)")
        #expect(result.stderr.contains("reconcile"))
        let known = try await Shell.sluice(["help", "apply"])
        #expect(known.status == 0)
        #expect(known.stdout.contains("USAGE: sluice apply"))
    }

    @Test func reconcileOnARootWithoutWorkspacesWarns() async throws {
        try await withTemporaryFolder { dir in
            let result = try await Shell.sluice(["reconcile", "--root", dir])
            #expect(result.status == 0)
            #expect(result.stderr.contains("no workspace found under \(dir)"), "\(result.stderr)")
        }
    }

    @Test func checkAcceptsJSONLikeEveryOtherCommand() async throws {
        try await withTemporaryFolder { dir in
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("ws", "plugins: {}\n")
            let result = try await Shell.sluice(["check", "--root", fixture.root, "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            #expect(object?["files"] != nil)
        }
    }
}
