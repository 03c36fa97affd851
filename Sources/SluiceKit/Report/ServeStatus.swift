import Foundation

/// What a running `sluice serve` last did: `<state>/serve-status.json`, written atomically after
/// every pass, for `sluice status` and for people.
public struct ServeStatus: Sendable, Codable, Hashable {
    /// One pass.
    public struct Pass: Sendable, Codable, Hashable {
        /// `full` (scheduled or at start) or `webhook`.
        public var scope: String
        /// `ok`, `partial` (something failed), `error` (the pass could not run) or `interrupted` (shutdown).
        public var result: String
        /// When it started, ISO 8601 UTC.
        public var started: String
        /// Seconds it took.
        public var seconds: Double
        /// The reconcile summary line.
        public var summary: String
        /// Sources it left out because they are backing off.
        public var skipped: [String]
        /// For a webhook pass, the sources it covered.
        public var sources: [String]?

        /// Creates a pass (the service records one after each pass).
        package init(scope: String, result: String, started: String, seconds: Double, summary: String, skipped: [String], sources: [String]?) {
            self.scope = scope
            self.result = result
            self.started = started
            self.seconds = seconds
            self.summary = summary
            self.skipped = skipped
            self.sources = sources
        }
    }

    /// One source that is backing off.
    public struct Source: Sendable, Codable, Hashable {
        /// The git URL.
        public var source: String
        /// Consecutive failed listings.
        public var failures: Int
        /// When scheduled passes list it again, ISO 8601 UTC.
        public var retryAt: String
        /// The last failure's reason.
        public var reason: String

        /// Creates a source entry.
        package init(source: String, failures: Int, retryAt: String, reason: String) {
            self.source = source
            self.failures = failures
            self.retryAt = retryAt
            self.reason = reason
        }
    }

    /// The file's name in the state folder.
    public static let fileName = "serve-status.json"

    /// Format version of this file.
    public var format = 1
    /// The serving process.
    public var pid: Int32
    /// When it started, ISO 8601 UTC.
    public var started: String
    /// When this file was written, ISO 8601 UTC.
    public var updated: String
    /// The address it listens on (`host:port`, the bound port once known).
    public var listen: String
    /// Whether the first pass has finished.
    public var ready: Bool
    /// Whether approved files are applied.
    public var apply: Bool
    /// The scheduled interval in seconds.
    public var intervalSeconds: Double
    /// Passes finished since start.
    public var passes: Int
    /// The last pass, if any.
    public var lastPass: Pass?
    /// Failing sources, sorted.
    public var sources: [Source]
    /// Why `serve --git` stopped following the root's remote branch, if it did.
    public var gitStopped: String?
    /// Set by `sluice status`, never by `serve`: the file describes a service that is gone.
    public var stale: Bool?
    /// Why the file is stale.
    public var staleReason: String?

    /// Creates the status of a serving process.
    package init(pid: Int32, started: String, updated: String, listen: String, ready: Bool, apply: Bool,
                 intervalSeconds: Double, passes: Int, lastPass: Pass?, sources: [Source], gitStopped: String? = nil) {
        self.pid = pid
        self.started = started
        self.updated = updated
        self.listen = listen
        self.ready = ready
        self.apply = apply
        self.intervalSeconds = intervalSeconds
        self.passes = passes
        self.lastPass = lastPass
        self.sources = sources
        self.gitStopped = gitStopped
    }

    /// Reads the file of a root, or nil when there is none or it cannot be read.
    public static func read(layout: RootLayout) -> ServeStatus? {
        guard let data = FileManager.default.contents(atPath: layout.state + "/" + fileName) else { return nil }
        return try? JSONDecoder().decode(ServeStatus.self, from: data)
    }

    /// Writes the file atomically.
    /// Why this file no longer describes a running service, if it does not: its process is
    /// gone (`kill(pid, 0)` fails with `ESRCH`), or it was last updated more than two intervals
    /// before `now` (a running service rewrites it after every pass).
    ///
    /// - Parameters:
    ///   - now: The time to measure the last update against.
    ///   - isRunning: Whether a process id is alive; the default asks the kernel.
    /// - Returns: the reason, or nil when the file is current.
    public func staleness(now: Date = Date(), isRunning: (Int32) -> Bool = ServeStatus.isRunning) -> String? {
        if !isRunning(pid) { return "the service (pid \(pid)) is not running; its last update was at \(updated)" }
        if let updated = Timestamp.date(updated), now.timeIntervalSince(updated) > 2 * intervalSeconds {
            return "not updated since \(self.updated), more than two intervals (2 × \(Int(intervalSeconds)) s) ago"
        }
        return nil
    }

    /// Whether process `pid` exists: `kill(pid, 0)` succeeds or fails with `EPERM` (another user's).
    public static func isRunning(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno != ESRCH
    }

    /// This file as `sluice status` shows it: marked stale, with the reason, when it is.
    public func checked(now: Date = Date(), isRunning: (Int32) -> Bool = ServeStatus.isRunning) -> ServeStatus {
        var copy = self
        copy.staleReason = staleness(now: now, isRunning: isRunning)
        copy.stale = copy.staleReason != nil
        return copy
    }

    package func write(layout: RootLayout) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try FileManager.default.createDirectory(atPath: layout.state, withIntermediateDirectories: true)
        try AtomicFile.write(try encoder.encode(self) + Data("\n".utf8), to: layout.state + "/" + Self.fileName)
    }
}
