import Foundation
import Subprocess
import Synchronization

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// The one place where Sluice starts a child process: git, the after-apply hook, the after-queue
/// command, and (in tests) the `sluice` binary and `git daemon`.
///
/// Every child gets its own session, so that a timeout or a cancellation stops the whole
/// process group (git's transport helpers, a hook's children), first with SIGTERM and after
/// ``gracePeriod`` with SIGKILL. A non-zero exit is a result, not a thrown error: each caller
/// decides what an exit status means.
public struct ProcessRunner: Sendable {
    /// The program to run.
    public enum Executable: Sendable, Hashable {
        /// Looked up in `PATH`.
        case name(String)
        /// An absolute path.
        case path(String)
    }

    /// What becomes of the child's standard output.
    public enum Capture: Sendable, Hashable {
        /// Thrown away.
        case discard
        /// Kept as UTF-8 text; more than `limit` bytes is a failure to run.
        case text(limit: Int)
    }

    /// How a child ended.
    public enum Status: Sendable, Hashable, CustomStringConvertible {
        /// It exited with this status.
        case exited(Int32)
        /// A signal ended it.
        case signaled(Int32)

        /// `exited(1)` or `signaled(9)`, as swift-subprocess spells it.
        public var description: String {
            switch self {
            case .exited(let code): return "exited(\(code))"
            case .signaled(let signal): return "signaled(\(signal))"
            }
        }

        init(_ status: TerminationStatus) {
            switch status {
            case .exited(let code): self = .exited(Int32(code))
            case .signaled(let signal): self = .signaled(Int32(signal))
            }
        }

        /// The exit status, or nil when a signal ended the child.
        public var exitCode: Int32? {
            if case .exited(let code) = self { return code }
            return nil
        }
    }

    /// A child that ran to its end.
    public struct Output: Sendable {
        /// How it ended.
        public var status: Status
        /// Its standard output (empty when discarded).
        public var standardOutput: String
        /// Its standard error, up to the runner's limit.
        public var standardError: String
    }

    /// Why a child did not run to its end.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// It was still running after the timeout and was stopped.
        case timedOut(Duration)
        /// It could not be started, or its output could not be read.
        case cannotRun(String)

        /// For logs and error messages.
        public var description: String {
            switch self {
            case .timedOut(let timeout): return "timed out after \(timeout.components.seconds) s and was stopped"
            case .cannotRun(let reason): return "cannot run: \(reason)"
            }
        }
    }

    /// The program.
    public var executable: Executable
    /// Its arguments (without the program's name).
    public var arguments: [String]
    /// Variables set (a value) or removed (nil) in the inherited environment.
    public var environment: [String: String?]
    /// The working directory, or nil for the current one.
    public var directory: String?
    /// How long the child may run before its process group is stopped.
    public var timeout: Duration
    /// How long the process group has between SIGTERM and SIGKILL.
    public var gracePeriod: Duration
    /// What becomes of standard output.
    public var output: Capture
    /// How many bytes of standard error are kept.
    public var errorLimit: Int
    /// What the child reads on standard input (``run()`` only), or nil for nothing (`/dev/null`).
    ///
    /// The bytes are handed over in an unlinked temporary file rather than a pipe, so that a
    /// child that never reads them, or exits first, cannot make Sluice write into a closed pipe
    /// (SIGPIPE) or wait on a full one.
    public var input: [UInt8]?

    /// Describes a run; nothing starts until ``run()`` or ``withRunning(_:)``.
    public init(_ executable: Executable, _ arguments: [String], environment: [String: String?] = [:], directory: String? = nil,
                timeout: Duration, gracePeriod: Duration = .milliseconds(500), output: Capture = .text(limit: 1024 * 1024), errorLimit: Int = 1024 * 1024,
                input: [UInt8]? = nil) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.directory = directory
        self.timeout = timeout
        self.gracePeriod = gracePeriod
        self.output = output
        self.errorLimit = errorLimit
        self.input = input
    }

    /// Runs the child to its end, or until ``timeout``.
    ///
    /// - Returns: The exit status and what the child printed; a non-zero exit is a result.
    /// - Throws: ``Failure/timedOut(_:)`` when the child was stopped, ``Failure/cannotRun(_:)``
    ///   when it could not be started or its output exceeded the limit.
    public func run() async throws(Failure) -> Output {
        let configuration = self.configuration
        let output = self.output
        let errorLimit = self.errorLimit
        let input = self.input
        let outcome = await Self.race(timeout) { () async -> Result<Output, Failure> in
            do {
                guard let input else {
                    return .success(try await Self.collect(configuration, input: NoInput.none, output: output, errorLimit: errorLimit))
                }
                let file = try Self.inputFile(input)
                defer { try? file.close() }
                return .success(try await Self.collect(configuration, input: .fileDescriptor(file, closeAfterSpawningProcess: false),
                                                       output: output, errorLimit: errorLimit))
            } catch {
                return .failure(.cannotRun("\(error)"))
            }
        }
        guard let outcome else { throw .timedOut(timeout) }
        return try outcome.get()
    }

    /// Runs the child with `input` on standard input and collects what it prints.
    private static func collect<Input: InputProtocol>(_ configuration: Configuration, input: Input, output: Capture, errorLimit: Int) async throws -> Output {
        switch output {
        case .discard:
            let result = try await Subprocess.run(configuration, input: input, output: .discarded, error: .string(limit: errorLimit))
            return Output(status: Status(result.terminationStatus), standardOutput: "", standardError: result.standardError)
        case .text(let limit):
            let result = try await Subprocess.run(configuration, input: input, output: .string(limit: limit), error: .string(limit: errorLimit))
            return Output(status: Status(result.terminationStatus), standardOutput: result.standardOutput, standardError: result.standardError)
        }
    }

    /// An unlinked temporary file holding `bytes`, open for reading from its start.
    private static func inputFile(_ bytes: [UInt8]) throws -> FileDescriptor {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-input-\(UUID().uuidString)").path
        let file = try FileDescriptor.open(FilePath(path), .readWrite, options: [.create, .exclusiveCreate, .closeOnExec], permissions: .ownerReadWrite)
        try? FileManager.default.removeItem(atPath: path)
        do {
            _ = try file.writeAll(bytes)
            _ = try file.seek(offset: 0, from: .start)
        } catch {
            try? file.close()
            throw error
        }
        return file
    }

    /// Starts the child, runs `body` while it runs, then waits for the child to end.
    ///
    /// For children that run alongside a test (a server, a daemon): `body` reads what the child
    /// printed so far and sends it signals; once `body` returns, the child is waited for (up to
    /// ``timeout``), so `body` stops it first when it would not end by itself. When `body`
    /// throws, or ``timeout`` passes, the process group is stopped.
    /// - Returns: What `body` returned, and how the child ended.
    /// - Throws: What `body` threw, or a ``Failure``.
    public func withRunning<T: Sendable>(_ body: @Sendable (RunningProcess) async throws -> T) async throws -> (value: T, output: Output) {
        let configuration = self.configuration
        let errorLimit = self.errorLimit
        let outputLimit: Int
        switch output {
        case .discard: outputLimit = 0
        case .text(let limit): outputLimit = limit
        }
        let timeout = self.timeout
        // The race's tasks end before `race` returns, so `body` does not outlive this call.
        return try await withoutActuallyEscaping(body) { body in
            let outcome = await Self.race(timeout) { () async -> Result<(value: T, output: Output), any Error> in
                do {
                    let result = try await Subprocess.run(configuration, input: .none, output: .sequence, error: .sequence) { execution in
                        let running = RunningProcess(identifier: execution.processIdentifier.value, send: { signal in
                            try? execution.send(signal: Signal(rawValue: signal), toProcessGroup: false)
                        })
                        return try await withThrowingTaskGroup(of: Void.self) { readers in
                            readers.addTask {
                                for try await buffer in execution.standardOutput { running.append(buffer, toError: false, limit: outputLimit) }
                            }
                            readers.addTask {
                                for try await buffer in execution.standardError { running.append(buffer, toError: true, limit: errorLimit) }
                            }
                            let value: T
                            do {
                                value = try await body(running)
                            } catch {
                                // The readers end only when the child's pipes close: stop it now.
                                try? execution.send(signal: .kill, toProcessGroup: true)
                                throw error
                            }
                            try await readers.waitForAll()
                            return (value, running)
                        }
                    }
                    let (value, running) = result.closureResult
                    let output = Output(status: Status(result.terminationStatus), standardOutput: running.standardOutput, standardError: running.standardError)
                    return .success((value, output))
                } catch {
                    return .failure(error)
                }
            }
            guard let outcome else { throw Failure.timedOut(timeout) }
            return try outcome.get()
        }
    }

    private var configuration: Configuration {
        var options = PlatformOptions()
        options.createSession = true
        options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: gracePeriod)]
        var variables: [Environment.Key: String?] = [:]
        for (key, value) in environment { variables[Environment.Key(stringLiteral: key)] = value }
        let program: Subprocess.Executable
        switch resolvedExecutable {
        case .name(let name): program = .name(name)
        case .path(let path): program = .path(FilePath(path))
        }
        return Configuration(executable: program, arguments: Arguments(arguments), environment: .inherit.updating(variables),
                             workingDirectory: directory.map { FilePath($0) }, platformOptions: options)
    }

    /// The program as it is started: a name found in the child's `PATH` becomes its path.
    ///
    /// swift-subprocess tries a name in each `PATH` folder by spawning a child that fails to
    /// exec until one does (nine children per git call on this machine's `PATH`), so the file
    /// is found here, with a `stat` per folder, and started by its path.
    package var resolvedExecutable: Executable {
        guard case .name(let name) = executable else { return executable }
        let search: String? = if let set = environment["PATH"] { set } else { ProcessInfo.processInfo.environment["PATH"] }
        return Self.locate(name, searchPath: search).map { .path($0) } ?? executable
    }

    /// The first executable regular file named `name` in the folders of `searchPath` (a
    /// `PATH` value), or nil when there is none, or when the search cannot be done here exactly
    /// as swift-subprocess does it (no `PATH`, a relative or empty entry, a name with a slash):
    /// the name is then left to swift-subprocess, which reports a missing program.
    static func locate(_ name: String, searchPath: String?) -> String? {
        guard let searchPath, !searchPath.isEmpty, !name.isEmpty, !name.contains("/") else { return nil }
        for folder in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            guard folder.hasPrefix("/") else { return nil }
            let candidate = folder.hasSuffix("/") ? "\(folder)\(name)" : "\(folder)/\(name)"
            var info = stat()
            if stat(candidate, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, access(candidate, X_OK) == 0 {
                return candidate
            }
        }
        return nil
    }

    /// Runs `work` against a timer; nil when the timer won, in which case `work` was cancelled
    /// (which makes swift-subprocess run the teardown sequence on the child).
    private static func race<R: Sendable>(_ timeout: Duration, _ work: @escaping @Sendable () async -> R) async -> R? {
        await withTaskGroup(of: R?.self) { group in
            group.addTask { await work() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}

/// A child started by ``ProcessRunner/withRunning(_:)``, while it runs.
public final class RunningProcess: Sendable {
    /// The child's process id.
    public let identifier: Int32
    private let send: @Sendable (Int32) -> Void
    private let printed = Mutex<(output: [UInt8], error: [UInt8])>(([], []))

    init(identifier: Int32, send: @escaping @Sendable (Int32) -> Void) {
        self.identifier = identifier
        self.send = send
    }

    /// Sends `signal` (for example `SIGTERM`) to the child.
    public func signal(_ signal: Int32) {
        send(signal)
    }

    /// What the child has written to standard output so far.
    public var standardOutput: String {
        printed.withLock { String(decoding: $0.output, as: UTF8.self) }
    }

    /// What the child has written to standard error so far.
    public var standardError: String {
        printed.withLock { String(decoding: $0.error, as: UTF8.self) }
    }

    func append(_ buffer: SubprocessOutputSequence.Buffer, toError: Bool, limit: Int) {
        let bytes = buffer.withUnsafeBytes { Array($0) }
        printed.withLock { printed in
            if toError {
                printed.error += bytes.prefix(max(0, limit - printed.error.count))
            } else {
                printed.output += bytes.prefix(max(0, limit - printed.output.count))
            }
        }
    }
}
