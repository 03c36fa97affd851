/// Plain text tables with aligned columns, for the human output of commands.
///
/// A table fits a width: when its natural width is larger, the widest columns are narrowed
/// (never below their title or ``minimumColumn``) and their cells cut with `…`. A row can carry
/// a note (a long error), printed under it, indented and wrapped to the width.
public struct TextTable: Sendable {
    private var header: Row
    private var rows: [Row] = []

    /// One line's cells, their widths on screen (measured once), and its note.
    private struct Row: Sendable {
        var cells: [String]
        var widths: [Int]
        var note: String?

        init(_ cells: [String], note: String?) {
            self.cells = cells
            widths = cells.map(TextTable.visibleWidth)
            self.note = note
        }
    }

    /// Columns are not narrowed below this many characters (or their title).
    public static let minimumColumn = 8

    /// Creates a table with column titles.
    public init(_ header: [String]) {
        self.header = Row(header, note: nil)
    }

    /// Appends a row; missing cells are blank. A `note` is printed on its own lines under the row.
    public mutating func add(_ row: [String], note: String? = nil) {
        rows.append(Row(row, note: note))
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
        let columns = rows.reduce(header.cells.count) { max($0, $1.cells.count) }
        var widths = [Int](repeating: 0, count: columns)
        for (index, cell) in header.widths.enumerated() { widths[index] = cell }
        for row in rows {
            for (index, cell) in row.widths.enumerated() where cell > widths[index] { widths[index] = cell }
        }
        guard let width else { return widths }
        let floors = widths.indices.map { min(widths[$0], max(Self.minimumColumn, $0 < header.widths.count ? header.widths[$0] : 0)) }
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

    /// The table's text, columns separated by two spaces, trailing spaces trimmed.
    ///
    /// - Parameters:
    ///   - indent: Put before every line.
    ///   - width: The terminal width to fit, or nil for no limit (output to a pipe, `-o wide`).
    public func render(indent: String = "", width: Int? = nil) -> String {
        let widths = self.widths(fitting: width, indent: indent.count)
        // One string for the whole table: a listing of 30,000 updates is one table per group
        // of thousands of rows, and a string per line joined at the end costs twice the copies.
        var text = ""
        text.reserveCapacity((rows.count + 1) * (indent.utf8.count + widths.reduce(2 * widths.count, +) + 1))
        emit(header, widths: widths, indent: indent, width: width, into: &text)
        for row in rows {
            text.append("\n")
            emit(row, widths: widths, indent: indent, width: width, into: &text)
        }
        return text
    }

    /// Appends one row (and its note) to `text`, cells cut to `widths`.
    private func emit(_ row: Row, widths: [Int], indent: String, width: Int?, into text: inout String) {
        let lineStart = text.utf8.count
        text.append(indent)
        for (index, cell) in row.cells.enumerated() {
            var shown = cell
            var shownWidth = row.widths[index]
            if shownWidth > widths[index] {
                shown = Self.truncate(cell, to: widths[index])
                shownWidth = Self.visibleWidth(shown)
            }
            text.append(shown)
            // Cells are padded to their column, two spaces apart (a small string: no allocation).
            if index < row.cells.count - 1 { text.append(String(repeating: " ", count: max(widths[index] - shownWidth, 0) + 2)) }
        }
        // Trailing spaces go (padding before blank last cells), as far as the line's start.
        while text.utf8.count > lineStart, text.utf8.last == UInt8(ascii: " ") { text.removeLast() }
        if let note = row.note {
            let noteIndent = indent + "    "
            for part in Self.wrap(note, width: width.map { max($0 - noteIndent.count, 20) } ?? 0) { text.append("\n" + noteIndent + part) }
        }
    }
}
