import Foundation
import Logging

/// A swift-log handler that writes one line per event to standard error, as logfmt or JSON.
///
/// Only the executable bootstraps it; the library just takes a `Logger`.
public struct LogfmtLogHandler: LogHandler {
    /// The line format.
    public enum Format: String, Sendable, CaseIterable {
        case logfmt, json
    }

    /// The handler's metadata.
    public var metadata: Logger.Metadata = [:]
    /// The lowest level written.
    public var logLevel: Logger.Level
    private let label: String
    private let format: Format

    /// Creates a handler.
    public init(label: String, level: Logger.Level, format: Format) {
        self.label = label
        self.logLevel = level
        self.format = format
    }

    /// Metadata by key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one event.
    public func log(event: LogEvent) {
        var fields: [(String, String)] = [
            ("ts", Timestamp.string(Date())), ("level", event.level.rawValue), ("msg", event.message.description),
        ]
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) { fields.append((key, "\(value)")) }
        let line: String
        switch format {
        case .logfmt:
            line = fields.map { "\($0.0)=\(Self.quote($0.1))" }.joined(separator: " ")
        case .json:
            let object = Dictionary(fields, uniquingKeysWith: { $1 })
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            line = String(decoding: data, as: UTF8.self)
        }
        // A line that cannot be written (a full disk) is dropped and counted; the work goes on.
        StandardStream.write(line + "\n", to: .error)
    }

    static func quote(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.contains(where: { $0 == " " || $0 == "=" || $0 == "\"" || $0.isNewline })
        guard needsQuotes else { return value }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
        return "\"\(escaped)\""
    }
}
