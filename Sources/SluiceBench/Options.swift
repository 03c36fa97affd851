import Foundation

/// The bench's command line.
struct Options {
    var workspaces = 10_000
    var plugins = 10
    var sources = 20
    var tags = 40
    var fanout = 1_000
    /// Workspaces of the second root where every plugin has a new release (0 leaves it out).
    var releaseWorkspaces = 3_000
    var out = "bench-result.json"
    var repeats = 3
    var dir: String?
    /// The `sluice` binary measured as a process; by default the one beside this bench.
    var sluice: String?
    /// Whether `sluice serve`'s resident memory after three passes is measured.
    var serve = true

    static let usage = """
        usage: sluice-bench [--workspaces W] [--plugins P] [--sources S] [--tags T] [--fanout F]
                            [--release-workspaces R] [--repeat N] [--out file.json] [--dir scratch]
                            [--sluice path/to/sluice] [--no-serve]
        """

    init(_ arguments: [String]) throws {
        var index = 1
        func value() throws -> String {
            index += 1
            guard index < arguments.count else { throw BenchError("\(arguments[index - 1]) needs a value") }
            return arguments[index]
        }
        func number() throws -> Int {
            let text = try value()
            guard let parsed = Int(text), parsed >= 0 else { throw BenchError("\(arguments[index - 1]) needs a whole number, found '\(text)'") }
            return parsed
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--workspaces": workspaces = try number()
            case "--plugins": plugins = try number()
            case "--sources": sources = try number()
            case "--tags": tags = max(2, try number())
            case "--fanout": fanout = try number()
            case "--release-workspaces": releaseWorkspaces = try number()
            case "--out": out = try value()
            case "--repeat": repeats = max(1, try number())
            case "--dir": dir = try value()
            case "--sluice": sluice = try value()
            case "--no-serve": serve = false
            case "--help", "-h":
                print(Self.usage)
                exit(0)
            default: throw BenchError("unknown option \(arguments[index])\n\(Self.usage)")
            }
            index += 1
        }
        guard workspaces > 0, plugins > 0, sources > 0 else { throw BenchError("--workspaces, --plugins and --sources must be at least 1") }
    }
}

/// Why the bench stopped.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
