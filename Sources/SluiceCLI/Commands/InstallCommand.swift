import ArgumentParser
import Foundation
import SluiceKit

struct InstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install a plugin now (an explicit operator command) and record its subscription.",
        discussion: """
        The platform's one-shot install, with an optional track (parity with \
        POST /workspaces/:id/plugins?track=...). Adds the entry to <workspace>/plugins.yaml, \
        keeping the rest of the file and its comments, then installs through the same path as an \
        approved update. With --track, later releases are queued by 'sluice reconcile'.

        Example:
          sluice install team-a/canary five-axis-review \\
            --source https://git.example.com/acme/five-axis-review.git --track tag:latest
          sluice install team-b/docs-bot careful-mode --source git@git.example.com:acme/skills.git \\
            --subpath plugins/careful-mode --ref v1.0.1
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Workspace path relative to the root.", valueName: "workspace"))
    var workspace: String

    @Argument(help: ArgumentHelp("Plugin name (a-z, 0-9, '.', '_', '-').", valueName: "plugin"))
    var plugin: String

    @Option(help: ArgumentHelp("The plugin's git URL.", valueName: "url"))
    var source: String

    @Option(help: ArgumentHelp("A folder inside the repository that holds the plugin.", valueName: "path"))
    var subpath: String?

    @Option(help: ArgumentHelp("What to follow from now on (default none).", valueName: "track"))
    var track: String = "none"

    @Option(help: ArgumentHelp("Tag, branch or SHA to install now (default: the track's target).", valueName: "ref"))
    var ref: String?

    @Flag(help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        do {
            _ = try Track(parsing: track)
        } catch {
            throw ValidationError("--track: \(error.message)")
        }
    }

    func run() async throws {
        let logger = global.logger()
        let layout = try global.layout()
        let install = OperatorInstall(layout: layout, git: global.git(layout), logger: logger)
        let request = OperatorInstall.Request(workspace: workspace, plugin: plugin, source: source, subpath: subpath,
                                              track: try Track(parsing: track), ref: ref)
        let report: ApplyReport
        do {
            report = try await install.run(request)
        } catch let error as SluiceError {
            Output.error(error.description)
            throw ExitCode(1)
        }
        if json { try Output.json(report) } else { ApplyCommand.printReport(report) }
        if report.hasFailures { throw ExitCode(1) }
    }
}
