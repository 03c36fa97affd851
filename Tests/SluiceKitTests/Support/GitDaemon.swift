import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real `git daemon` on 127.0.0.1 serving a folder over git://, on a port it picks.
///
/// It runs under `timeout`, so it stops by itself even if a test crashes before `stop()`.
/// It is spawned with an empty signal mask: the test process blocks SIGTERM in its threads and
/// a child started the usual way would inherit that and ignore `stop()`.
final class GitDaemon: @unchecked Sendable {
    let port: Int
    let base: String
    private var pid: pid_t = 0

    init(base: String, lifetime: Int = 300) throws {
        self.base = base
        port = try Loopback.freePort()
        let daemon = try Shell.git(["--exec-path"]) + "/git-daemon"
        pid = try Self.spawn("/usr/bin/timeout", ["timeout", "--kill-after=5", String(lifetime), daemon, "--reuseaddr", "--export-all",
                                                  "--base-path=\(base)", "--listen=127.0.0.1", "--port=\(port)", base])
        try waitUntilListening()
    }

    /// The git:// URL of a repository under the base folder.
    func url(_ relative: String) -> String { "git://127.0.0.1:\(port)/\(relative)" }

    /// Stops the daemon and waits for it.
    func stop() {
        guard pid > 0 else { return }
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        pid = 0
        for _ in 0..<100 where Loopback.canConnect(port) { usleep(20_000) }
    }

    deinit { stop() }

    private func waitUntilListening() throws {
        for _ in 0..<200 {
            if Loopback.canConnect(port) { return }
            usleep(25_000)
        }
        stop()
        throw ShellError(message: "git daemon did not start listening on 127.0.0.1:\(port)")
    }

    private static func spawn(_ path: String, _ arguments: [String]) throws -> pid_t {
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
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, &argv, environ)
        guard result == 0 else { throw ShellError(message: "cannot start \(path): \(String(cString: strerror(result)))") }
        return pid
    }
}
