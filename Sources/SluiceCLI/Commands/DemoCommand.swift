import ArgumentParser
import Foundation
import Logging
import SluiceKit

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build the bundled example offline and run a reconcile pass on it.",
        discussion: """
        Turns examples/sources into real git repositories with tags, lays out examples/root with \
        a few workspaces (some with plugins already installed), and queues the drift it finds.

        Example:
          swift run sluice demo
          swift run sluice demo --into /tmp/sluice-demo
        """
    )

    @Option(help: ArgumentHelp("The bundled examples folder.", valueName: "path"))
    var examples: String = "examples"

    @Option(help: ArgumentHelp("Where to lay out the demo (replaced if it is an earlier demo).", valueName: "path"))
    var into: String = "sluice-demo"

    @Option(name: .long, help: ArgumentHelp("Lowest log level written to standard error.", valueName: "level"))
    var logLevel: String = "warning"

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level '\(logLevel)' is unknown; use trace, debug, info, notice, warning or error")
        }
        LoggingBootstrap.once(level: level, format: .logfmt)
        let logger = Logger(label: "sluice")
        let builder = DemoBuilder(examples: examples, destination: into, git: Git(transports: [.file]))
        do {
            try await builder.build()
        } catch let error as SluiceError {
            Output.error(error.description)
            throw ExitCode(2)
        }
        let layout = try RootLayout.load(root: builder.root)
        let report = try await Reconciler(layout: layout, git: Git(transports: layout.config.sources.transports), logger: logger).run()
        ReconcileCommand.printReport(report)
        let pending = PendingReport(entries: QueueStore(layout: layout).read(.pending).entries)
        Output.line("")
        Output.line("Demo root: \(builder.root)")
        Output.line("Upstream repositories: \(builder.upstream)")
        Output.line("")
        for group in pending.groups {
            for item in group.items {
                let warning = item.warning.map { "  ! \($0)" } ?? ""
                Output.line("  pending  \(item.workspace)  \(group.plugin)  \(item.kind.rawValue)  \(Output.point(item.from)) -> \(Output.point(group.to))\(warning)")
            }
        }
        let root = builder.root
        Output.line("""

        What next:
          ls \(root)/updates/pending/                      # one YAML file per (workspace, plugin)
          swift run sluice pending --root \(root)          # the queue, grouped by plugin and target
          swift run sluice status --root \(root)           # every workspace's plugins and their state
          mv \(root)/updates/pending/<id>.yaml \(root)/updates/approved/   # approve one update
        """)
        if report.hasFailures { throw ExitCode(1) }
    }
}
