import ArgumentParser
import Foundation
import SluiceKit

struct InstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install a plugin now (an explicit operator command) and record its subscription.",
        discussion: """
        The one-shot install, with an optional track. Adds the entry to <workspace>/plugins.yaml, \
        keeping the rest of the file and its comments, then installs through the same path as an \
        approved update. With --track, later releases are queued by 'sluice reconcile'. With \
        --ref and no --track, the entry is recorded with 'track: none': installed once, never \
        updated (change its track in plugins.yaml to follow releases).

        Example:
          sluice install team-a/canary five-axis-review \\
            --source https://git.example.com/acme/five-axis-review.git --track tag:latest
          sluice install team-b/docs-bot careful-mode --source git@git.example.com:acme/skills.git \\
            --subpath plugins/careful-mode --ref v1.0.1
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Workspace path relative to the root.", valueName: "workspace"), completion: .custom(Completion.workspaces))
    var workspace: String

    @Argument(help: ArgumentHelp("Plugin name (a-z, 0-9, '.', '_', '-').", valueName: "plugin"), completion: .custom(Completion.plugins))
    var plugin: String

    @Option(help: ArgumentHelp("The plugin's git URL.", valueName: "url"), completion: .custom(Completion.sources))
    var source: String

    @Option(help: ArgumentHelp("A folder inside the repository that holds the plugin.", valueName: "path"))
    var subpath: String?

    @Option(help: ArgumentHelp("What to follow from now on: tag:latest, tag:^1.2, branch:main, sha:<hex>, or none (install once, never update).", valueName: "track"),
            completion: .list(["none", "tag:latest", "branch:main"]))
    var track: String = "none"

    @Option(help: ArgumentHelp("Tag, branch or SHA to install now (default: the track's target).", valueName: "ref"))
    var ref: String?

    @Flag(help: "Print the report as JSON.")
    var json = false

    @OptionGroup var table: TableOptions

    func validate() throws {
        do {
            _ = try Track(parsing: track)
        } catch {
            throw ValidationError("--track: \(error.message)")
        }
    }

    func run() async throws {
        let logger = global.logger()
        table.configure()
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
        if json || table.json {
            try Output.json(report)
        } else {
            ApplyCommand.printReport(report)
            let manifest = (workspace == "." ? "" : workspace + "/") + "plugins.yaml"
            if track == "none" {
                Output.line("recorded '\(plugin)' in \(manifest) with 'track: none': installed at \(ref ?? "?") and never updated by reconcile")
                Output.line("to follow releases, change its track there (for example 'track: tag:latest' or 'track: \"tag:^1.0\"') and run 'sluice reconcile'")
            } else {
                Output.line("recorded '\(plugin)' in \(manifest) with 'track: \(track)'; 'sluice reconcile' queues its later releases")
            }
        }
        if report.hasFailures { throw ExitCode(1) }
    }
}
