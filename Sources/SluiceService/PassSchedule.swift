import SluiceKit

/// When the service's loop passes, and over what: a pure state machine.
///
/// A full pass runs at start, then `interval` (± jitter) after the end of the previous full
/// pass. Webhook requests name sources; the first runs a scoped pass at once, and requests that
/// arrive within `debounce` of the last scoped pass's start are merged into one pass that starts
/// when that period ends (leading-edge debounce: a lone tag is seen in well under a second, a
/// burst of pushes costs one pass per period). A due full pass takes the requested sources with
/// it. Times are offsets on the service's monotonic clock.
public struct PassSchedule: Sendable, Hashable {
    /// What the loop does next.
    public enum Action: Sendable, Hashable {
        /// Every subscription, except sources in backoff that no webhook asked for.
        case full(requested: Set<String>)
        /// Only the subscriptions of these sources.
        case scoped(Set<String>)
    }

    /// The scheduled interval.
    public let interval: Duration
    /// The fraction of the interval added or taken at random.
    public let jitter: Double
    /// The shortest time between the starts of two webhook passes.
    public let debounce: Duration
    /// When the next full pass is due.
    public private(set) var nextFull: Duration = .zero
    /// Sources asked for by webhooks and not passed over yet.
    public private(set) var requested: Set<String> = []
    /// When the last scoped pass started.
    public private(set) var lastScoped: Duration?

    /// Creates a schedule whose first full pass is due at once.
    public init(interval: Duration, jitter: Double, debounce: Duration) {
        self.interval = interval
        self.jitter = min(max(jitter, 0), 0.5)
        self.debounce = debounce
    }

    /// Records a webhook's sources.
    public mutating func request(_ sources: Set<String>) {
        requested.formUnion(sources)
    }

    /// When requested sources may be passed over.
    var scopedDue: Duration? {
        guard !requested.isEmpty else { return nil }
        return lastScoped.map { $0 + debounce } ?? .zero
    }

    /// When the loop must look again if nothing arrives before.
    public var wake: Duration {
        scopedDue.map { min($0, nextFull) } ?? nextFull
    }

    /// Takes what is due at `now`, or nil when nothing is.
    public mutating func take(at now: Duration) -> Action? {
        if now >= nextFull {
            let sources = requested
            requested = []
            return .full(requested: sources)
        }
        if let due = scopedDue, now >= due {
            let sources = requested
            requested = []
            lastScoped = now
            return .scoped(sources)
        }
        return nil
    }

    /// Records the end of a full pass at `now` and schedules the next one.
    ///
    /// - Parameters:
    ///   - random: A number in `0...1` that picks the jitter (0.5 for none).
    ///   - soakEndsIn: How long until the first target soaking for `min-age` becomes eligible;
    ///     the next full pass is due then when that comes before the interval.
    public mutating func fullPassEnded(at now: Duration, random: Double, soakEndsIn: Duration? = nil) {
        let factor = 1 + jitter * (2 * min(max(random, 0), 1) - 1)
        nextFull = now + interval * factor
        if let soakEndsIn { nextFull = min(nextFull, now + soakEndsIn) }
    }
}
