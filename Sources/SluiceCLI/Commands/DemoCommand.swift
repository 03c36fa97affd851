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
        a few workspaces (some with plugins already installed), and queues the drift it finds. \
        The examples are found in ./examples, next to the installed binary \
        (<prefix>/share/sluice/examples, as scripts/install.sh lays them out), or in the checkout \
        the binary was built from.

        Example:
          sluice demo
          sluice demo --into /tmp/sluice-demo
        """
    )

    @Option(help: ArgumentHelp("The bundled examples folder (default: found, see above).", valueName: "path"), completion: .directory)
    var examples: String?

    @Option(help: ArgumentHelp("Where to lay out the demo (replaced if it is an earlier demo).", valueName: "path"), completion: .directory)
    var into: String = "sluice-demo"

    @Option(name: .long, help: ArgumentHelp("Lowest log level written to standard error.", valueName: "level"), completion: Completion.logLevels)
    var logLevel: String = "warning"

    @Flag(help: "Print the demo's reconcile report as JSON, with the demo root and upstream folders.")
    var json = false

    /// What `demo --json` prints.
    struct Report: Encodable {
        var root: String
        var upstream: String
        var reconcile: ReconcileReport
    }

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level '\(logLevel)' is unknown; use trace, debug, info, notice, warning or error")
        }
        LoggingBootstrap.once(level: level, format: .logfmt)
        let logger = Logger(label: "sluice")
        guard let examples = examples ?? Self.findExamples() else {
            Output.error("cannot find the bundled examples (./examples, \(Self.installedExamples ?? "<prefix>/share/sluice/examples"), or the source checkout); pass --examples <path>")
            throw ExitCode(2)
        }
        let builder = DemoBuilder(examples: examples, destination: into, git: Git(transports: [.file]))
        do {
            try await builder.build()
        } catch let error as SluiceError {
            Output.error(error.description)
            throw ExitCode(2)
        }
        let layout = try RootLayout.load(root: builder.root)
        let report = try await Reconciler(layout: layout, git: Git(transports: layout.config.sources.transports), logger: logger).run()
        if json {
            try Output.json(Report(root: builder.root, upstream: builder.upstream, reconcile: report))
            if report.hasFailures { throw ExitCode(1) }
            return
        }
        ReconcileCommand.printReport(report)
        let pending = PendingReport(entries: QueueStore(layout: layout).read(.pending).entries)
        Output.line("")
        Output.line("Demo root: \(builder.root)")
        Output.line("Upstream repositories: \(builder.upstream)")
        Output.line("")
        for group in pending.groups {
            for item in group.items {
                let warning = item.warning.map { "  ! \($0)" } ?? ""
                Output.line(Output.fit("  pending  \(item.workspace)  \(group.plugin)  \(item.kind.rawValue)  \(Output.point(item.from)) -> \(Output.point(group.to))\(warning)"))
            }
        }
        let root = builder.root
        let sluice = Self.invocation
        Output.line("""

        What next:
          ls \(root)/updates/pending/                      # one YAML file per (workspace, plugin)
          \(sluice) pending --root \(root)          # the queue, grouped by plugin and target
          \(sluice) status --root \(root)           # every workspace's plugins and their state
          mv \(root)/updates/pending/<id>.yaml \(root)/updates/approved/   # approve one update
        """)
        if report.hasFailures { throw ExitCode(1) }
    }

    /// This process's executable, with links resolved.
    private static var executable: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    }

    /// How the operator runs this binary: `swift run sluice` from a build folder, else `sluice`.
    static var invocation: String {
        executable.path.contains("/.build/") ? "swift run sluice" : "sluice"
    }

    /// `<prefix>/share/sluice/examples` for a binary installed as `<prefix>/bin/sluice`.
    static var installedExamples: String? {
        let bin = executable.deletingLastPathComponent()
        return bin.lastPathComponent == "bin" ? bin.deletingLastPathComponent().path + "/share/sluice/examples" : nil
    }

    /// The first folder holding the bundled examples: the current folder's, the installed copy,
    /// then the source checkout this binary was built from.
    static func findExamples() -> String? {
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path + "/examples"
        let candidates = ["examples", installedExamples, checkout].compactMap { $0 }
        return candidates.first { candidate in
            ["sources", "root"].allSatisfy { FileManager.default.fileExists(atPath: candidate + "/" + $0) }
        }
    }
}
