import Foundation
import Synchronization
import SluiceTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for webhook tests: it takes connections one at a time,
/// reads one request from each, answers it with the next scripted status and records it.
///
/// The socket is non-blocking and polled from an async loop, so no thread of the cooperative
/// pool waits on it; ``serve(answers:count:limit:)`` ends by itself after `count` requests,
/// ``stop()`` or `limit`, whichever comes first.
final class WebhookListener: @unchecked Sendable {
    /// One request as received.
    struct Request: Sendable {
        var method: String
        var path: String
        /// Header names lowercased.
        var headers: [String: String]
        var body: Data

        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw ShellError(message: "not a JSON object: \(String(decoding: body, as: UTF8.self))")
            }
            return object
        }
    }

    let port: Int
    private let fd: Int32
    private let stopped = Atomic<Bool>(false)

    init() throws {
        let (fd, port) = try Loopback.bind()
        guard listen(fd, 16) == 0, fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0 else {
            close(fd)
            throw ShellError(message: "listen failed")
        }
        self.fd = fd
        self.port = port
    }

    deinit { close(fd) }

    /// The URL a webhook is configured with.
    var url: String { "http://127.0.0.1:\(port)/hook" }

    /// Ends ``serve(answers:count:limit:)`` once the request it is answering, if any, is done.
    func stop() {
        stopped.store(true, ordering: .sequentiallyConsistent)
    }

    /// Whether a client has connected since the last request was served (and nobody answered it).
    var hasWaitingConnection: Bool {
        let client = accept(fd, nil, nil)
        guard client >= 0 else { return false }
        close(client)
        return true
    }

    /// Answers requests with `answers` in turn (the last one repeats) until `count` were
    /// answered, ``stop()`` was called or `limit` passed.
    func serve(answers: [Int], count: Int = .max, limit: Duration = .seconds(120)) async throws -> [Request] {
        let deadline = ContinuousClock.now + limit
        var requests: [Request] = []
        while requests.count < count, ContinuousClock.now < deadline, !stopped.load(ordering: .sequentiallyConsistent) {
            let client = accept(fd, nil, nil)
            if client < 0 {
                try await Task.sleep(for: .milliseconds(5))
                continue
            }
            defer { close(client) }
            _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) | O_NONBLOCK)
            guard let request = try await read(client, until: deadline) else { continue }
            let status = answers[min(requests.count, answers.count - 1)]
            write(client, "HTTP/1.1 \(status) Scripted\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
            requests.append(request)
        }
        return requests
    }

    /// Reads one request: the head, then `Content-Length` bytes of body.
    private func read(_ client: Int32, until deadline: ContinuousClock.Instant) async throws -> Request? {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var head: (method: String, path: String, headers: [String: String], bodyStart: Int)?
        var continued = false
        while ContinuousClock.now < deadline {
            let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if count == 0 { return nil }
            if count < 0 {
                guard errno == EAGAIN || errno == EWOULDBLOCK else { return nil }
                try await Task.sleep(for: .milliseconds(2))
                continue
            }
            bytes += buffer[0..<count]
            if head == nil, let end = Self.headEnd(bytes) {
                head = Self.parseHead(Array(bytes[0..<end]), bodyStart: end + 4)
            }
            guard let parsed = head else { continue }
            if !continued, parsed.headers["expect"]?.lowercased() == "100-continue" {
                write(client, "HTTP/1.1 100 Continue\r\n\r\n")
                continued = true
            }
            let length = Int(parsed.headers["content-length"] ?? "0") ?? 0
            if bytes.count - parsed.bodyStart >= length {
                let body = Data(bytes[parsed.bodyStart..<(parsed.bodyStart + length)])
                return Request(method: parsed.method, path: parsed.path, headers: parsed.headers, body: body)
            }
        }
        return nil
    }

    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }

    private static func parseHead(_ bytes: [UInt8], bodyStart: Int) -> (method: String, path: String, headers: [String: String], bodyStart: Int) {
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines.first?.split(separator: " ") ?? []
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (requestLine.first.map(String.init) ?? "", requestLine.dropFirst().first.map(String.init) ?? "", headers, bodyStart)
    }

    private func write(_ client: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}
