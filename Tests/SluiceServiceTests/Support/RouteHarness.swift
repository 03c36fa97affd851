import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
@testable import SluiceKit
@testable import SluiceService
import SluiceTestSupport

/// The service's routes in process (HummingbirdTesting's `.router`: no socket, no loops), over a
/// real root with real git. Only the apply lane runs (admin applies, rejections and installs go
/// through it); the loops never do: a test that needs a pass reconciles the fixture itself.
enum RouteHarness {
    static func run(
        _ fixture: RootFixture, configuration: ServeConfiguration = ServeHarness.configuration(),
        _ body: @Sendable (RouteClient, SluiceService) async throws -> Void
    ) async throws {
        var logger = Logger(label: "route-test")
        logger.logLevel = .critical
        let service = SluiceService(layout: try fixture.layout(), git: fixture.git, logger: logger, configuration: configuration)
        let application = Application(router: ServiceRoutes(service: service).router())
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.lane.run() }
            let outcome: Result<Void, any Error>
            do {
                try await application.test(.router) { client in
                    try await body(RouteClient(client: client), service)
                }
                outcome = .success(())
            } catch {
                outcome = .failure(error)
            }
            service.lane.finish()
            try await group.waitForAll()
            try outcome.get()
        }
    }
}

/// A request and its answer through the router.
struct RouteClient: Sendable {
    let client: any TestClientProtocol

    struct Reply: Sendable {
        var status: Int
        var headers: HTTPFields
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }

        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw ShellError(message: "not a JSON object: \(text)")
            }
            return object
        }

        /// The `status` field of the JSON body.
        var answer: String? { (try? json())?["status"] as? String }
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, body: Data? = nil, headers: [String: String] = [:]) async throws -> Reply {
        var fields = HTTPFields()
        for (name, value) in headers {
            guard let field = HTTPFields.Element.Name(name) else { throw ShellError(message: "bad header name \(name)") }
            fields[field] = value
        }
        return try await client.execute(uri: uri, method: method, headers: fields, body: body.map { ByteBuffer(bytes: $0) }) { response in
            Reply(status: Int(response.status.code), headers: response.headers, body: Data(response.body.readableBytesView))
        }
    }

    func get(_ uri: String, headers: [String: String] = [:]) async throws -> Reply {
        try await send(.get, uri, headers: headers)
    }

    func post(_ uri: String, body: Data? = nil, headers: [String: String] = [:]) async throws -> Reply {
        try await send(.post, uri, body: body, headers: headers)
    }
}
