import ArgumentParser
import Foundation
import SluiceKit

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "On a root that is a git working copy: pull, reconcile, apply, then commit and push the queue.",
        discussion: """
        Fetches the root's upstream branch and fast-forwards (new manifests, approvals moved \
        into updates/approved/ and rejections arrive), runs one reconcile pass and applies the \
        approved updates, then commits what Sluice changed in the queue as one commit and pushes \
        it (rebasing onto a remote that moved meanwhile; the operator's moves win). A remote \
        branch that was rewritten stops the following: nothing is pulled, applied or pushed \
        until an operator resolves it. Exit status 1 when following stopped or anything failed. \
        See spec/gitops.md.

        Example (cron, every 5 minutes):
          */5 * * * * sluice sync --root /srv/workspaces
        """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Pull, reconcile and push only; apply nothing.")
    var noApply = false

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() async throws {
        let logger = global.logger()
        let layout = try global.layout()
        let report: SyncReport
        do {
            report = try await global.guarding { try await SyncCycle(layout: layout, git: global.git(layout), logger: logger).run(apply: !noApply) }
        } catch let problem as RootSync.Problem {
            Output.error("\(problem)")
            throw ExitCode(2)
        }
        if json {
            try Output.json(report)
        } else {
            if let stopped = report.stopped { Output.error("sync stopped: \(stopped)") }
            if let reconcile = report.reconcile { Output.line(reconcile.summary) }
            if let apply = report.apply { ApplyCommand.printReport(apply, failedFolder: QueueStore(layout: layout).displayPath(.failed), dryRun: false) }
            if let followed = report.followed {
                Output.line(report.committed ? "sync: queue committed and pushed; remote at \(followed.prefix(12))" : "sync: nothing to commit; remote at \(followed.prefix(12))")
            }
        }
        if report.hasFailures { throw ExitCode(1) }
    }
}
