import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A TCP socket on 127.0.0.1 that listens and never answers: connections queue in its backlog,
/// so a git:// client waits on it until killed, and nothing else can bind its port.
package final class SilentListener: @unchecked Sendable {
    package let port: Int
    private let fd: Int32

    package init() throws {
        let (fd, port) = try Loopback.bind()
        guard listen(fd, 64) == 0 else {
            close(fd)
            throw ShellError(message: "listen failed")
        }
        self.fd = fd
        self.port = port
    }

    deinit { close(fd) }
}
