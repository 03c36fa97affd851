/// What one `sluice apply` run did, per update file.
public struct ApplyReport: Sendable, Codable {
    /// One update file's fate.
    public struct Item: Sendable, Codable, Hashable {
        /// The file name.
        public var file: String
        /// The update's id, when the record could be read.
        public var id: String?
        /// Workspace path relative to the root.
        public var workspace: String?
        /// Plugin name.
        public var plugin: String?
        /// `applied`, `failed`, `skipped` (another apply took it) or `would-apply` (dry run).
        public var result: String
        /// `hot` or `restart` for an applied update.
        public var verdict: String?
        /// Why the classifier chose the verdict, or why it failed.
        public var reason: String?
        /// Set when the outcome could not be written to `applied/` or `failed/`: the error, and
        /// that the claim stays in `applying/` for the next run (which records it). What
        /// `result` says was done to the plugin was done.
        public var unrecorded: String?

        /// The outcome recorded for this file, when one was (nil for `skipped` and `would-apply`).
        public var outcome: Outcome.Result? { Outcome.Result(rawValue: result) }
    }

    /// Every file looked at, in the order processed.
    public var items: [Item] = []
    /// Distinct commits fetched from upstream in this run.
    public var fetches = 0

    /// Creates an empty report.
    public init() {}

    /// Whether any update failed or its outcome could not be recorded.
    public var hasFailures: Bool { items.contains { $0.result == "failed" || $0.unrecorded != nil } }

    /// The one-line summary.
    public var summary: String {
        let count = { (result: String) in self.items.filter { $0.result == result }.count }
        var parts = ["\(count("applied")) applied", "\(count("failed")) failed"]
        if count("skipped") > 0 { parts.append("\(count("skipped")) skipped") }
        if count("would-apply") > 0 { parts.append("\(count("would-apply")) would apply") }
        let unrecorded = items.filter { $0.unrecorded != nil }.count
        if unrecorded > 0 { parts.append("\(unrecorded) not recorded") }
        return "apply: " + parts.joined(separator: ", ")
    }
}
