import ArgumentParser
import Foundation
import SluiceKit

/// The selectors shared by `approve` and `reject`.
struct SelectionOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Update ids or pending file names.", valueName: "id"), completion: .custom(Completion.pendingIDs))
    var ids: [String] = []

    @Option(help: ArgumentHelp("Only updates of this plugin.", valueName: "name"), completion: .custom(Completion.plugins))
    var plugin: String?

    @Option(help: ArgumentHelp("Only updates to this target: a tag or branch name, or a SHA prefix.", valueName: "ref"))
    var to: String?

    @Option(help: ArgumentHelp("Only workspaces whose path matches this shell pattern.", valueName: "glob"), completion: .custom(Completion.workspaces))
    var workspace: String?

    @Flag(help: "Every pending update (still narrowed by the other selectors).")
    var all = false

    @Option(help: ArgumentHelp("Only the first N workspaces (by path) of each plugin-and-target group.", valueName: "N"))
    var canary: Int?

    @Flag(help: "Approve past the canary gate: fan out although the target's canary is not applied, failed or still soaking (approve only).")
    var force = false

    @Flag(help: "Also stage the moves in the git checkout that holds the root.")
    var git = false

    @Flag(help: "Say what would move; move nothing.")
    var dryRun = false

    @Flag(help: "Print what moved as JSON.")
    var json = false

    func validate() throws {
        if ids.isEmpty, plugin == nil, to == nil, workspace == nil, !all {
            throw ValidationError("choose what to move: an id, --plugin, --to, --workspace, or --all")
        }
        if let canary, canary < 1 { throw ValidationError("--canary must be at least 1") }
    }

    /// What `approve` and `reject` print with `--json`.
    struct Report: Encodable {
        /// `approved` or `rejected`.
        var folder: String
        /// Whether nothing was moved because it was a dry run.
        var dryRun: Bool
        /// The files moved (or that would move).
        var moved: [QueueMover.Moved]
        /// Selected files that someone else moved first.
        var vanished: [String]
        /// Groups the canary gate refused (then nothing moved).
        var refused: [CanaryGate.Refusal] = []
    }

    var selection: Selection {
        Selection(ids: ids, plugin: plugin, to: to, workspace: workspace, all: all, canary: canary)
    }

    /// Moves the selection and prints what moved.
    func move(to folder: QueueFolder, global: GlobalOptions) async throws {
        let logger = global.logger()
        let layout = try global.layout()
        let mover = QueueMover(layout: layout, git: global.git(layout), logger: logger)
        let result: (moved: [QueueMover.Moved], vanished: [String])
        do {
            result = try await mover.move(selection, to: folder, stage: git, dryRun: dryRun, force: force)
        } catch let refused as CanaryGate.Refused {
            if json { try Output.json(Report(folder: folder.rawValue, dryRun: dryRun, moved: [], vanished: [], refused: refused.refusals)) }
            for refusal in refused.refusals { Output.error("refused: \(refusal.message)") }
            Output.error("nothing was moved (the canary gate, spec/lifecycle.md#canary-and-fan-out)")
            throw ExitCode(1)
        }
        if json {
            try Output.json(Report(folder: folder.rawValue, dryRun: dryRun, moved: result.moved, vanished: result.vanished))
        } else {
            let verb = folder == .approved ? "approved" : "rejected"
            for item in result.moved {
                let target = item.to.map { "\($0.ref ?? $0.shortSHA) (\($0.shortSHA))" } ?? "removal"
                Output.line(Output.fit("\(dryRun ? "would be \(verb)" : Output.paintState(verb))  \(item.workspace)  \(item.plugin) -> \(target)  \(item.id)"))
            }
            for name in result.vanished { Output.line("gone before it could move (someone else moved it): \(name)") }
            if result.moved.isEmpty || dryRun {
                // An empty selection is reported below, with the exit status; a dry run moved nothing.
            } else if folder == .approved {
                Output.line("\(result.moved.count) approved; 'sluice apply' installs them (or the running service does)")
            } else {
                Output.line("\(result.moved.count) rejected; those exact targets will not be queued again, newer ones will")
            }
        }
        if result.moved.isEmpty {
            // A selector that names nothing is a mistake to report, not a quiet success.
            Output.error("nothing matched in \(QueueStore(layout: layout).displayPath(.pending))/; 'sluice pending' lists what is there")
            throw ExitCode(1)
        }
    }
}

struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Move pending updates into updates/approved/ by selector (canary, then fan out).",
        discussion: """
        Selectors combine: ids, --plugin, --to, --workspace, --all. --canary N approves only the \
        first N workspaces of each group; the same command without --canary approves the rest \
        (fan-out), and is refused until the canary of that plugin and target was applied, did \
        not fail last, and has soaked for apply.canarySoak of sluice.yaml; --force overrides. \
        --canary again after a failed canary is refused too. A plain 'mv' of the file is not \
        gated.

        Example:
          sluice approve --plugin five-axis-review --to v1.1.0 --canary 1
          sluice apply
          sluice approve --plugin five-axis-review --to v1.1.0
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: SelectionOptions
    @OptionGroup var table: TableOptions

    func run() async throws {
        table.configure()
        try await options.move(to: .approved, global: global)
    }
}

struct RejectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject",
        abstract: "Move pending updates into updates/rejected/ by selector.",
        discussion: """
        A rejected target is never queued again for that workspace and plugin; a newer target is.

        Example:
          sluice reject --plugin careful-mode --to v1.0.1 --all
          sluice reject team-b~docs-bot+five-axis-review+e4d3922dbd5a
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: SelectionOptions
    @OptionGroup var table: TableOptions

    func validate() throws {
        // A canary stages an approval; a rejection has nothing to stage.
        if options.canary != nil { throw ValidationError("--canary is for approve only; a rejection applies to every selected workspace") }
        if options.force { throw ValidationError("--force is for approve only (it passes the canary gate); a rejection is never gated") }
    }

    func run() async throws {
        table.configure()
        try await options.move(to: .rejected, global: global)
    }
}
