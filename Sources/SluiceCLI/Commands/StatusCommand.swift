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
        the table (from <state>/serve-status.json).

        Example:
          sluice status --root /srv/workspaces
          sluice status --json
        """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print JSON (schema in spec/formats.md).")
    var json = false

    func run() async throws {
        let layout = try global.layout()
        let snapshot = await SnapshotReader(layout: layout, git: global.git(layout)).read()
        var report = StatusReport(snapshot: snapshot)
        report.service = ServeStatus.read(layout: layout)
        if json {
            try Output.json(report)
        } else {
            var table = TextTable(["WORKSPACE", "PLUGIN", "TRACK", "INSTALLED", "TARGET", "STATE"])
            for workspace in report.workspaces {
                if !workspace.errors.isEmpty {
                    table.add([workspace.path, "-", "-", "-", "-", "invalid manifest (\(workspace.errors.count) errors)"])
                }
                for plugin in workspace.plugins {
                    let installed = plugin.folder == .unstamped ? "unstamped" : Output.point(plugin.installed)
                    var state = Output.paintState(plugin.state.rawValue)
                    if plugin.state == .error, let detail = plugin.detail { state += ": \(detail)" }
                    table.add([workspace.path, plugin.name, plugin.track ?? "-", installed, Output.point(plugin.target), state])
                }
            }
            Output.line(table.render())
            for workspace in report.workspaces {
                for diagnostic in workspace.errors { Output.line("\(diagnostic)") }
            }
            if let service = report.service {
                for source in service.sources {
                    Output.line("serve: source \(source.source) failed \(source.failures) time(s) in a row; scheduled passes skip it until \(source.retryAt): \(source.reason)")
                }
            }
        }
        let failed = report.workspaces.contains { !$0.errors.isEmpty || $0.plugins.contains { $0.state == .error } }
        if failed { throw ExitCode(1) }
    }
}
