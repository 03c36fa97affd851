/// Plain text tables with aligned columns, for the human output of commands.
public struct TextTable: Sendable {
    private var header: [String]
    private var rows: [[String]] = []

    /// Creates a table with column titles.
    public init(_ header: [String]) {
        self.header = header
    }

    /// Appends a row; missing cells are blank.
    public mutating func add(_ row: [String]) {
        rows.append(row)
    }

    /// The width of `cell` on screen: ANSI colour sequences take no room.
    static func visibleWidth(_ cell: String) -> Int {
        var width = 0
        var inEscape = false
        for character in cell {
            if character == "\u{1B}" {
                inEscape = true
            } else if inEscape {
                if character.isLetter { inEscape = false }
            } else {
                width += 1
            }
        }
        return width
    }

    /// The table's text, columns separated by two spaces, trailing spaces trimmed.
    public func render(indent: String = "") -> String {
        let all = [header] + rows
        let columns = all.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in all {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], Self.visibleWidth(cell)) }
        }
        return all.map { row in
            var line = indent
            for (index, cell) in row.enumerated() {
                line += cell
                if index < row.count - 1 { line += String(repeating: " ", count: widths[index] - Self.visibleWidth(cell) + 2) }
            }
            return line
        }.joined(separator: "\n")
    }
}
