import Foundation

/// ISO 8601 timestamps in UTC, to the second, as every Sluice file writes them.
public enum Timestamp {
    /// `2026-12-01T08:00:00Z` for `date`.
    public static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .current))
    }

    /// The date `text` names, when it is such a timestamp.
    public static func date(_ text: String) -> Date? {
        try? Date(text, strategy: Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .current))
    }
}
