import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A program started in the background with an empty signal mask and default signal actions,
/// as systemd starts a service, so that a test can send it SIGTERM and read how it exited.
///
/// Output goes to files in `folder`; the process runs under `timeout` so that it stops by
/// itself even when a test fails before `terminate()`.
final class SpawnedProcess: @unchecked Sendable {
    let pid: pid_t
    let stdoutPath: String
    let stderrPath: String
    private var status: Int32?

    init(_ executable: String, _ arguments: [String], outputIn folder: String, lifetime: Int = 120, environment: [String: String] = [:]) throws {
        stdoutPath = folder + "/spawned.out"
        stderrPath = folder + "/spawned.err"
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // `timeout --foreground` passes our SIGTERM on to the program and exits with its status.
        let argv = ["timeout", "--foreground", "--kill-after=5", String(lifetime), executable] + arguments
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        var cEnvironment: [UnsafeMutablePointer<CChar>?] = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in cEnvironment { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, "/usr/bin/timeout", &actions, &attributes, &cArguments, &cEnvironment)
        guard result == 0 else { throw ShellError(message: "cannot start \(executable): \(String(cString: strerror(result)))") }
        self.pid = pid
    }

    /// Sends SIGTERM.
    func terminate() {
        kill(pid, SIGTERM)
    }

    /// Waits up to `seconds` for the exit; returns the exit status, or nil when still running.
    func wait(seconds: Double) async -> Int32? {
        if let status { return status }
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            var raw: Int32 = 0
            if waitpid(pid, &raw, WNOHANG) == pid {
                // WIFEXITED / WEXITSTATUS, spelled out: the macros are not imported into Swift.
                let exited = raw & 0x7f == 0
                status = exited ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
                return status
            }
            try? await Task.sleep(for: .milliseconds(20))
        } while Date() < deadline
        var raw: Int32 = 0
        if waitpid(pid, &raw, WNOHANG) == pid {
            status = raw & 0x7f == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
        }
        return status
    }

    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    deinit {
        if status == nil {
            kill(pid, SIGKILL)
            var raw: Int32 = 0
            waitpid(pid, &raw, 0)
        }
    }
}
