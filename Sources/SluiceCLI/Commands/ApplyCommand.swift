import ArgumentParser
import Foundation
import SluiceKit

struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Install the approved updates in updates/approved/, exactly as approved.",
        discussion: """
        Each file is claimed (renamed into updates/applying/), checked against the current \
        manifest and stamp (a stale approval is refused), and installed atomically at exactly its \
        to.sha. The outcome goes to updates/applied/ (with the hot/restart verdict) or \
        updates/failed/ (with the reason). Files left by a crashed run are finished first. \
        Exit status 1 when any update failed.

        Example:
          mv updates/pending/team-a~canary+review+1a2b3c4d5e6f.yaml updates/approved/
          sluice apply
          sluice apply --dry-run
        """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Say what would happen; change nothing in plugins/ or the queue.")
    var dryRun = false

    @Flag(help: "Install over a plugin folder that was modified locally; the edited tree is retained.")
    var force = false

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Option(help: ArgumentHelp("Apply only the updates of this share of the workspaces (K/N).", valueName: "K/N"))
    var shard: Shard?

    @Argument(help: ArgumentHelp("Approved files to apply (default: all of updates/approved/).", valueName: "file"))
    var files: [String] = []

    func run() async throws {
        let logger = global.logger()
        let layout = try global.layout()
        var applier = Applier(layout: layout, git: global.git(layout), logger: logger, force: force)
        applier.shard = shard
        applier.progress = { done, total in Output.progress("applying \(done)/\(total)") }
        let report: ApplyReport
        if dryRun {
            report = await applier.dryRun(files: files)
        } else {
            report = try await global.guarding { try await applier.run(files: files) }
            Output.endProgress()
        }
        if json {
            try Output.json(report)
        } else {
            ApplyCommand.printReport(report, failedFolder: QueueStore(layout: layout).displayPath(.failed))
        }
        if report.hasFailures { throw ExitCode(1) }
    }

    static func printReport(_ report: ApplyReport, failedFolder: String = "updates/failed") {
        if !report.items.isEmpty {
            var table = TextTable(["RESULT", "WORKSPACE", "PLUGIN", "VERDICT", "DETAIL"])
            for item in report.items {
                table.add([Output.paintState(item.result), item.workspace ?? item.file, item.plugin ?? "-", item.verdict.map(Output.paintState) ?? "-", item.reason ?? ""])
            }
            Output.line(table.render())
        }
        Output.line(report.summary)
        if report.hasFailures {
            Output.line("failed updates are in \(failedFolder)/ with outcome.reason; fix the cause, run 'sluice reconcile' and approve the new pending file")
        }
    }
}
