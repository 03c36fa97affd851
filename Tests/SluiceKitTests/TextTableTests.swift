import Testing
@testable import SluiceKit

/// The exact text of tables: what `pending`, `status` and the other listings print.
@Suite struct TextTableTests {
    @Test func columnsAreAlignedByTheirWidestCellAndTrailingSpacesTrimmed() {
        var table = TextTable(["ID", "WORKSPACE", "KIND"])
        table.add(["a", "team/alpha", "update"])
        table.add(["longer-id", "b", ""])
        table.add(["c"])
        #expect(table.render() == """
            ID         WORKSPACE   KIND
            a          team/alpha  update
            longer-id  b
            c
            """)
        #expect(table.render(indent: "  ").split(separator: "\n").allSatisfy { $0.hasPrefix("  ") })
    }

    @Test func colourSequencesTakeNoRoom() {
        var table = TextTable(["STATE", "X"])
        table.add(["\u{1B}[32mok\u{1B}[0m", "1"])
        table.add(["failed", "2"])
        #expect(table.render() == "STATE   X\n\u{1B}[32mok\u{1B}[0m      1\nfailed  2")
    }

    @Test func theWidestColumnIsNarrowedToFitAndItsCellsCut() {
        var table = TextTable(["ID", "WORKSPACE"])
        table.add(["a", String(repeating: "w", count: 30)])
        table.add(["bb", "short"])
        let text = table.render(indent: "  ", width: 20)
        #expect(text == """
              ID  WORKSPACE
              a   wwwwwwwwwwwww…
              bb  short
            """)
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 20 })
        // Never below the title (or the minimum): then the line is wider than asked.
        #expect(table.render(width: 5).split(separator: "\n")[1] == "a   wwwwwwww…")
    }

    @Test func notesAreIndentedAndWrappedUnderTheirRow() {
        var table = TextTable(["A", "B"])
        table.add(["x", "y"], note: "one two three four five six")
        table.add(["z", "w"])
        #expect(table.render(indent: " ", width: 30) == " A  B\n x  y\n     one two three four five\n     six\n z  w")
        #expect(table.render(width: 24) == "A  B\nx  y\n    one two three four\n    five six\nz  w")
    }
}
