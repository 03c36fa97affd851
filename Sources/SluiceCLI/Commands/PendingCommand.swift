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
          sluice pending --shard 1/2
        """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print JSON (schema in spec/formats.md).")
    var json = false

    @OptionGroup var table: TableOptions

    @Option(help: ArgumentHelp("List only the updates of this share of the workspaces (K/N), as 'reconcile --shard' takes it.", valueName: "K/N"))
    var shard: Shard?

    func run() async throws {
        _ = global.logger()
        table.configure()
        let layout = try global.layout()
        let store = QueueStore(layout: layout)
        let read = await store.read(.pending, workers: QueueStore.readWorkers)
        Teardown.skip(read)
        let entries = shard.map { shard in read.entries.filter { shard.contains($0.record.workspace) } } ?? read.entries
        var report = PendingReport(entries: entries)
        defer { Teardown.skip(report) }
        report.readRollouts(store: store)
        report.soaking = SoakingTarget.read(state: layout.state).filter { shard?.contains($0.workspace) ?? true }
        for problem in read.problems { Output.error("unreadable queue file \(problem); fix or remove it") }
        if json || table.json {
            try Output.json(report)
            return
        }
        let soaking = report.soaking.isEmpty ? nil : Output.fit("\(report.soaking.count == 1 ? "1 target" : "\(report.soaking.count) targets") soaking (min-age) as of the last reconcile; the next becomes eligible at \(report.soaking[0].until) (\(report.soaking[0].workspace) \(report.soaking[0].plugin) \(Output.point(report.soaking[0].to)))")
        if report.groups.isEmpty {
            Output.line("no pending updates")
            if let soaking { Output.line(soaking) }
            return
        }
        // Each group's table is built on its own (thousands of rows after a big release), on
        // every core, and printed in order.
        for text in await concurrentMap(report.groups, limit: QueueStore.readWorkers, { Self.text(of: $0) }) {
            Output.line(text)
        }
        let total = report.total == 1 ? "1 update pending" : "\(report.total) updates pending"
        Output.line(Output.fit("\(total). Approve: 'sluice approve <id>' or 'sluice approve --plugin <p> --to <ref> --canary 1', then the rest without --canary; reject: 'sluice reject <id>'."))
        Output.line(Output.fit("A plain mv works too: mv \(store.displayPath("<id>.yaml", in: .pending)) \(store.displayPath(.approved))/"))
        if let soaking { Output.line(soaking) }
    }

    /// A group as printed: its headline, its rollout, and a table of its workspaces.
    private static func text(of group: PendingReport.Group) -> String {
        let kinds = group.kinds.map(\.rawValue).joined(separator: ", ")
        let count = group.items.count == 1 ? "1 workspace" : "\(group.items.count) workspaces"
        var text = Output.fit("\(group.plugin) -> \(Output.point(group.to))  [\(kinds)]  \(count)  \(group.source)")
        if let rollout = group.rollout { text += "\n" + Output.fit("  rollout: \(Output.paintRollout(rollout))") }
        var rows = TextTable(["ID", "WORKSPACE", "KIND", "FROM", "DETECTED"])
        for item in group.items {
            rows.add([item.id, item.workspace, Output.paintState(item.kind.rawValue), Output.point(item.from), item.detected],
                     note: item.warning.map { "\(Output.paint("!", .red)) \($0)" })
        }
        return text + "\n" + rows.render(indent: "  ", width: Output.width)
    }
}
