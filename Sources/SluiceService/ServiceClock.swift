import SluiceKit

/// The service's monotonic time, as offsets from the moment the service was created.
///
/// Wrapping the injected clock this way lets the loop, the schedule and the backoff work in plain
/// `Duration`s whatever the clock's instant type, and lets tests drive time with a manual clock.
public struct ServiceClock: Sendable {
    private let offset: @Sendable () -> Duration
    private let sleeper: @Sendable (Duration) async throws -> Void

    /// Wraps `clock`; offset zero is now.
    public init<C: Clock>(_ clock: C) where C.Duration == Duration {
        let start = clock.now
        offset = { start.duration(to: clock.now) }
        sleeper = { try await clock.sleep(until: start.advanced(by: $0), tolerance: nil) }
    }

    /// Wraps a clock given as an existential.
    public init(any clock: any Clock<Duration>) {
        self.init(clock)
    }

    /// Time since the service was created.
    public var now: Duration { offset() }

    /// Sleeps until the offset `deadline`.
    ///
    /// - Throws: `CancellationError` when the task is cancelled first.
    public func sleep(until deadline: Duration) async throws {
        try await sleeper(deadline)
    }

    /// Sleeps for `duration`.
    ///
    /// - Throws: `CancellationError` when the task is cancelled first.
    public func sleep(for duration: Duration) async throws {
        try await sleeper(now + duration)
    }
}
