import Foundation
import SluiceKit

/// A real `git daemon` on 127.0.0.1 serving a folder over git://, on a port it picks, for the
/// length of a test's body.
package struct GitDaemon: Sendable {
    package let port: Int
    package let base: String
    private let process: RunningProcess

    /// The git:// URL of a repository under the base folder.
    package func url(_ relative: String) -> String { "git://127.0.0.1:\(port)/\(relative)" }

    /// Stops the daemon and waits until its port no longer accepts connections.
    package func stop() async {
        process.signal(SIGTERM)
        for _ in 0..<100 where Loopback.canConnect(port) { try? await Task.sleep(for: .milliseconds(20)) }
    }

    /// Serves `base` while `body` runs; the daemon is stopped afterwards (or earlier by `stop()`).
    package static func serving<T: Sendable>(_ base: String, lifetime: Int = 300, _ body: @Sendable (GitDaemon) async throws -> T) async throws -> T {
        let port = try Loopback.freePort()
        let daemon = try await Shell.git(["--exec-path"]) + "/git-daemon"
        let arguments = ["--reuseaddr", "--export-all", "--base-path=\(base)", "--listen=127.0.0.1", "--port=\(port)", base]
        return try await Shell.withRunning(daemon, arguments, lifetime: lifetime) { process in
            let served = GitDaemon(port: port, base: base, process: process)
            var listening = false
            for _ in 0..<200 {
                listening = Loopback.canConnect(port)
                if listening { break }
                try await Task.sleep(for: .milliseconds(25))
            }
            guard listening else {
                await served.stop()
                throw ShellError(message: "git daemon did not start listening on 127.0.0.1:\(port)")
            }
            let value = try await body(served)
            await served.stop()
            return value
        }.value
    }
}
