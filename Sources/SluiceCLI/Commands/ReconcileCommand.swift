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
          sluice reconcile --source https://git.example.com/acme/five-axis-review.git
          sluice reconcile --workspace 'team-a/*'
        """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Reconcile only this share of the workspaces (K/N).", valueName: "K/N"))
    var shard: Shard?

    @Flag(help: "Print the report as JSON (schema in spec/formats.md).")
    var json = false

    @Option(help: ArgumentHelp("Only subscriptions to this source (a git URL exactly as in plugins.yaml); repeat for several.", valueName: "url"),
            completion: .custom(Completion.sources))
    var source: [String] = []

    @Option(help: ArgumentHelp("Only workspaces whose path matches this shell pattern (fnmatch, as for approve).", valueName: "glob"),
            completion: .custom(Completion.workspaces))
    var workspace: String?

    func run() async throws {
        let logger = global.logger()
        let layout = try global.layout()
        let reconciler = Reconciler(layout: layout, git: global.git(layout), logger: logger)
        Teardown.skip(reconciler)
        let scope = Reconciler.Scope(sources: source.isEmpty ? nil : Set(source), shard: shard, workspaces: workspace)
        // Slow sources keep a pass waiting on git: say so on a terminal (never in pipes or --json).
        // The ticker is a child task of the pass, so it ends with it, also on an error.
        let report: ReconcileReport = try await withThrowingTaskGroup(of: ReconcileReport?.self) { group in
            group.addTask { try await global.guarding { try await reconciler.run(scope: scope) } }
            if !json {
                group.addTask {
                    let started = ContinuousClock.now
                    try await Task.sleep(for: .seconds(1))
                    while !Task.isCancelled {
                        Output.progress("reconcile: listing sources upstream and planning… \((ContinuousClock.now - started).components.seconds) s")
                        try await Task.sleep(for: .milliseconds(500))
                    }
                    return nil
                }
            }
            defer { if !json { Output.endProgress() } }
            while let next = try await group.next() {
                if let report = next {
                    group.cancelAll()
                    return report
                }
            }
            throw CancellationError()
        }
        if !source.isEmpty, report.sources == 0 {
            Output.error("warning: no subscription uses \(source.joined(separator: " or ")); the source must be written exactly as in plugins.yaml")
        }
        if report.workspaces == 0 {
            // "0 workspaces" on a mistyped root looks like success; say what was looked for.
            let share = (shard.map { " in shard \($0)" } ?? "") + (workspace.map { " matching '\($0)'" } ?? "")
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
        if let legend = report.legend { Output.line(legend) }
        if !report.queued.isEmpty || !report.replaced.isEmpty {
            Output.line("next: 'sluice pending' lists the queue; approve with 'sluice approve <id>' (or --plugin P --to REF --canary 1, then the rest)")
        }
    }
}
