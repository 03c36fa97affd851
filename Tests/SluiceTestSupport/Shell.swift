import Foundation
import SluiceKit

/// Runs real programs for tests: git to build fixtures, the `sluice` binary end to end, and
/// long-running children (`sluice serve`, `git daemon`), all through the library's
/// ``ProcessRunner``, so no test blocks a cooperative thread waiting for a process.
package enum Shell {
    /// How a program ended and what it printed.
    package struct Result: Sendable {
        /// How it ended.
        package enum Reason: Sendable, Hashable {
            case exit
            case uncaughtSignal
        }

        package var reason: Reason
        /// The exit status, or the signal's number when a signal ended it.
        package var status: Int32
        package var stdout: String
        package var stderr: String

        package init(_ output: ProcessRunner.Output) {
            switch output.status {
            case .exited(let code): (reason, status) = (.exit, code)
            case .signaled(let signal): (reason, status) = (.uncaughtSignal, signal)
            }
            stdout = output.standardOutput
            stderr = output.standardError
        }
    }

    /// How long a program a test waits for may run before it is stopped.
    package static let timeout: Duration = .seconds(300)

    /// The runner for `executable` (a path, or a name looked up in `PATH`).
    package static func runner(_ executable: String, _ arguments: [String], in directory: String? = nil, environment: [String: String?] = [:],
                       timeout: Duration = timeout) -> ProcessRunner {
        ProcessRunner(executable.hasPrefix("/") ? .path(executable) : .name(executable), arguments, environment: environment,
                      directory: directory, timeout: timeout, output: .text(limit: 64 * 1024 * 1024), errorLimit: 16 * 1024 * 1024)
    }

    /// Runs `executable` with `arguments` to its end.
    @discardableResult
    package static func run(_ executable: String, _ arguments: [String], in directory: String? = nil, environment: [String: String?] = [:]) async throws -> Result {
        Result(try await runner(executable, arguments, in: directory, environment: environment).run())
    }

    /// Runs git and requires success; returns trimmed standard output.
    @discardableResult
    package static func git(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) async throws -> String {
        var variables: [String: String?] = ["GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
                                            "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.invalid"]
        for (key, value) in environment { variables[key] = value }
        let result = try await run("git", arguments, in: directory, environment: variables)
        guard result.reason == .exit, result.status == 0 else {
            throw ShellError(message: "git \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)")
        }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The built `sluice` executable, next to the test bundle.
    package static var sluiceBinary: String {
        if let path = ProcessInfo.processInfo.environment["SLUICE_BINARY"] { return path }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("sluice").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath + "/.build/debug/sluice"
    }

    /// Runs the real `sluice` binary to its end; a failpoint is set only when `environment` names one.
    @discardableResult
    package static func sluice(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) async throws -> Result {
        var variables: [String: String?] = ["SLUICE_FAILPOINT": nil]
        for (key, value) in environment { variables[key] = value }
        return try await run(sluiceBinary, arguments, in: directory, environment: variables)
    }

    /// Starts `executable` under `timeout(1)` (so it stops by itself after `lifetime` seconds
    /// even if the test process dies), runs `body` while it runs, then waits for it to end.
    ///
    /// `body` reads what the child printed so far and signals it; a signal reaches the child
    /// through `timeout`, which then exits with the child's status, or kills the child 30 s
    /// later (a loaded 2-core run can take several seconds to finish a pass after SIGTERM).
    package static func withRunning<T: Sendable>(
        _ executable: String, _ arguments: [String], lifetime: Int = 120, environment: [String: String?] = [:],
        _ body: @Sendable (RunningProcess) async throws -> T
    ) async throws -> (value: T, result: Result) {
        let wrapped = ["--foreground", "--kill-after=30", String(lifetime), executable] + arguments
        let runner = runner("/usr/bin/timeout", wrapped, environment: environment, timeout: .seconds(lifetime + 10))
        let (value, output) = try await runner.withRunning(body)
        return (value, Result(output))
    }
}

package struct ShellError: Error, CustomStringConvertible {
    package var message: String
    package var description: String { message }

    package init(message: String) {
        self.message = message
    }
}
