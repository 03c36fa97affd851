import ArgumentParser
import Foundation
import SluiceKit

struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Swap the most recently retained tree of a plugin back in (an explicit operator command).",
        discussion: """
        The retained tree comes back with its own stamp; the tree it replaces is retained in turn, \
        and the rollback is recorded in updates/applied/. The reconciler will propose the newer \
        target again on its next pass: set 'hold: true' on the entry, or pin it with \
        'track: sha:<the restored SHA>', to keep the rollback.

        Example:
          sluice rollback team-a/reno-stars five-axis-review
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Workspace path relative to the root.", valueName: "workspace"), completion: .custom(Completion.workspaces))
    var workspace: String

    @Argument(help: ArgumentHelp("Plugin name.", valueName: "plugin"), completion: .custom(Completion.plugins))
    var plugin: String

    @Flag(help: "Print the rollback record as JSON.")
    var json = false

    func run() async throws {
        let logger = global.logger()
        let layout = try global.layout()
        let rollback = Rollback(layout: layout, logger: logger)
        do {
            let record = try await rollback.run(workspace: workspace, plugin: plugin)
            if json {
                try Output.json(record)
                return
            }
            let restored = record.to.map { "\($0.ref ?? "") (\($0.shortSHA))" } ?? "an unstamped tree"
            Output.line("rolled back \(plugin) in \(workspace) to \(restored); restart the workspace to load it")
            for skipped in record.outcome?.skipped ?? [] { Output.line("skipped \(skipped)") }
            Output.line("recorded in \(QueueStore(layout: layout).displayPath(record.fileName, in: .applied))")
            let pin = record.to.map { "pin 'track: sha:\($0.shortSHA)'" } ?? "remove the subscription"
            Output.line("to keep it: set 'hold: true' on '\(plugin)' in \(workspace)/plugins.yaml, or \(pin); otherwise the next reconcile proposes the newer target again")
        } catch let error as SluiceError {
            Output.error(error.description)
            throw ExitCode(1)
        }
    }
}
