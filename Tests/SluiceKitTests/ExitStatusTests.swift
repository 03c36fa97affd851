import Foundation
import Testing

/// Exit statuses of the real binary where the work could not be done at all.
@Suite struct ExitStatusTests {
    @Test func checkOnAMissingRootExitsTwoAndSaysWhy() throws {
        let missing = FileManager.default.temporaryDirectory.path + "/sluice-missing-\(UUID().uuidString)"
        let result = try Shell.sluice(["check", "--root", missing])
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains(missing))
        #expect(!result.stdout.contains("ok:"))
    }
}
