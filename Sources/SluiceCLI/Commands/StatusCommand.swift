import ArgumentParser
import Foundation
import SluiceKit

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each workspace's plugins: track, installed, upstream target and state.",
        discussion: """
        Resolves every subscription upstream (one git ls-remote per source) but writes nothing. \
        While 'sluice serve' runs on the root, the sources it is backing off are listed below \
        the table (from <state>/serve-status.json); when that file's process is gone or it was \
        not updated for two intervals, it is marked stale. --shard K/N shows only that share of \
        the workspaces (as reconcile and apply take it).

        Example:
          sluice status --root /srv/workspaces
          sluice status --json
          sluice status --shard 2/4
        """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print JSON (schema in spec/formats.md).")
    var json = false

    @OptionGroup var table: TableOptions

    @Option(help: ArgumentHelp("Show only this share of the workspaces (K/N), as 'reconcile --shard' takes it.", valueName: "K/N"))
    var shard: Shard?

    func run() async throws {
        _ = global.logger()
        table.configure()
        let layout = try global.layout()
        let reader = SnapshotReader(layout: layout, git: global.git(layout))
        let snapshot = await reader.read(scope: Reconciler.Scope(shard: shard))
        var report = StatusReport(snapshot: snapshot)
        if let shard {
            // Queue files of other shards' workspaces are theirs to show, not orphans of this one.
            report.workspaces = report.workspaces.filter { shard.contains($0.path) }
        }
        await report.resolveHeld(snapshot: snapshot, upstream: reader.resolver.upstream)
        await report.checkLiveTrees(layout: layout, snapshot: snapshot)
        report.readRollouts(store: QueueStore(layout: layout), pending: snapshot.pending)
        report.service = ServeStatus.read(layout: layout)?.checked()
        report.readApprovals(store: QueueStore(layout: layout))
        report.gitStopped = RootSync.stoppedReason(layout: layout)
        if json || table.json {
            try Output.json(report)
        } else {
            let wide = Output.width == nil
            var rows = TextTable(["WORKSPACE", "PLUGIN", "TRACK", "INSTALLED", "TARGET", "STATE"])
            for workspace in report.workspaces {
                if !workspace.errors.isEmpty {
                    let count = workspace.errors.count == 1 ? "1 error" : "\(workspace.errors.count) errors"
                    rows.add([workspace.path, "-", "-", "-", "-", Output.paintState("invalid") + " manifest (\(count))"])
                }
                for plugin in workspace.plugins {
                    let installed = plugin.folder == .unstamped ? "unstamped" : Output.point(plugin.installed)
                    var state = Output.paintState(plugin.state.rawValue)
                    if plugin.state == .held, let target = plugin.target {
                        state += " (missing \(target.ref ?? String(target.sha.prefix(12))))"
                    }
                    if let rollout = plugin.rollout, [.pending, .approved, .drift].contains(plugin.state) {
                        state += ", " + Output.paintRollout(rollout)
                    }
                    var note: String?
                    if let soaking = plugin.soaking {
                        state += plugin.state == .soaking ? " until \(soaking.until)" : ", \(soaking.ref ?? String(soaking.sha.prefix(12))) soaking until \(soaking.until)"
                    }
                    if plugin.state == .inSync, let detail = plugin.detail { state += " (\(detail))" }
                    if [.error, .modified].contains(plugin.state), let detail = plugin.detail {
                        // A long reason (git's stderr) goes under the row, where it can wrap.
                        if wide { state += ": \(detail)" } else { note = detail }
                    }
                    if wide, let approvedBy = plugin.approvedBy { state += ", approved by \(approvedBy.summary)" }
                    rows.add([workspace.path, plugin.name, plugin.track ?? "-", installed, Output.point(plugin.target), state], note: note)
                }
            }
            Output.line(rows.render(width: Output.width))
            for workspace in report.workspaces {
                for diagnostic in workspace.errors { Output.line("\(diagnostic)") }
            }
            if let stopped = report.gitStopped {
                Output.line("git: following the root's remote branch stopped: \(stopped)")
            }
            if let service = report.service {
                if let reason = service.staleReason {
                    Output.line("serve: stale status file (\(reason)); what follows is from then")
                }
                for source in service.sources {
                    Output.line("serve: source \(source.source) failed \(source.failures) time(s) in a row; scheduled passes skip it until \(source.retryAt): \(source.reason)")
                }
            }
        }
        let failed = report.workspaces.contains { !$0.errors.isEmpty || $0.plugins.contains { $0.state == .error } }
        if failed { throw ExitCode(1) }
    }
}
