import ArgumentParser

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

        First run: 'swift run sluice demo'. Contract: spec/README.md.
        """,
        version: "0.1.0",
        subcommands: [
            DemoCommand.self, ReconcileCommand.self, PendingCommand.self, StatusCommand.self, ApplyCommand.self, InstallCommand.self, RollbackCommand.self,
            ApproveCommand.self, RejectCommand.self, DiffCommand.self, CheckCommand.self, InitCommand.self, ServeCommand.self,
        ]
    )
}
