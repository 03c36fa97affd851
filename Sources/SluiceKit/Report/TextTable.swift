/// Plain text tables with aligned columns, for the human output of commands.
///
/// A table fits a width: when its natural width is larger, the widest columns are narrowed
/// (never below their title or ``minimumColumn``) and their cells cut with `…`. A row can carry
/// a note (a long error), printed under it, indented and wrapped to the width.
public struct TextTable: Sendable {
    private var header: [String]
    private var rows: [(cells: [String], note: String?)] = []

    /// Columns are not narrowed below this many characters (or their title).
    public static let minimumColumn = 8

    /// Creates a table with column titles.
    public init(_ header: [String]) {
        self.header = header
    }

    /// Appends a row; missing cells are blank. A `note` is printed on its own lines under the row.
    public mutating func add(_ row: [String], note: String? = nil) {
        rows.append((row, note))
    }

    /// The width of `cell` on screen: ANSI colour sequences take no room.
    static func visibleWidth(_ cell: String) -> Int {
        // Printable ASCII (most cells: ids, paths, refs) is one column per byte; walking
        // characters costs far more, and a table measures every cell up to three times.
        if cell.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return cell.utf8.count }
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

    /// `cell` cut to `width` visible characters, the last one an ellipsis; colour sequences are
    /// kept, and a colour that was open is reset.
    public static func truncate(_ cell: String, to width: Int) -> String {
        guard visibleWidth(cell) > width, width > 0 else { return cell }
        var result = ""
        var visible = 0
        var inEscape = false
        var coloured = false
        for character in cell {
            if character == "\u{1B}" {
                inEscape = true
                coloured = true
                result.append(character)
            } else if inEscape {
                if character.isLetter { inEscape = false }
                result.append(character)
            } else {
                guard visible < width - 1 else { break }
                result.append(character)
                visible += 1
            }
        }
        return result + "…" + (coloured ? "\u{1B}[0m" : "")
    }

    /// `text` cut into lines of at most `width` characters, at spaces where possible.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [text] }
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            var word = word
            while word.count > width {
                if !current.isEmpty { lines.append(current); current = "" }
                lines.append(String(word.prefix(width)))
                word = String(word.dropFirst(width))
            }
            if current.isEmpty {
                current = word
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    /// The column widths that fit `width` (nil: the natural widths).
    func widths(fitting width: Int?, indent: Int) -> [Int] {
        let all = [header] + rows.map(\.cells)
        let columns = all.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in all {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], Self.visibleWidth(cell)) }
        }
        guard let width else { return widths }
        let floors = widths.indices.map { min(widths[$0], max(Self.minimumColumn, index(header, $0).count)) }
        var total = indent + widths.reduce(0, +) + 2 * max(columns - 1, 0)
        while total > width {
            // Narrow the widest column that can still give up room.
            guard let widest = widths.indices.filter({ widths[$0] > floors[$0] }).max(by: { widths[$0] < widths[$1] }) else { break }
            let second = widths.indices.filter { $0 != widest }.map { widths[$0] }.max() ?? 0
            let cut = min(total - width, widths[widest] - floors[widest], max(widths[widest] - second, 1))
            widths[widest] -= cut
            total -= cut
        }
        return widths
    }

    private func index(_ row: [String], _ position: Int) -> String {
        position < row.count ? row[position] : ""
    }

    /// The table's text, columns separated by two spaces, trailing spaces trimmed.
    ///
    /// - Parameters:
    ///   - indent: Put before every line.
    ///   - width: The terminal width to fit, or nil for no limit (output to a pipe, `-o wide`).
    public func render(indent: String = "", width: Int? = nil) -> String {
        let widths = self.widths(fitting: width, indent: indent.count)
        let all = [(cells: header, note: String?.none)] + rows
        var lines: [String] = []
        for row in all {
            var line = indent
            for (index, cell) in row.cells.enumerated() {
                let shown = Self.truncate(cell, to: widths[index])
                line += shown
                if index < row.cells.count - 1 { line += String(repeating: " ", count: max(widths[index] - Self.visibleWidth(shown), 0) + 2) }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            lines.append(line)
            if let note = row.note {
                let noteIndent = indent + "    "
                for part in Self.wrap(note, width: width.map { max($0 - noteIndent.count, 20) } ?? 0) { lines.append(noteIndent + part) }
            }
        }
        return lines.joined(separator: "\n")
    }
}
