import ArgumentParser
import SluiceKit

/// The `sluice` command: parses arguments and calls SluiceKit; no logic lives here.
@main
struct Sluice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Keep plugin installs in step with upstream git releases, with operator approval.",
        discussion: """
        Workspaces declare subscriptions in plugins.yaml. 'reconcile' queues drift as files in \
        updates/pending/; an operator approves by moving a file to updates/approved/; 'apply' \
        installs exactly the approved commit.

        Exit codes: 0 success; 1 some workspace, source or update failed (the rest was done); \
        2 the root or sluice.yaml is unusable; 64 usage error.

        First run: 'sluice demo' ('swift run sluice demo' in a checkout). Contract: spec/README.md (installed: <prefix>/share/doc/sluice/spec).
        """,
        version: "0.1.0",
        subcommands: [
            DemoCommand.self, ReconcileCommand.self, PendingCommand.self, StatusCommand.self, ApplyCommand.self, InstallCommand.self, RollbackCommand.self,
            ApproveCommand.self, RejectCommand.self, HoldCommand.self, UnholdCommand.self, DiffCommand.self, CheckCommand.self, InitCommand.self, ServeCommand.self, SyncCommand.self,
        ]
    )

    /// Runs the command; output that could not be written (a full disk) makes the exit status 1
    /// when the command would otherwise have succeeded, as for cat(1).
    static func main() async {
        refuseUnknownHelpTopic(Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try parseAsRoot()
            if !(command is ServeCommand) { FreeMemory.growInLargeSteps() }
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            if StandardStream.failedWrites(.output) > 0, exitCode(for: error) == .success { exit(withError: ExitCode.failure) }
            exit(withError: error)
        }
        if StandardStream.failedWrites(.output) > 0 { exit(withError: ExitCode.failure) }
    }

    /// `sluice help nope` would print the top help and exit 0, as if the topic existed.
    private static func refuseUnknownHelpTopic(_ arguments: [String]) {
        guard arguments.first == "help", let topic = arguments.dropFirst().first, !topic.hasPrefix("-") else { return }
        let names = configuration.subcommands.compactMap { $0.configuration.commandName }
        guard !names.contains(topic), topic != "help" else { return }
        StandardStream.write("sluice: unknown command '\(topic)'; the commands are: \(names.joined(separator: ", "))\n", to: .error)
        exit(withError: ExitCode.failure)
    }
}
