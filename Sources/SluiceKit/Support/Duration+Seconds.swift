/// Durations as floating-point seconds, for reports, logs and metrics.
extension Duration {
    /// The duration in seconds, as a floating-point number.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

extension ContinuousClock.Instant {
    /// Seconds from this instant to now.
    public var secondsElapsed: Double {
        (ContinuousClock.now - self).seconds
    }
}
