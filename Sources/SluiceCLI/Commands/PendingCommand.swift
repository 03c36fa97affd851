import ArgumentParser
import Foundation
import SluiceKit

struct PendingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pending",
        abstract: "List pending updates grouped by plugin and target.",
        discussion: """
        The filesystem answer to GET /admin/plugin-updates-pending. Reads updates/pending/ only; \
        runs no git.

        Example:
          sluice pending --root /srv/workspaces
          sluice pending --json | jq '.groups[].items[].id'
        """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print JSON (schema in spec/formats.md).")
    var json = false

    func run() async throws {
        _ = global.logger()
        let layout = try global.layout()
        let read = QueueStore(layout: layout).read(.pending)
        let report = PendingReport(entries: read.entries)
        for problem in read.problems { Output.error("unreadable queue file \(problem); fix or remove it") }
        if json {
            try Output.json(report)
            return
        }
        if report.groups.isEmpty {
            Output.line("no pending updates")
            return
        }
        for group in report.groups {
            let kinds = group.kinds.map(\.rawValue).joined(separator: ", ")
            Output.line("\(group.plugin) -> \(Output.point(group.to))  [\(kinds)]  \(group.items.count) workspace(s)  \(group.source)")
            var table = TextTable(["ID", "WORKSPACE", "KIND", "FROM", "DETECTED"])
            for item in group.items {
                table.add([item.id, item.workspace, Output.paintState(item.kind.rawValue), Output.point(item.from), item.detected])
            }
            Output.line(table.render(indent: "  "))
            for item in group.items {
                if let warning = item.warning { Output.line("  \(Output.paint("!", .red)) \(item.workspace): \(warning)") }
            }
        }
        let store = QueueStore(layout: layout)
        Output.line("\(report.total) pending. Approve: mv \(store.displayPath("<id>.yaml", in: .pending)) \(store.displayPath(.approved))/ ; reject: mv it to \(store.displayPath(.rejected))/")
    }
}
