import Foundation
import SluiceKit

/// Writes command output: results to standard output, problems to standard error.
enum Output {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data(("sluice: " + text + "\n").utf8))
    }

    /// Pretty, key-sorted JSON of `value` on standard output.
    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        line(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// `v1.0.2 (1a2b3c4d5e6f)`, or the short SHA alone, or `-`.
    static func point(_ point: RefPoint?) -> String {
        guard let point else { return "-" }
        let sha = String(point.sha.prefix(12))
        guard let ref = point.ref, ref != point.sha else { return sha }
        return "\(ref) (\(sha))"
    }
}
