import Foundation
import Testing
@testable import SluiceKit
@testable import SluiceService
import SluiceTestSupport

/// `sluice serve` sweeps the temporaries of its own state files left by a killed serve (found by
/// the soak: `.sluice/.tmp-serve.port.*` and `.tmp-serve-status.json.*` after SIGKILLs).
@Suite struct ServeSweepTests {
    @Test func serveSweepsTheTemporariesOfAKilledServe() async throws {
        try await withTemporaryFolder { dir in
            let fixture = try RootFixture(in: dir)
            let layout = try fixture.layout()
            try FileManager.default.createDirectory(atPath: layout.state, withIntermediateDirectories: true)
            let pidMax = try readFile("/proc/sys/kernel/pid_max").trimmingCharacters(in: .whitespacesAndNewlines)
            let left = ["serve.port", ServeStatus.fileName].map { layout.state + "/.tmp-\($0).\(pidMax)-\(TemporaryName.hostTag).k3x9a" }
            for path in left { try writeFile(path, "partial") }
            let (_, result) = try await Shell.withRunning(Shell.sluiceBinary, ["serve", "--root", fixture.root, "--listen", "127.0.0.1:0"]) { process in
                _ = try await ServeHarness.waitForPortFile(layout)
                process.signal(SIGTERM)
                return ContinuousClock.now
            }
            #expect(result.reason == .exit && result.status == 0, "\(result.stderr)")
            for path in left {
                #expect(!FileManager.default.fileExists(atPath: path), "\(path) is still there")
            }
        }
    }
}
