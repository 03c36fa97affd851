import Foundation
import Testing
import SluiceTestSupport

/// Output and log lines that cannot be written (a full disk, `/dev/full`) are dropped; the work
/// goes on and the process never traps.
@Suite struct FullDiskOutputTests {
    /// Runs the real binary with standard error (and optionally standard output) on `/dev/full`,
    /// where every write fails with ENOSPC.
    private func sluiceOnFullDisk(_ arguments: [String], stdoutFull: Bool) async throws -> Shell.Result {
        let redirect = stdoutFull ? ">/dev/full 2>/dev/full" : "2>/dev/full"
        return try await Shell.run("/bin/sh", ["-c", "exec \"$0\" \"$@\" " + redirect, Shell.sluiceBinary] + arguments)
    }

    @Test func reconcileWithLogsOnAFullDiskFinishesItsPass() async throws {
        try await withTemporaryFolder { dir in
            let examples = try CommandLineTests.repositoryRoot() + "/examples"
            let demo = try await Shell.sluice(["demo", "--examples", examples, "--into", dir + "/demo"])
            #expect(demo.status == 0, "\(demo.stderr)")
            let root = dir + "/demo/root"
            for name in listFolder(root + "/updates/pending") { try FileManager.default.removeItem(atPath: root + "/updates/pending/" + name) }
            // Every log line fails to be written: the pass still queues the four updates.
            let result = try await sluiceOnFullDisk(["reconcile", "--root", root, "--log-level", "debug"], stdoutFull: false)
            #expect(result.status == 0, "exit \(result.status): \(result.stderr)")
            #expect(listFolder(root + "/updates/pending").count == 4)
        }
    }

    @Test func listingOnAFullDiskDoesNotTrap() async throws {
        try await withTemporaryFolder { dir in
            let examples = try CommandLineTests.repositoryRoot() + "/examples"
            #expect(try await Shell.sluice(["demo", "--examples", examples, "--into", dir + "/demo"]).status == 0)
            let result = try await sluiceOnFullDisk(["pending", "--root", dir + "/demo/root", "--log-level", "debug"], stdoutFull: true)
            // Output that cannot be written is an error of the command (as for cat(1)), not a crash.
            #expect(result.status == 1, "exit \(result.status)")
        }
    }
}
