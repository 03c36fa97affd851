import ArgumentParser
import Foundation
import SluiceKit

/// The arguments of `hold` and `unhold`.
struct HoldArguments: ParsableArguments {
    @Argument(help: ArgumentHelp("Workspace path relative to the root.", valueName: "workspace"), completion: .custom(Completion.workspaces))
    var workspace: String

    @Argument(help: ArgumentHelp("Plugin name.", valueName: "plugin"), completion: .custom(Completion.plugins))
    var plugin: String

    @Flag(help: "Print the result as JSON.")
    var json = false

    /// Sets `hold` and prints what changed.
    func run(_ hold: Bool, global: GlobalOptions) async throws {
        _ = global.logger()
        let layout = try global.layout()
        let result: HoldSetting.Result
        do {
            result = try await HoldSetting.set(hold, workspace: workspace, plugin: plugin, layout: layout)
        } catch let error as SluiceError {
            Output.error(error.description)
            throw ExitCode(1)
        }
        if json {
            try Output.json(result)
            return
        }
        switch (hold, result.changed) {
        case (true, true): Output.line("held '\(plugin)' in \(result.file) (hold: true); the next reconcile withdraws its pending update and queues nothing")
        case (true, false): Output.line("'\(plugin)' is already held in \(result.file); nothing changed")
        case (false, true): Output.line("'\(plugin)' in \(result.file) is no longer held; the next 'sluice reconcile' queues its drift")
        case (false, false): Output.line("'\(plugin)' is not held in \(result.file); nothing changed")
        }
    }
}

struct HoldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hold",
        abstract: "Freeze a plugin: set 'hold: true' on its entry in plugins.yaml (comments kept).",
        discussion: """
        The subscription stays; the next reconcile withdraws its pending update and queues \
        nothing until 'sluice unhold'. Only the hold value is edited; the rest of the file stays \
        as written. Exit status 1 when the workspace or entry does not exist.

        Example:
          sluice hold team-a/reno-stars five-axis-review
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var arguments: HoldArguments

    func run() async throws {
        try await arguments.run(true, global: global)
    }
}

struct UnholdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unhold",
        abstract: "Lift a hold: set 'hold: false' on the plugin's entry in plugins.yaml (comments kept).",
        discussion: """
        The next reconcile queues the drift again. An entry without 'hold' is left alone.

        Example:
          sluice unhold team-a/reno-stars five-axis-review
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var arguments: HoldArguments

    func run() async throws {
        try await arguments.run(false, global: global)
    }
}
