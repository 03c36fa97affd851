/// What happened when an approved update was applied.
public struct Outcome: Codable, Sendable, Hashable {
    /// Whether the update was installed; the folder it is recorded in has the same name.
    public var result: Result
    /// When, ISO 8601 in UTC.
    public var at: String
    /// `hot` or `restart` for an applied update.
    public var verdict: String?
    /// Why the classifier chose the verdict.
    public var why: String?
    /// Changed paths, for an applied update.
    public var changes: ChangeSummary?
    /// The SHA that was installed before, if any.
    public var previous: String?
    /// Where the previous tree was retained, relative to the root.
    public var retained: String?
    /// Why it failed, in words an operator can act on.
    public var reason: String?
    /// The after-apply hook's result, when one ran and failed.
    public var hook: String?
    /// For a rollback: the newer retained trees passed over because they did not verify
    /// against their stamps (`<path relative to the root>: <why>`).
    public var skipped: [String]?

    /// `applied` or `failed`, as written in the record's YAML.
    public enum Result: String, Codable, Sendable, Hashable, CaseIterable {
        /// The update is installed (or the approved commit already was).
        case applied
        /// Apply refused or failed; `reason` says why.
        case failed
    }

    /// Creates an outcome.
    public init(result: Result, at: String) {
        self.result = result
        self.at = at
    }
}

/// Paths added, removed and modified by an update.
public struct ChangeSummary: Codable, Sendable, Hashable {
    /// Paths only in the new tree.
    public var added: [String]
    /// Paths only in the old tree.
    public var removed: [String]
    /// Paths in both with different content.
    public var modified: [String]

    /// Creates a summary.
    public init(added: [String], removed: [String], modified: [String]) {
        self.added = added
        self.removed = removed
        self.modified = modified
    }
}
