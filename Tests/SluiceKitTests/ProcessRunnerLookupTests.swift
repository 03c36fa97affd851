import Foundation
import SluiceTestSupport
import Testing
@testable import SluiceKit

/// A program given by name is found in `PATH` before it is started, so that no child is
/// spawned per folder that does not have it.
@Suite struct ProcessRunnerLookupTests {
    /// A folder with `tool` as given: `executable` sets its mode bits.
    private func folder(_ root: String, _ name: String, tool: String? = nil, executable: Bool = true) throws -> String {
        let path = root + "/" + name
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        if let tool {
            try "#!/bin/sh\necho \(tool)\n".write(toFile: path + "/tool", atomically: false, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: executable ? 0o755 : 0o644], ofItemAtPath: path + "/tool")
        }
        return path
    }

    @Test func aNameIsStartedByThePathOfTheFirstExecutableFileInPath() async throws {
        try await withTemporaryFolder { root in
            let empty = try folder(root, "empty")
            let plain = try folder(root, "plain", tool: "not executable", executable: false)
            try FileManager.default.createDirectory(atPath: root + "/folder/tool", withIntermediateDirectories: true)
            let found = try folder(root, "found", tool: "found")
            let later = try folder(root, "later", tool: "later")
            let search = [empty, plain, root + "/folder", found + "/", later].joined(separator: ":")
            let runner = ProcessRunner(.name("tool"), [], environment: ["PATH": search], timeout: .seconds(10))
            #expect(runner.resolvedExecutable == .path(found + "/tool"))
            let output = try await runner.run()
            #expect(output.standardOutput == "found\n")
        }
    }

    @Test func aSearchThatCannotBeDoneExactlyIsLeftToSubprocess() async throws {
        try await withTemporaryFolder { root in
            let found = try folder(root, "found", tool: "found")
            #expect(ProcessRunner.locate("tool", searchPath: "relative:" + found) == nil)
            #expect(ProcessRunner.locate("tool", searchPath: ":" + found) == nil)
            #expect(ProcessRunner.locate("tool", searchPath: "") == nil)
            #expect(ProcessRunner.locate("tool", searchPath: nil) == nil)
            #expect(ProcessRunner.locate("found/tool", searchPath: root) == nil)
            #expect(ProcessRunner.locate("missing", searchPath: found) == nil)
            #expect(ProcessRunner(.name("tool"), [], environment: ["PATH": nil], timeout: .seconds(1)).resolvedExecutable == .name("tool"))
            #expect(ProcessRunner(.path("/bin/sh"), [], timeout: .seconds(1)).resolvedExecutable == .path("/bin/sh"))
        }
    }

    @Test func aMissingProgramIsStillReportedAsMissing() async throws {
        try await withTemporaryFolder { root in
            let empty = try folder(root, "empty")
            let runner = ProcessRunner(.name("no-such-tool"), [], environment: ["PATH": empty], timeout: .seconds(10))
            await #expect(throws: ProcessRunner.Failure.self) { try await runner.run() }
        }
    }
}
