import ArgumentParser
import Foundation
import SluiceKit

struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what an update would change: paths, hot or restart and why, and the patch.",
        discussion: """
        Names the update by its id (pending or approved), or by workspace and plugin (the pending \
        update for that plugin). Fetches the target into the cache; changes nothing else.

        Example:
          sluice diff team-a~reno-stars+five-axis-review+10bdb57d2817
          sluice diff team-a/reno-stars five-axis-review --patch
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("An update id, or a workspace path followed by a plugin name.", valueName: "id | workspace plugin"),
              completion: .custom(Completion.queuedIDs))
    var names: [String]

    @Flag(help: "Also print the full text diff.")
    var patch = false

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard (1...2).contains(names.count) else { throw ValidationError("give an update id, or a workspace and a plugin") }
    }

    func run() async throws {
        let logger = global.logger()
        let layout = try global.layout()
        _ = logger
        let store = QueueStore(layout: layout)
        let candidates = store.read(.pending).entries + store.read(.approved).entries
        let match: QueueEntry?
        if names.count == 1 {
            let id = QueueFileName.hasRecordSuffix(names[0]) ? QueueFileName.id(fromReference: names[0]) : names[0]
            match = candidates.first { $0.record.id == id }
        } else {
            match = candidates.first { $0.record.workspace == names[0] && $0.record.plugin == names[1] }
        }
        guard let entry = match else {
            Output.error("no pending or approved update matches \(names.joined(separator: " ")); 'sluice pending' lists the ids")
            throw ExitCode(1)
        }
        let diff: UpdateDiff
        do {
            diff = try await UpdateDiff.compute(entry.record, layout: layout, git: global.git(layout), patch: patch)
        } catch {
            Output.error("cannot compute the diff: \(error)")
            throw ExitCode(1)
        }
        if json {
            try Output.json(diff)
            return
        }
        let from = diff.from.map { "\($0.ref ?? "") (\($0.shortSHA))" } ?? "nothing"
        let to = diff.to.map { "\($0.ref ?? "") (\($0.shortSHA))" } ?? "removal"
        Output.line("\(diff.workspace)  \(diff.plugin)  \(Output.paintState(diff.kind.rawValue))  \(from) -> \(to)")
        Output.line("verdict: \(Output.paintState(diff.verdict)) (\(diff.why))")
        if diff.modifiedLocally {
            Output.line(Output.paint("modified", .red) + ": plugins/\(diff.plugin) no longer matches its stamp (edited in place); the changes below are against the edited tree, and apply refuses it without --force")
        }
        for path in diff.changes.added { Output.line("  \(Output.paint("A", .green)) \(path)") }
        for path in diff.changes.removed { Output.line("  \(Output.paint("D", .red)) \(path)") }
        for path in diff.changes.modified { Output.line("  \(Output.paint("M", .yellow)) \(path)") }
        if diff.changes.added.isEmpty, diff.changes.removed.isEmpty, diff.changes.modified.isEmpty { Output.line("  no file changes") }
        if let text = diff.patch, !text.isEmpty { Output.line(text) }
    }
}
