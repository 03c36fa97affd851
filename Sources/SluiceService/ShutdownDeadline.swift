import Logging
import ServiceLifecycle

/// The HTTP listener with a deadline on its graceful shutdown (`--shutdown-timeout`).
///
/// On graceful shutdown the listener stops accepting and lets the requests in flight finish; a
/// client that holds a request open (a partial body) would keep it waiting until the idle
/// timeout. Once `deadline` has passed since the shutdown began, the listener's task is
/// cancelled: open connections and the requests still reading are dropped. A request that is
/// waiting for an apply is not cut short: the apply runs in the ``ApplyLane``'s task, which the
/// deadline does not cancel, so the request ends only once the apply has finished.
struct ShutdownDeadline: Service {
    let listener: any Service
    let deadline: Duration
    let logger: Logger

    private enum Ending: Sendable {
        case listener(Result<Void, any Error>)
        case deadline
        case cancelled
    }

    func run() async throws {
        let listener = self.listener
        let deadline = self.deadline
        let ending: Ending = await withTaskGroup(of: Ending.self) { group in
            group.addTask {
                do {
                    try await listener.run()
                    return .listener(.success(()))
                } catch {
                    return .listener(.failure(error))
                }
            }
            group.addTask {
                do {
                    try await gracefulShutdown()
                    try await Task.sleep(for: deadline)
                    return .deadline
                } catch {
                    return .cancelled
                }
            }
            let first = await group.next() ?? .cancelled
            if case .deadline = first {
                logger.warning("shutdown deadline passed; dropping open connections", metadata: ["serve.shutdown_timeout": "\(deadline)"])
            }
            group.cancelAll()
            // The listener's result, when the deadline ended first.
            var ending = first
            while let next = await group.next() {
                if case .listener = next { ending = next }
            }
            return ending
        }
        if case .listener(.failure(let error)) = ending, !(error is CancellationError) {
            throw error
        }
    }
}
