import ArgumentParser
import Foundation
import SluiceKit

struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Resolve every subscription upstream and queue drift into updates/pending/.",
        discussion: """
        Installs nothing. Each source is listed once with git ls-remote, however many workspaces \
        subscribe to it. Exit status 1 when a workspace, source or subscription failed.

        Example:
          sluice reconcile --root /srv/workspaces
          sluice reconcile --root /srv/workspaces --shard 2/4 --json
        """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Reconcile only this share of the workspaces (K/N).", valueName: "K/N"))
    var shard: Shard?

    @Flag(help: "Print the report as JSON (schema in spec/formats.md).")
    var json = false

    func run() async throws {
        let logger = global.logger()
        let layout = try global.layout()
        let reconciler = Reconciler(layout: layout, git: global.git(layout), logger: logger)
        let report = try await global.guarding { try await reconciler.run(scope: .init(shard: shard)) }
        if report.workspaces == 0 {
            // "0 workspaces" on a mistyped root looks like success; say what was looked for.
            let share = shard.map { " in shard \($0)" } ?? ""
            Output.error("warning: no workspace found under \(layout.root)\(share) (a workspace is a folder holding plugins.yaml, at most \(layout.config.maxDepth) levels down); check --root")
        }
        if json {
            try Output.json(report)
        } else {
            ReconcileCommand.printReport(report)
        }
        if report.hasFailures { throw ExitCode(1) }
    }

    static func printReport(_ report: ReconcileReport) {
        for failure in report.workspaceFailures {
            for diagnostic in failure.diagnostics { Output.line("\(diagnostic)") }
        }
        for failure in report.sourceFailures {
            Output.line("source \(failure.source) unreachable (\(failure.subscribers) subscription(s); their pending files were left as they are): \(failure.reason)")
        }
        for failure in report.subscriptionFailures {
            Output.line("\(failure.workspace): \(failure.plugin): \(failure.reason)")
        }
        for problem in report.queueProblems {
            Output.line("unreadable queue file \(problem); fix or remove it")
        }
        Output.line(report.summary)
        if !report.queued.isEmpty || !report.replaced.isEmpty {
            Output.line("next: 'sluice pending' lists the queue; approve with 'mv updates/pending/<id>.yaml updates/approved/'")
        }
    }
}
