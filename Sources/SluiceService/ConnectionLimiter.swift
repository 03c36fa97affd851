import Logging
import NIOCore
import Synchronization

/// A cap on the connections `serve` holds open at once (`--max-connections`).
///
/// Every accepted connection gets a ``Handler``, which counts it while it is open; a connection
/// beyond the cap is closed as soon as it is accepted, without reading anything, so a flood of
/// idle or slow clients costs one accept and one close each and never more than `limit` open
/// sockets. Hummingbird's own `MaximumAvailableConnections` stops accepting instead, which leaves
/// the extra clients waiting in the kernel's backlog with no answer; closing tells them at once.
final class ConnectionLimiter: Sendable {
    /// The most connections open at once.
    let limit: Int
    private let open = Atomic<Int>(0)
    private let refused = Atomic<Int>(0)
    private let logger: Logger

    init(limit: Int, logger: Logger) {
        self.limit = limit
        self.logger = logger
    }

    /// Connections open now.
    var current: Int { open.load(ordering: .relaxed) }

    /// Connections closed at once because the cap was reached, since start.
    var refusedCount: Int { refused.load(ordering: .relaxed) }

    /// The handler for one new connection.
    func handler() -> Handler {
        Handler(limiter: self)
    }

    /// Counts one connection from the moment it is set up until it is torn down, and closes it
    /// when it is one too many (dropping whatever it sent).
    final class Handler: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = NIOAny

        private let limiter: ConnectionLimiter
        private var counted = false
        private var refused = false

        init(limiter: ConnectionLimiter) {
            self.limiter = limiter
        }

        func handlerAdded(context: ChannelHandlerContext) {
            counted = true
            let open = limiter.open.add(1, ordering: .relaxed).newValue
            guard open > limiter.limit else { return }
            refused = true
            let count = limiter.refused.add(1, ordering: .relaxed).newValue
            if count == 1 || count.isMultiple(of: 100) {
                limiter.logger.warning("connection refused: too many open connections", metadata: [
                    "http.connections": "\(open - 1)", "http.max_connections": "\(limiter.limit)", "http.refused": "\(count)",
                ])
            }
            if context.channel.isActive { context.close(promise: nil) }
        }

        func channelActive(context: ChannelHandlerContext) {
            // Set up before the channel was registered: it is closed once it is active.
            if refused {
                context.close(promise: nil)
                return
            }
            context.fireChannelActive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            // A refused connection's bytes never reach the router.
            if refused { return }
            context.fireChannelRead(data)
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            guard counted else { return }
            counted = false
            limiter.open.subtract(1, ordering: .relaxed)
        }
    }
}
