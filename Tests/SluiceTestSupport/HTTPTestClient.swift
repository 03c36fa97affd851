import Foundation
import SluiceKit
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Plain HTTP requests to a server on 127.0.0.1, through URLSession (never blocking a thread).
package struct HTTPTestClient {
    package struct Reply {
        package var status: Int
        package var body: Data
        package var text: String { String(decoding: body, as: UTF8.self) }

        /// The body as a JSON object.
        package func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw ShellError(message: "not a JSON object: \(text)")
            }
            return object
        }
    }

    package let port: Int
    private let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 30
        return URLSession(configuration: configuration)
    }()

    package init(port: Int) {
        self.port = port
    }

    package func get(_ path: String, headers: [String: String] = [:]) async throws -> Reply {
        try await send("GET", path, body: nil, headers: headers)
    }

    package func post(_ path: String, body: Data = Data(), headers: [String: String] = [:]) async throws -> Reply {
        try await send("POST", path, body: body, headers: headers)
    }

    package func send(_ method: String, _ path: String, body: Data?, headers: [String: String]) async throws -> Reply {
        guard let url = URL(string: "http://127.0.0.1:\(port)\(path)") else { throw ShellError(message: "bad path \(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        // Not session.data(for:): it deadlocks on Linux when a test's task is cancelled (HTTPExchange).
        switch await HTTPExchange.send(request, session: session) {
        case .answered(let status, let body): return Reply(status: status, body: body)
        case .failed(let error): throw error
        case .timedOut, .cancelled: throw CancellationError()
        }
    }
}

/// Polls `condition` every 20 ms until it holds or `seconds` pass; returns whether it held.
package func eventually(within seconds: Double, _ condition: () throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try condition()
}
