import ArgumentParser
import Foundation
import Logging
import SluiceKit
import Synchronization

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The root folder holding workspaces and the queue.", valueName: "path"), completion: .directory)
    var root: String = "."

    @Option(name: .long, help: ArgumentHelp("Lowest log level written to standard error (trace, debug, info, notice, warning, error).", valueName: "level"),
            completion: Completion.logLevels)
    var logLevel: String = "warning"

    @Option(name: .long, help: ArgumentHelp("Log line format: logfmt or json.", valueName: "format"), completion: .list(["logfmt", "json"]))
    var logFormat: String = "logfmt"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level '\(logLevel)' is unknown; use trace, debug, info, notice, warning or error")
        }
        guard LogfmtLogHandler.Format(rawValue: logFormat) != nil else {
            throw ValidationError("--log-format '\(logFormat)' is unknown; use logfmt or json")
        }
    }

    /// Bootstraps logging once and returns the command's logger.
    func logger() -> Logger {
        let level = Logger.Level(rawValue: logLevel) ?? .warning
        let format = LogfmtLogHandler.Format(rawValue: logFormat) ?? .logfmt
        LoggingBootstrap.once(level: level, format: format)
        return Logger(label: "sluice")
    }

    /// Loads the root's layout, turning an unusable root into exit status 2 with the reason.
    func layout() throws -> RootLayout {
        do {
            return try RootLayout.load(root: root)
        } catch let error as SluiceKit.ValidationError {
            Output.error("\(error)\nsluice.yaml is invalid; fix the lines above (see spec/formats.md) and run again")
            throw ExitCode(2)
        } catch {
            Output.error("\(error)")
            throw ExitCode(2)
        }
    }

    /// Runs `body`, turning a ``SluiceError`` into exit status 64 (a usage error) or 2 (the root
    /// as a whole is unusable).
    func guarding<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as SluiceError {
            Output.error(error.description)
            if case .usage = error { throw ExitCode(64) }
            throw ExitCode(2)
        }
    }

    /// The git choke point for the layout's transports.
    func git(_ layout: RootLayout) -> Git {
        Git(transports: layout.config.sources.transports)
    }
}

/// Bootstraps swift-log exactly once per process.
enum LoggingBootstrap {
    private static let done = Mutex(false)

    static func once(level: Logger.Level, format: LogfmtLogHandler.Format) {
        let first = done.withLock { value in
            defer { value = true }
            return !value
        }
        guard first else { return }
        LoggingSystem.bootstrap { label in LogfmtLogHandler(label: label, level: level, format: format) }
    }
}
