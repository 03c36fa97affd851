import ArgumentParser

/// How commands that print tables lay them out: fitted to the terminal, or in full.
struct TableOptions: ParsableArguments {
    @Option(name: [.customShort("o"), .customLong("output")],
            help: ArgumentHelp("Output: text (fitted to the terminal width, long cells cut with …), wide (every cell in full) or json.", valueName: "format"),
            completion: .list(["text", "wide", "json"]))
    var output: String = "text"

    @Flag(help: "Print every cell in full, however wide (the same as -o wide).")
    var wide = false

    func validate() throws {
        guard ["text", "wide", "json"].contains(output) else {
            throw ValidationError("-o '\(output)' is unknown; use text, wide or json")
        }
    }

    /// Whether JSON was asked for with `-o json`.
    var json: Bool { output == "json" }

    /// Lifts the width limit for `-o wide`; call before printing.
    func configure() {
        if wide || output == "wide" { Output.width = nil }
    }
}
