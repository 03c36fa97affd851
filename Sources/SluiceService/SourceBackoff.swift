import SluiceKit

/// Which sources scheduled passes leave out after they failed, and until when: a pure state machine.
///
/// After `n` consecutive failed listings a source waits `min(interval × 2^(n−1), cap)` from the
/// end of the pass that failed. With `n = 1` that is exactly the next scheduled pass, so one
/// failure changes nothing; two skip one pass, three skip about three, and so on up to the cap.
/// A success forgets the source. Times are offsets on the service's monotonic clock, so the
/// machine is tested without a clock and without sleeping.
public struct SourceBackoff: Sendable, Hashable {
    /// One failing source.
    public struct Entry: Sendable, Hashable {
        /// Consecutive failed listings.
        public var failures: Int
        /// When scheduled passes list it again.
        public var retryAt: Duration
        /// The last failure's reason.
        public var reason: String
    }

    /// The scheduled interval: the first step of the backoff.
    public let interval: Duration
    /// The longest wait.
    public let cap: Duration
    /// Early tolerance when deciding whether a source is due: the interval's jitter, so that a
    /// pass started a little early by jitter still counts as the one a source waits for.
    public let slack: Duration
    /// The failing sources.
    public private(set) var entries: [String: Entry] = [:]

    /// Creates an empty machine.
    public init(interval: Duration, cap: Duration, slack: Duration = .zero) {
        self.interval = interval
        self.cap = max(cap, interval)
        self.slack = slack
    }

    /// `min(interval × 2^(failures−1), cap)`; zero for no failure.
    public static func delay(failures: Int, interval: Duration, cap: Duration) -> Duration {
        guard failures > 0 else { return .zero }
        // Past 2^30 the cap has long been reached; stopping there keeps the product finite.
        let factor = 1 << min(failures - 1, 30)
        let seconds = interval.seconds
        let capSeconds = cap.seconds
        return .seconds(min(seconds * Double(factor), capSeconds))
    }

    /// Records a failed listing at `now`.
    ///
    /// - Returns: how long scheduled passes now leave the source out.
    @discardableResult
    public mutating func failed(_ source: String, at now: Duration, reason: String) -> Duration {
        let failures = (entries[source]?.failures ?? 0) + 1
        let wait = Self.delay(failures: failures, interval: interval, cap: cap)
        entries[source] = Entry(failures: failures, retryAt: now + wait, reason: reason)
        return wait
    }

    /// Records a successful listing: the source is due again at every pass.
    public mutating func succeeded(_ source: String) {
        entries[source] = nil
    }

    /// Forgets sources that no workspace subscribes to any more.
    public mutating func keep(only sources: Set<String>) {
        entries = entries.filter { sources.contains($0.key) }
    }

    /// Whether a scheduled pass at `now` leaves `source` out.
    public func isWaiting(_ source: String, at now: Duration) -> Bool {
        guard let entry = entries[source] else { return false }
        return now + slack < entry.retryAt
    }

    /// The sources a scheduled pass at `now` leaves out.
    public func waiting(at now: Duration) -> Set<String> {
        Set(entries.keys.filter { isWaiting($0, at: now) })
    }

    /// How long until `source` is listed again by scheduled passes (zero when due).
    public func remaining(_ source: String, at now: Duration) -> Duration {
        guard let entry = entries[source], entry.retryAt > now else { return .zero }
        return entry.retryAt - now
    }
}
