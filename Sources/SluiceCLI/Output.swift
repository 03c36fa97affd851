import Foundation
import SluiceKit

/// Writes command output: results to standard output, problems to standard error.
enum Output {
    /// ANSI colours, used only when standard output is a terminal and NO_COLOR is unset.
    enum Color: String {
        case red = "31", green = "32", yellow = "33", cyan = "36", bold = "1"
    }

    /// https://no-color.org: a NO_COLOR that is present and not empty turns colour off.
    static let useColor: Bool = isatty(STDOUT_FILENO) == 1 && (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty

    static func paint(_ text: String, _ color: Color) -> String {
        guard useColor else { return text }
        // The reset goes before any newline, so that a colour never runs into the next line.
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { "\u{1B}[\(color.rawValue)m\($0)\u{1B}[0m" }.joined(separator: "\n")
    }

    /// The colour of a state or result word.
    static func paintState(_ word: String) -> String {
        // Without colour every word is itself: no need to find its colour (a row of a table each).
        guard useColor else { return word }
        switch word {
        case "in-sync", "applied", "would-apply", "hot": return paint(word, .green)
        case "pending", "approved", "drift", "restart", "held", "soaking": return paint(word, .yellow)
        case "failed", "error", "rejected", "retag", "downgrade": return paint(word, .red)
        default: return word
        }
    }

    /// A rollout's summary, coloured by how it stands.
    static func paintRollout(_ rollout: Rollout) -> String {
        switch rollout.stage {
        case .canaryFailed: return paint(rollout.summary, .red)
        case .canaryPending: return paint(rollout.summary, .yellow)
        case .canaryApplied, .fannedOut: return paint(rollout.summary, .green)
        case .noCanary: return rollout.summary
        }
    }

    /// A progress line on standard error, rewritten in place; only on a terminal.
    static func progress(_ text: String) {
        guard isatty(STDERR_FILENO) == 1 else { return }
        StandardStream.write("\r\u{1B}[2K\(text)", to: .error)
    }

    /// Clears the progress line.
    static func endProgress() {
        guard isatty(STDERR_FILENO) == 1 else { return }
        StandardStream.write("\r\u{1B}[2K", to: .error)
    }

    /// The width tables fit (nil: no limit); `-o wide` sets it to nil.
    nonisolated(unsafe) static var width: Int? = Terminal.columns()

    /// `text` cut to the terminal width with an ellipsis (one-line outputs such as approve's).
    static func fit(_ text: String) -> String {
        guard let width else { return text }
        return TextTable.truncate(text, to: width)
    }

    static func line(_ text: String) {
        StandardStream.write(text + "\n", to: .output)
    }

    static func error(_ text: String) {
        StandardStream.write("sluice: " + text + "\n", to: .error)
    }

    /// Pretty, key-sorted JSON of `value` on standard output.
    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        line(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// `v1.0.2 (1a2b3c4d5e6f)`, or the short SHA alone, or `-`.
    static func point(_ point: RefPoint?) -> String {
        point?.display ?? "-"
    }
}
