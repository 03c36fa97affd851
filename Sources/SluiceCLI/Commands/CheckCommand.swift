import ArgumentParser
import Foundation
import SluiceKit

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate plugins.yaml and sluice.yaml files without touching anything.",
        discussion: """
        Reports every error with file, line and column; exits 1 on any. With no paths, checks \
        the root's sluice.yaml and every workspace's plugins.yaml. Fit for a pre-commit hook and \
        for CI (--format github prints annotations).

        Example:
          sluice check
          sluice check team-a/canary/plugins.yaml sluice.yaml
          sluice check --format github
        """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Output format: text, github or json.", valueName: "format"), completion: .list(["text", "github", "json"]))
    var format: String = "text"

    @Flag(help: "Print the result as JSON (the same as --format json).")
    var json = false

    @Argument(help: ArgumentHelp("Files or folders to check (default: the whole root).", valueName: "path"), completion: .file(extensions: ["yaml"]))
    var paths: [String] = []

    func validate() throws {
        guard ["text", "github", "json"].contains(format) else {
            throw ValidationError("--format '\(format)' is unknown; use text, github or json")
        }
        if json, format != "text", format != "json" { throw ValidationError("--json and --format \(format) ask for two formats; give one") }
    }

    func run() async throws {
        _ = global.logger()
        var isFolder: ObjCBool = false
        if paths.isEmpty, !(FileManager.default.fileExists(atPath: global.root, isDirectory: &isFolder) && isFolder.boolValue) {
            // Nothing checked is no "ok": a mistyped --root must not pass a CI gate.
            Output.error(SluiceError.rootMissing(global.root).description)
            throw ExitCode(2)
        }
        let result = Checker.check(paths: paths, root: Paths.absolute(global.root))
        let format = json ? "json" : self.format
        switch format {
        case "json":
            try Output.json(result)
        case "github":
            for diagnostic in result.diagnostics { Output.line(Checker.githubAnnotation(diagnostic)) }
        default:
            for diagnostic in result.diagnostics {
                Output.line("\(diagnostic.file):\(diagnostic.line):\(diagnostic.column): \(Output.paint("error:", .red)) \(diagnostic.message)")
            }
        }
        if format != "json" {
            let files = result.files.count
            if result.diagnostics.isEmpty {
                Output.line("ok: \(files) file(s) checked, no problems")
            } else {
                Output.line("\(result.diagnostics.count) problem(s) in \(Set(result.diagnostics.map(\.file)).count) of \(files) file(s); fix them and run 'sluice check' again (formats: spec/formats.md)")
            }
        }
        if !result.diagnostics.isEmpty { throw ExitCode(1) }
    }
}
