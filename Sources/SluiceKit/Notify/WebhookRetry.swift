/// When the webhook is tried again, as a pure function of what the last attempt got.
///
/// A connection error or a 5xx answer may be passing, so it is retried after an exponential
/// backoff (0.5 s, 1 s, 2 s, ...); a 4xx answer says the request itself is wrong (bad URL,
/// refused signature), which no retry mends; a 2xx answer is a delivery.
public struct WebhookRetry: Sendable, Hashable {
    /// What one attempt got.
    public enum Attempt: Sendable, Hashable {
        /// The server answered with this HTTP status.
        case status(Int)
        /// No answer: the connection failed, broke, or the attempt ran out of time.
        case connectionError
    }

    /// What to do after an attempt.
    public enum Decision: Sendable, Hashable {
        /// The notification was delivered.
        case delivered
        /// Wait this long, then try again.
        case retry(after: Duration)
        /// Stop: the notification is not delivered.
        case giveUp
    }

    /// How many attempts may follow the first.
    public var retries: Int
    /// The wait before the first retry; each later wait doubles it.
    public var base: Duration = .milliseconds(500)

    /// Creates the policy.
    public init(retries: Int, base: Duration = .milliseconds(500)) {
        self.retries = retries
        self.base = base
    }

    /// The decision after attempt number `attempt` (1 for the first) got `result`, with
    /// `remaining` of the budget left: a retry whose wait would not leave time to try is no retry.
    public func decide(attempt: Int, result: Attempt, remaining: Duration) -> Decision {
        let retriable: Bool
        switch result {
        case .status(let code) where (200..<300).contains(code): return .delivered
        case .status(let code): retriable = code >= 500
        case .connectionError: retriable = true
        }
        guard retriable, attempt <= retries else { return .giveUp }
        let wait = backoff(after: attempt)
        return wait < remaining ? .retry(after: wait) : .giveUp
    }

    /// The wait after attempt number `attempt`: `base`, then twice as long each time.
    public func backoff(after attempt: Int) -> Duration {
        base * (1 << min(max(attempt - 1, 0), 16))
    }
}
