/// What one reconcile pass did, for the summary line, `--json` and the exit status.
public struct ReconcileReport: Sendable, Codable {
    /// A workspace that could not be reconciled at all (its manifest is invalid).
    public struct WorkspaceFailure: Sendable, Codable, Hashable {
        /// Workspace path relative to the root.
        public var workspace: String
        /// Every problem, located.
        public var diagnostics: [Diagnostic]
    }

    /// A source whose refs could not be listed.
    public struct SourceFailure: Sendable, Codable, Hashable {
        /// The git URL.
        public var source: String
        /// Git's reason.
        public var reason: String
        /// How many subscriptions depend on it.
        public var subscribers: Int
    }

    /// A subscription that could not be resolved (its pending files are left as they are).
    public struct SubscriptionFailure: Sendable, Codable, Hashable {
        /// Workspace path relative to the root.
        public var workspace: String
        /// Plugin name.
        public var plugin: String
        /// Why.
        public var reason: String
    }

    /// Workspaces reconciled (including failed ones).
    public var workspaces = 0
    /// Subscriptions looked at.
    public var subscriptions = 0
    /// Distinct sources listed with `git ls-remote`.
    public var sources = 0
    /// Ids of pending files written for new drift.
    public var queued: [String] = []
    /// Ids of pending files written to replace an older target.
    public var replaced: [String] = []
    /// File names withdrawn from `pending/`.
    public var withdrawn: [String] = []
    /// Pending files already right and left untouched.
    public var unchanged = 0
    /// Drift not queued because its target was rejected or already approved.
    public var suppressed = 0
    /// Workspaces whose manifest is invalid.
    public var workspaceFailures: [WorkspaceFailure] = []
    /// Sources that could not be reached.
    public var sourceFailures: [SourceFailure] = []
    /// Subscriptions that could not be resolved.
    public var subscriptionFailures: [SubscriptionFailure] = []
    /// Queue files that could not be read.
    public var queueProblems: [String] = []
    /// Seconds the pass took.
    public var seconds: Double = 0

    /// Creates an empty report.
    public init() {}

    /// Whether anything failed.
    public var hasFailures: Bool {
        !workspaceFailures.isEmpty || !sourceFailures.isEmpty || !subscriptionFailures.isEmpty
    }

    /// The one-line summary printed at the end of a pass.
    public var summary: String {
        var parts = [
            "\(workspaces) workspaces", "\(subscriptions) subscriptions", "\(sources) sources",
            "\(queued.count) queued", "\(replaced.count) replaced", "\(withdrawn.count) withdrawn", "\(unchanged) unchanged",
        ]
        if suppressed > 0 { parts.append("\(suppressed) suppressed") }
        let failures = workspaceFailures.count + sourceFailures.count + subscriptionFailures.count
        parts.append("\(failures) failed")
        return "reconcile: " + parts.joined(separator: ", ")
    }
}
