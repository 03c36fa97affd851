import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import SluiceKit
import UnixSignals

/// `sluice serve` assembled: the ``SluiceService`` and its HTTP listener in one `ServiceGroup`.
public struct SluiceServer: Sendable {
    /// The passes, approvals and state.
    public let service: SluiceService
    /// Called once with ``ServeConfiguration/startLine(port:root:)`` when the listener is up.
    let announce: @Sendable (String) -> Void

    /// Creates the server.
    ///
    /// - Parameters:
    ///   - layout: The root.
    ///   - git: The git choke point.
    ///   - logger: Where events go.
    ///   - configuration: Listener, interval, secrets.
    ///   - clock: The clock the loops sleep on.
    ///   - announce: Prints the start line (the executable writes it to standard error, whatever the log level).
    public init(layout: RootLayout, git: Git, logger: Logger, configuration: ServeConfiguration, clock: any Clock<Duration> = ContinuousClock(),
                announce: @escaping @Sendable (String) -> Void = { _ in }) {
        service = SluiceService(layout: layout, git: git, logger: logger, configuration: configuration, clock: clock)
        self.announce = announce
    }

    /// The group to run: the HTTP listener stops first on shutdown (no new connections; requests
    /// in flight finish, or are dropped after `shutdownTimeout`), then the loops, then the
    /// apply lane.
    ///
    /// - Parameter signals: The signals that start a graceful shutdown (none in tests, which
    ///   call `triggerGracefulShutdown()` instead).
    public func serviceGroup(signals: [UnixSignal] = [.sigterm, .sigint]) -> ServiceGroup {
        let service = self.service
        let configuration = service.configuration
        let portFile = service.layout.state + "/serve.port"
        // Writes of the port and status files cut short by a killed serve (found by the soak).
        AtomicFile.sweepTemporaries(in: service.layout.state, named: "serve.port")
        AtomicFile.sweepTemporaries(in: service.layout.state, named: ServeStatus.fileName)
        let announce = self.announce
        let limiter = ConnectionLimiter(limit: configuration.maxConnections, logger: service.logger)
        let application = Application(
            router: ServiceRoutes(service: service).router(),
            server: .http1(configuration: .init(
                additionalChannelHandlers: [limiter.handler()],
                idleTimeout: .nanoseconds(Int64(configuration.idleTimeout.components.seconds) * 1_000_000_000
                    + configuration.idleTimeout.components.attoseconds / 1_000_000_000))),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                service.state.setPort(port)
                do {
                    try FileManager.default.createDirectory(atPath: service.layout.state, withIntermediateDirectories: true)
                    try AtomicFile.write(Data("\(port)\n".utf8), to: portFile)
                } catch {
                    service.logger.warning("cannot write the port file", metadata: ["fs.error": "\(error)"])
                }
                service.logger.info("listening", metadata: ["http.address": "\(configuration.host)", "http.port": "\(port)"])
                announce(configuration.startLine(port: port, root: service.layout.root))
                service.writeStatus()
            },
            logger: service.logger
        )
        return ServiceGroup(configuration: ServiceGroupConfiguration(
            // Shut down in reverse: the listener (with its deadline), then the loops, then the
            // apply lane, which finishes the applies submitted to it.
            services: [
                ServiceGroupConfiguration.ServiceConfiguration(service: service.lane), .init(service: service),
                .init(service: ShutdownDeadline(listener: application, deadline: configuration.shutdownTimeout, logger: service.logger)),
            ],
            gracefulShutdownSignals: signals,
            logger: service.logger))
    }

    /// Runs until SIGTERM or SIGINT.
    ///
    /// - Throws: ``ServiceError/listenerFailed(address:reason:)`` when the address cannot be
    ///   bound, or whatever a service throws.
    public func run() async throws {
        do {
            try await serviceGroup().run()
        } catch {
            if service.state.port == nil {
                throw ServiceError.listenerFailed(address: service.configuration.listen, reason: "\(error)")
            }
            throw error
        }
        try? FileManager.default.removeItem(atPath: service.layout.state + "/serve.port")
    }
}
