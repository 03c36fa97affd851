import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP request through `URLSession`, bounded in time and safe to cancel.
///
/// `URLSession.data(for:)` cannot be used where a request may be cancelled: on Linux,
/// swift-corelibs-foundation cancels its task from inside the Swift task's cancellation handler,
/// under the task's status lock, while the connection's failure resumes the same task from
/// inside the session's work queue; the two lock orders cross, and the process deadlocks
/// (swiftlang/swift-corelibs-foundation#5412). Nor can `URLSessionTask.cancel()` be called on a
/// task that may be completing: its failure callback then looks the task up after the registry
/// dropped it, and the process traps ("Trying to access a behaviour for a task that in not in the
/// registry"). Both were seen in Sluice's test runs once webhooks had a time budget.
///
/// So the request runs as a completion-handler data task whose answer arrives through a stream,
/// and a caller that stops waiting (its limit passed, or it was cancelled) abandons the data
/// task instead of cancelling it: the task ends by itself at the session's own timeout
/// (`timeoutIntervalForRequest`, which callers set to about their limit), and its late answer
/// goes nowhere.
public enum HTTPExchange {
    /// How a request ended.
    public enum Outcome: Sendable, Equatable {
        /// The server answered with this status and body.
        case answered(status: Int, body: Data)
        /// The connection failed (refused, lost, no such host, TLS) before an answer.
        case failed(URLError)
        /// No answer within the limit; the data task is abandoned to the session's timeout.
        case timedOut
        /// The task waiting for the answer was cancelled; the data task is abandoned likewise.
        case cancelled
    }

    /// Sends `request` on `session` and waits for the answer, at most `limit` when one is given.
    ///
    /// Cancelling the calling task ends the wait at once with ``Outcome/cancelled``.
    public static func send(_ request: URLRequest, session: URLSession, within limit: Duration? = nil) async -> Outcome {
        let (answers, continuation) = AsyncStream.makeStream(of: Outcome.self, bufferingPolicy: .bufferingNewest(1))
        let task = session.dataTask(with: request) { data, response, error in
            continuation.yield(outcome(data: data, response: response, error: error))
            continuation.finish()
        }
        task.resume()
        let first = await withTaskGroup(of: Outcome?.self) { group in
            group.addTask {
                for await answer in answers { return answer }
                return nil
            }
            if let limit {
                group.addTask {
                    do {
                        try await Task.sleep(for: limit)
                        return .timedOut
                    } catch {
                        return nil
                    }
                }
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        return first ?? .cancelled
    }

    /// What a data task's completion handler was given, as an ``Outcome``.
    static func outcome(data: Data?, response: URLResponse?, error: (any Error)?) -> Outcome {
        if let error {
            if let urlError = error as? URLError {
                return urlError.code == .cancelled ? .cancelled : .failed(urlError)
            }
            return .failed(URLError(URLError.Code(rawValue: (error as NSError).code) ?? .unknown))
        }
        guard let http = response as? HTTPURLResponse else { return .failed(URLError(.badServerResponse)) }
        return .answered(status: http.statusCode, body: data ?? Data())
    }
}
