import Foundation
import Synchronization

/// The one choke point through which Sluice runs the real `git` executable.
///
/// Every call is non-interactive (no terminal or askpass prompts; ssh in batch mode), has a
/// timeout after which git and its children are killed, and is limited to the transports of the
/// root's ``SourcePolicy`` through `protocol.allow`, so that even a URL that slipped past
/// validation cannot reach `ext::`. Credentials stay with git's own helpers. Every call is
/// counted by subcommand, so tests and benchmarks can prove how many processes a pass started.
public struct Git: Sendable {
    /// The transports git may use.
    public let transports: Set<SourceURL.Transport>
    /// Counts of git processes started, by subcommand.
    public let counter: GitCounter
    /// When set, how many git processes run at once through this value (apply sets
    /// `git.concurrency`, so that processing many updates at once starts no more git than that).
    public var slots: AsyncLimiter?

    /// Creates the choke point.
    public init(transports: Set<SourceURL.Transport>, counter: GitCounter = GitCounter()) {
        self.transports = transports
        self.counter = counter
    }

    /// Runs `git <arguments>` and returns its standard output.
    ///
    /// Internal to `Git/` by convention (checked by `SourceLayoutTests`): callers outside use
    /// the typed operations, so that every git argument list is written in this folder.
    /// - Parameters:
    ///   - arguments: Everything after `git`; URLs must follow a `--` where git accepts one.
    ///   - directory: The working directory, or nil for the current one.
    ///   - timeout: How long git may run before it is killed.
    ///   - environment: Extra variables (for example `GIT_INDEX_FILE`).
    ///   - success: Exit statuses that mean success (`git diff --no-index` exits 1 on a difference).
    /// - Returns: Standard output, whole.
    /// - Throws: ``GitError`` carrying the arguments, the exit status and git's trimmed message;
    ///   a non-zero exit is an error here because every caller needs success to go on.
    @discardableResult
    func run(_ arguments: [String], in directory: String? = nil, timeout: Duration, environment: [String: String] = [:], success: Set<Int32> = [0]) async throws(GitError) -> String {
        let result = try await execute(arguments, in: directory, timeout: timeout, environment: environment.mapValues { Optional($0) })
        guard let code = result.status.exitCode, success.contains(code) else {
            throw GitError(arguments: arguments, status: result.status.exitCode, message: Self.trim(result.standardError), detail: String(result.standardError.prefix(16_384)))
        }
        return result.standardOutput
    }

    /// Runs `git <arguments>` and returns how it ended with both outputs, whatever its exit
    /// status (`verify-tag` reports on standard error, also on success).
    ///
    /// - Throws: ``GitError`` only when git could not run or ran out of time.
    func execute(_ arguments: [String], in directory: String? = nil, timeout: Duration, environment: [String: String?] = [:]) async throws(GitError) -> ProcessRunner.Output {
        guard let slots else { return try await start(arguments, in: directory, timeout: timeout, environment: environment) }
        return try await slots.run { () async throws(GitError) -> ProcessRunner.Output in
            try await start(arguments, in: directory, timeout: timeout, environment: environment)
        }
    }

    /// Starts git and waits for it (``execute(_:in:timeout:environment:)`` without the slots).
    private func start(_ arguments: [String], in directory: String?, timeout: Duration, environment: [String: String?]) async throws(GitError) -> ProcessRunner.Output {
        counter.record(Self.subcommand(of: arguments))
        var variables: [String: String?] = [
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_ASKPASS": "",
            "SSH_ASKPASS": "",
            "LC_ALL": "C",
            "GIT_CONFIG_PARAMETERS": nil,
            "GIT_CONFIG_COUNT": nil,
            // Inherited repository variables (sluice run from a git hook) would redirect every call.
            "GIT_DIR": nil,
            "GIT_WORK_TREE": nil,
            "GIT_INDEX_FILE": nil,
            "GIT_COMMON_DIR": nil,
            "GIT_OBJECT_DIRECTORY": nil,
            "GIT_ALTERNATE_OBJECT_DIRECTORIES": nil,
            "GIT_NAMESPACE": nil,
            "GIT_CEILING_DIRECTORIES": nil,
        ]
        if ProcessInfo.processInfo.environment["GIT_SSH_COMMAND"] == nil {
            variables["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes"
        }
        for (key, value) in environment { variables[key] = value }
        let runner = ProcessRunner(.name("git"), configArguments() + arguments, environment: variables, directory: directory,
                                   timeout: timeout, gracePeriod: .milliseconds(500), output: .text(limit: 256 * 1024 * 1024), errorLimit: 1024 * 1024)
        let result: ProcessRunner.Output
        do {
            result = try await runner.run()
        } catch {
            switch error {
            case .timedOut:
                throw GitError(arguments: arguments, status: nil, message: "timed out after \(timeout.components.seconds) s and was stopped", timedOut: true)
            case .cannotRun(let reason):
                throw GitError(arguments: arguments, status: nil, message: "cannot run git: \(reason)")
            }
        }
        return result
    }

    /// `-c` options that apply to every call.
    private func configArguments() -> [String] {
        // No automatic gc or maintenance: a repack started by one process's fetch would remove
        // packs that another process is reading from the same cache.
        var arguments = ["-c", "protocol.allow=never", "-c", "core.askPass=", "-c", "credential.interactive=false",
                         "-c", "gc.auto=0", "-c", "maintenance.auto=false"]
        for transport in transports.sorted(by: { $0.rawValue < $1.rawValue }) {
            arguments += ["-c", "protocol.\(transport.rawValue).allow=always"]
        }
        return arguments
    }

    /// The git subcommand in `arguments`, past global options such as `-c k=v` and `--git-dir=`.
    static func subcommand(of arguments: [String]) -> String {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "-c" || argument == "-C" {
                index += 2
            } else if argument.hasPrefix("-") {
                index += 1
            } else {
                return argument
            }
        }
        return ""
    }

    static func trim(_ text: String) -> String {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let joined = lines.suffix(5).joined(separator: "; ")
        return joined.count > 600 ? String(joined.prefix(600)) + "..." : joined
    }
}

/// Counts git processes by subcommand; shared by every copy of a ``Git``.
public final class GitCounter: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    /// Creates an empty counter.
    public init() {}

    func record(_ subcommand: String) {
        counts.withLock { $0[subcommand, default: 0] += 1 }
    }

    /// How many `git <subcommand>` processes were started.
    public func count(_ subcommand: String) -> Int {
        counts.withLock { $0[subcommand] ?? 0 }
    }

    /// How many git processes were started in all.
    public var total: Int {
        counts.withLock { $0.values.reduce(0, +) }
    }
}

/// A git call that failed.
public struct GitError: Error, Sendable, CustomStringConvertible {
    /// The arguments after `git` (without the fixed `-c` options).
    public var arguments: [String]
    /// The exit status, or nil when git did not exit normally.
    public var status: Int32?
    /// Git's trimmed standard error, or what went wrong around it.
    public var message: String
    /// Whether the call ran out of time.
    public var timedOut: Bool = false
    /// Git's whole standard error (up to 16 KiB), for callers that look for a specific message.
    public var detail: String = ""

    /// Creates the error.
    public init(arguments: [String], status: Int32?, message: String, timedOut: Bool = false, detail: String = "") {
        self.arguments = arguments
        self.status = status
        self.message = message
        self.timedOut = timedOut
        self.detail = detail.isEmpty ? message : detail
    }

    /// `git ls-remote ... failed (exit 128): fatal: ...`.
    public var description: String {
        let command = (["git"] + arguments).joined(separator: " ")
        let exit = status.map { " (exit \($0))" } ?? ""
        // A URL with a user part never reaches git (SourceURL refuses it), but a message may echo one.
        return SourceURL.redacted("\(command) failed\(exit): \(message.isEmpty ? "no message" : message)")
    }
}
