import Foundation

extension Stamp {
    /// The YAML body `YAMLEncoder` writes for this stamp, written without Yams; nil when a
    /// value is outside what the plain writer is sure of (``RecordEncoding/scalar(_:column:)``),
    /// and then ``encoded()`` uses `YAMLEncoder`.
    ///
    /// Apply writes one stamp per update; through `YAMLEncoder` that was 2% of a fan-out's CPU
    /// time. What this returns also reads back, through ``fastParse(_:)``, as this very stamp.
    func plainBody() -> String? {
        var out = "format: \(format)\n"
        let fields: [(String, String?)] = [
            ("plugin", plugin), ("source", source), ("subpath", subpath), ("track", track), ("ref", ref), ("sha", sha),
            ("digest", digest), ("installed", installed),
        ]
        for (key, value) in fields {
            guard let value else { continue }
            guard let written = RecordEncoding.scalar(value, column: key.utf8.count + 2) else { return nil }
            out += key + ": " + written + "\n"
        }
        guard Self.fastParse(Data(out.utf8)) == self else { return nil }
        return out
    }
}
