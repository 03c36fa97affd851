import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// TCP on 127.0.0.1 for test servers: ports the kernel picks, and a connect probe.
package enum Loopback {
    /// A TCP socket bound to 127.0.0.1 on a port the kernel picked; the caller owns `fd`.
    package static func bind() throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ShellError(message: "socket failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            close(fd)
            throw ShellError(message: "bind failed")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// A port that was free a moment ago (the socket that held it is closed).
    package static func freePort() throws -> Int {
        let (fd, port) = try bind()
        close(fd)
        return port
    }

    /// A connected TCP socket to 127.0.0.1:`port`; the caller owns it.
    package static func connect(_ port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ShellError(message: "socket failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else {
            close(fd)
            throw ShellError(message: "cannot connect to 127.0.0.1:\(port)")
        }
        return fd
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    package static func canConnect(_ port: Int) -> Bool {
        guard let fd = try? connect(port) else { return false }
        close(fd)
        return true
    }

    /// How reading a socket to its end went.
    package enum ReadEnd: Equatable, Sendable {
        /// The peer closed the connection after `received` bytes.
        case closed(received: Int)
        /// Nothing closed it within the time.
        case stillOpen(received: Int)
    }

    /// Reads `fd` until the peer closes it or `seconds` pass.
    package static func readUntilClosed(_ fd: Int32, within seconds: Int) -> ReadEnd {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received = 0
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count > 0 {
                received += count
            } else if count == 0 || errno == ECONNRESET {
                return .closed(received: received)
            } else {
                return .stillOpen(received: received)
            }
        }
    }
}
