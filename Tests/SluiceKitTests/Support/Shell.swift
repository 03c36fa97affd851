import Foundation
import Testing

/// Runs real programs for tests: git to build fixtures, and the `sluice` binary end to end.
enum Shell {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `executable` with `arguments`; output goes through files so large output cannot block.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
        process.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("sh-\(UUID().uuidString).out")
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("sh-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        let outHandle = try FileHandle(forWritingTo: out)
        let errHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return Result(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// Runs git and requires success; returns trimmed standard output.
    @discardableResult
    static func git(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> String {
        let identity = ["GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
                        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.invalid"]
        let result = try run("git", arguments, in: directory, environment: identity.merging(environment) { $1 })
        guard result.status == 0 else {
            throw ShellError(message: "git \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)")
        }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The built `sluice` executable, next to the test bundle.
    static var sluiceBinary: String {
        if let path = ProcessInfo.processInfo.environment["SLUICE_BINARY"] { return path }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("sluice").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return ".build/debug/sluice"
    }

    /// Runs the real `sluice` binary.
    static func sluice(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> Result {
        try run(sluiceBinary, arguments, in: directory, environment: environment)
    }
}

struct ShellError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
