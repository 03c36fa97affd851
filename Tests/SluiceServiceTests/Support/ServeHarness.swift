import Foundation
import Logging
import ServiceLifecycle
@testable import SluiceKit
@testable import SluiceService
import SluiceTestSupport

/// Runs a real `SluiceServer` on 127.0.0.1 with a free port for the length of `body`, then
/// shuts it down gracefully, whatever `body` did.
enum ServeHarness {
    static let webhookSecret = "webhook-secret-for-tests"
    static let adminToken = "admin-token-for-tests"

    /// The defaults for tests: a free port, both secrets, no jitter, and an interval no test waits for.
    static func configuration(_ adjust: (inout ServeConfiguration) -> Void = { _ in }) -> ServeConfiguration {
        var configuration = ServeConfiguration()
        configuration.port = 0
        configuration.interval = .seconds(3600)
        configuration.jitter = 0
        configuration.webhookSecret = webhookSecret
        configuration.adminToken = adminToken
        adjust(&configuration)
        return configuration
    }

    /// The threads every served test runs on (see ``DedicatedExecutor``).
    static let executor = DedicatedExecutor(threads: 2, name: "serve-tests")

    static func run<T: Sendable>(
        _ fixture: RootFixture, configuration: ServeConfiguration = configuration(), clock: any Clock<Duration> = ContinuousClock(),
        _ body: @Sendable (HTTPTestClient, SluiceServer) async throws -> T
    ) async throws -> T {
        try await withTaskExecutorPreference(executor) {
            try await serve(fixture, configuration: configuration, clock: clock, body)
        }
    }

    private static func serve<T: Sendable>(
        _ fixture: RootFixture, configuration: ServeConfiguration, clock: any Clock<Duration>,
        _ body: @Sendable (HTTPTestClient, SluiceServer) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "serve-test")
        logger.logLevel = .critical
        let layout = try fixture.layout()
        try? FileManager.default.removeItem(atPath: layout.state + "/serve.port")
        let server = SluiceServer(layout: layout, git: fixture.git, logger: logger, configuration: configuration, clock: clock)
        let group = server.serviceGroup(signals: [])
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let outcome: Result<T, any Error>
            do {
                let port = try await waitForPortFile(layout)
                outcome = .success(try await body(HTTPTestClient(port: port), server))
            } catch {
                outcome = .failure(error)
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return try outcome.get()
        }
    }

    /// Reads `<state>/serve.port`, waiting up to 30 s for the listener to write it (the whole
    /// suite runs in parallel on two cores).
    static func waitForPortFile(_ layout: RootLayout) async throws -> Int {
        let path = layout.state + "/serve.port"
        var port: Int?
        _ = await eventually(within: 30) {
            port = (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            return port != nil
        }
        guard let port else { throw ShellError(message: "no \(path) after 30 s: the listener did not start") }
        return port
    }

    /// Waits until the service has finished `count` passes.
    static func waitForPasses(_ server: SluiceServer, _ count: Int, within seconds: Double = 30) async throws {
        guard await eventually(within: seconds, { server.service.state.passes >= count }) else {
            throw ShellError(message: "only \(server.service.state.passes) passes after \(seconds) s, expected \(count)")
        }
    }

    /// A signed Gitea delivery for `repositoryURL`.
    static func giteaDelivery(event: String, repositoryURL: String, ref: String, secret: String = webhookSecret) -> (body: Data, headers: [String: String]) {
        var payload: [String: Any] = ["ref": ref, "repository": ["clone_url": repositoryURL, "html_url": "https://forge.invalid/org/repo"]]
        if event == "create" { payload["ref_type"] = "tag" }
        let body = (try? JSONSerialization.data(withJSONObject: payload)) ?? Data()
        let signature = WebhookSignature(secret: secret).sign(body)
        return (body, ["X-Gitea-Event": event, "X-Gitea-Signature": signature, "Content-Type": "application/json"])
    }
}
