/// One problem found in an input file, located by file, line and column.
///
/// Lines and columns start at 1, as editors and compilers count them, so that
/// `file:line:column` can be pasted into an editor's "go to" prompt.
public struct Diagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file's path as the user named it (relative to the root where possible).
    public var file: String
    /// 1-based line, or 0 when the problem concerns the whole file.
    public var line: Int
    /// 1-based column, or 0 when the problem concerns the whole file.
    public var column: Int
    /// What was found and what was expected.
    public var message: String

    /// Creates a diagnostic.
    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: error: message`, the format compilers use.
    public var description: String {
        "\(file):\(line):\(column): error: \(message)"
    }
}

/// A file that failed validation; carries every problem found, not only the first.
public struct ValidationError: Error, Sendable, CustomStringConvertible {
    /// Every problem found, in file order.
    public var diagnostics: [Diagnostic]

    /// Creates the error from its diagnostics, put in file order (file, line, column).
    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics.enumerated().sorted {
            ($0.element.file, $0.element.line, $0.element.column, $0.offset) < ($1.element.file, $1.element.line, $1.element.column, $1.offset)
        }.map(\.element)
    }

    /// One diagnostic per line.
    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
