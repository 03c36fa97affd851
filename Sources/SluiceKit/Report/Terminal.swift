import CSluice
import Foundation

/// The terminal that standard output is, if any: how wide tables may be.
public enum Terminal {
    /// The width to fit tables to: nil (no limit) when standard output is not a terminal (a pipe,
    /// a file), else `COLUMNS` when it is a positive number, else the terminal's own width
    /// (`TIOCGWINSZ`), else 80.
    public static func columns(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int? {
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        if let text = environment["COLUMNS"], let columns = Int(text), columns > 0 { return columns }
        let measured = Int(csluice_terminal_columns(STDOUT_FILENO))
        return measured > 0 ? measured : 80
    }
}
