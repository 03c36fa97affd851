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

    @Flag(help: "Install over a plugin folder that was modified locally; the edited tree is retained. With ids, also takes an update back from updates/failed/ (or pending/) while its basis holds.")
    var force = false

    @Flag(help: "Print the report as JSON.")
    var json = false

    @OptionGroup var table: TableOptions

    @Option(help: ArgumentHelp("Apply only the updates of this share of the workspaces (K/N).", valueName: "K/N"))
    var shard: Shard?

    @Argument(help: ArgumentHelp("Approved files to apply (default: all of updates/approved/); with --force, also ids in failed/ or pending/.", valueName: "file"),
              completion: .custom(Completion.approvedFiles))
    var files: [String] = []

    func run() async throws {
        let logger = global.logger()
        table.configure()
        let layout = try global.layout()
        var files = self.files
        if force, !dryRun, !files.isEmpty {
            // 'apply --force <id>' after a "modified locally" refusal: the record is in failed/.
            files = try files.map { file throws -> String in
                let store = QueueStore(layout: layout)
                if store.fileName(of: file, in: .approved) != nil { return file }
                do {
                    let (name, source) = try Reapproval.approve(file, layout: layout)
                    if source != .approved { Output.error("note: \(name) approved again from \(store.displayPath(source == .failed ? .failed : .pending))/ (its basis still holds)") }
                    return name
                } catch {
                    Output.error("\(error)")
                    throw ExitCode(64)
                }
            }
        }
        var applier = Applier(layout: layout, git: global.git(layout), logger: logger, force: force)
        applier.shard = shard
        if !(json || table.json) {
            applier.progress = { done, total in Output.progress("applying \(done)/\(total)") }
        }
        let report: ApplyReport
        if dryRun {
            report = await applier.dryRun(files: files)
        } else {
            report = try await global.guarding { try await applier.run(files: files) }
            Output.endProgress()
        }
        if json || table.json {
            try Output.json(report)
        } else {
            ApplyCommand.printReport(report, failedFolder: QueueStore(layout: layout).displayPath(.failed), dryRun: dryRun)
        }
        if report.hasFailures { throw ExitCode(1) }
    }

    static func printReport(_ report: ApplyReport, failedFolder: String = "updates/failed", dryRun: Bool = false) {
        if !report.items.isEmpty {
            let wide = Output.width == nil
            var rows = TextTable(["RESULT", "WORKSPACE", "PLUGIN", "VERDICT", "DETAIL"])
            for item in report.items {
                let detail = item.unrecorded ?? item.reason ?? ""
                // A failure's reason can be git's whole stderr: under the row, where it wraps.
                let below = !wide && (item.result == "failed" || item.unrecorded != nil) && detail.count > 40
                rows.add([Output.paintState(item.result), item.workspace ?? item.file, item.plugin ?? "-", item.verdict.map(Output.paintState) ?? "-", below ? "see below" : detail],
                         note: below ? detail : nil)
            }
            Output.line(rows.render(width: Output.width))
        }
        if dryRun {
            // Nothing was claimed or recorded: no file went to failed/.
            let would = report.items.filter { $0.result == "would-apply" }.count
            let fail = report.items.filter { $0.result == "failed" }.count
            Output.line(Output.fit("apply --dry-run: \(would) would apply, \(fail) would fail; nothing was changed"))
            return
        }
        Output.line(report.summary)
        let modified = report.items.filter { $0.result == "failed" && ($0.reason ?? "").contains("modified locally") }
        for item in modified {
            Output.line(Output.fit("next: 'sluice apply --force \(item.id ?? QueueFileName.stem(of: item.file))' installs it anyway (the edited tree is retained as -modified); or move the edits upstream"))
        }
        if report.items.contains(where: { $0.result == "failed" }) , modified.count < report.items.filter({ $0.result == "failed" }).count {
            Output.line(Output.fit("failed updates are in \(failedFolder)/ with outcome.reason; fix the cause, run 'sluice reconcile' and approve the new pending file"))
        }
    }
}
