import ServiceLifecycle
import SluiceKit

/// One apply at a time in this process, run by the lane's own task: the approval watcher, the
/// admin API's `apply`, `reject` and install take turns.
///
/// Applies from other processes are still safe (claims are renames, work runs under workspace
/// locks); taking turns here makes the admin API's answer the outcome of its own run. Work runs
/// in the lane's task, not in the caller's, so an HTTP request dropped at the shutdown deadline
/// (its task cancelled) never cancels an apply halfway: the apply finishes, and only then does
/// the request end. The lane is a `Service` started before the loops and the listener, so it
/// stops after them: on graceful shutdown it finishes what was submitted and then returns.
final class ApplyLane: Service, Sendable {
    private struct Job: Sendable {
        let body: @Sendable () async -> Void
    }

    private let jobs: AsyncStream<Job>
    private let continuation: AsyncStream<Job>.Continuation

    init() {
        (jobs, continuation) = AsyncStream.makeStream(of: Job.self)
    }

    /// Runs submitted work, one job at a time, until graceful shutdown (or ``finish()``), then
    /// the jobs submitted before it.
    func run() async throws {
        let continuation = self.continuation
        await withGracefulShutdownHandler {
            for await job in jobs {
                await job.body()
            }
        } onGracefulShutdown: {
            continuation.finish()
        }
    }

    /// Stops taking work; ``run()`` returns once the jobs already submitted are done.
    func finish() {
        continuation.finish()
    }

    /// Runs `body` in the lane once every earlier job has finished, and returns its result.
    ///
    /// The caller waits for `body` even when the caller's task is cancelled meanwhile.
    /// - Throws: what `body` throws, or ``ServiceError/shuttingDown`` when the lane no longer
    ///   takes work.
    func perform<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (result: CheckedContinuation<T, any Error>) in
            let job = Job {
                do {
                    result.resume(returning: try await body())
                } catch {
                    result.resume(throwing: error)
                }
            }
            if case .terminated = continuation.yield(job) {
                result.resume(throwing: ServiceError.shuttingDown)
            }
        }
    }
}
