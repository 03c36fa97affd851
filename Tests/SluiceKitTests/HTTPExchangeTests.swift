import Foundation
import SluiceTestSupport
import Testing
@testable import SluiceKit

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `HTTPExchange`: bounded, cancellable requests that survive the cancel-meets-failure race of
/// `URLSession.data(for:)` on Linux (swift-corelibs-foundation#5412), which deadlocked the test
/// process or trapped in its registry once the webhook sender cancelled requests.
///
/// Serialized, and each test on its own session: the stress test keeps a session's work queue
/// busy with 2,000 failing requests, which would delay the timing of the others.
@Suite(.serialized) struct HTTPExchangeTests {
    /// A session whose own timeout (60 s) is far beyond every limit the tests set.
    static func session() -> URLSession {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 60
        return URLSession(configuration: configuration)
    }

    /// The race of the upstream report: many requests whose connections are being refused,
    /// cancelled a moment after they start. With `data(for:)` this hangs or traps within a few
    /// rounds on this toolchain; every request must end, as cancelled or failed.
    @Test(.timeLimit(.minutes(1)))
    func cancellingRequestsWhileTheirConnectionsFailNeitherHangsNorTraps() async throws {
        let port = try Loopback.freePort()
        let request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(port)/")))
        let session = Self.session()
        for round in 0..<20 {
            let outcomes = await withTaskGroup(of: HTTPExchange.Outcome.self, returning: [HTTPExchange.Outcome].self) { group in
                for index in 0..<100 {
                    // Half of them also race their own time limit against the refusal.
                    let limit: Duration? = index.isMultiple(of: 2) ? .microseconds(50 * (round + 1)) : nil
                    group.addTask { await HTTPExchange.send(request, session: session, within: limit) }
                }
                try? await Task.sleep(for: .microseconds(100))
                group.cancelAll()
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.count == 100)
            for outcome in outcomes {
                switch outcome {
                case .answered: Issue.record("nothing listens on \(port), yet a request was answered")
                case .failed(let error): #expect(error.code == .cannotConnectToHost, "\(error)")
                case .timedOut, .cancelled: break
                }
            }
        }
    }

    @Test func aRefusedConnectionFails() async throws {
        let port = try Loopback.freePort()
        let request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(port)/")))
        let outcome = await HTTPExchange.send(request, session: Self.session(), within: .seconds(10))
        guard case .failed(let error) = outcome else {
            Issue.record("expected a failed connection, got \(outcome)")
            return
        }
        #expect(error.code == .cannotConnectToHost)
    }

    /// A server that accepts and never answers costs the limit, not URLSession's own timeout
    /// (60 s here); the bound leaves room for a loaded machine.
    @Test(.timeLimit(.minutes(1)))
    func aSilentServerTimesOutAtTheLimit() async throws {
        let listener = try SilentListener()
        let request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(listener.port)/")))
        let clock = ContinuousClock()
        let start = clock.now
        #expect(await HTTPExchange.send(request, session: Self.session(), within: .milliseconds(300)) == .timedOut)
        let elapsed = clock.now - start
        #expect(elapsed >= .milliseconds(300) && elapsed < .seconds(20), "\(elapsed)")
    }

    /// Cancelling the waiting task ends the wait at once, though the server never answers.
    @Test(.timeLimit(.minutes(1)))
    func cancellingTheCallerEndsTheWait() async throws {
        let listener = try SilentListener()
        let request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(listener.port)/")))
        let outcome = await withTaskGroup(of: HTTPExchange.Outcome.self) { group in
            group.addTask { await HTTPExchange.send(request, session: Self.session()) }
            try? await Task.sleep(for: .milliseconds(100))
            group.cancelAll()
            return await group.next()
        }
        #expect(outcome == .cancelled)
    }
}
