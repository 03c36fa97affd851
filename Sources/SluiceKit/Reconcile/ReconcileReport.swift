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
    /// Subscriptions resolved to the commit already installed (nothing to queue or keep).
    public var inSync = 0
    /// Workspaces whose manifest is invalid.
    public var workspaceFailures: [WorkspaceFailure] = []
    /// Sources that could not be reached.
    public var sourceFailures: [SourceFailure] = []
    /// Subscriptions that could not be resolved.
    public var subscriptionFailures: [SubscriptionFailure] = []
    /// Queue files that could not be read.
    public var queueProblems: [String] = []
    /// Targets waiting for their subscription's `min-age`, soonest first.
    public var soaking: [SoakingTarget] = []
    /// Seconds the pass took.
    public var seconds: Double = 0
    /// Where those seconds went, by phase.
    public var phases = PassPhases()

    /// Creates an empty report.
    public init() {}

    /// Whether anything failed.
    public var hasFailures: Bool {
        !workspaceFailures.isEmpty || !sourceFailures.isEmpty || !subscriptionFailures.isEmpty
    }

    /// The summary printed at the end of a pass: what became of each subscription (these add up
    /// to the subscriptions), then what happened to pending files of no subscription.
    public var summary: String {
        let failures = workspaceFailures.count + sourceFailures.count + subscriptionFailures.count
        var line = "reconcile: " + [
            Self.count(workspaces, "workspace"), Self.count(subscriptions, "subscription"), Self.count(sources, "source"),
        ].joined(separator: ", ")
        line += " (\(inSync) in sync, \(queued.count) queued, \(replaced.count) replaced, \(unchanged) unchanged, \(suppressed) suppressed)"
        line += ", \(withdrawn.count) withdrawn, \(failures) failed"
        return line
    }

    /// What the summary's words mean, printed under it when one of them is not zero.
    public var legend: String? {
        var parts: [String] = []
        if unchanged > 0 { parts.append("unchanged: already pending for the same target, file left as it was") }
        if suppressed > 0 { parts.append("suppressed: drift not queued because its target is rejected, already approved or still soaking (min-age)") }
        if !withdrawn.isEmpty { parts.append("withdrawn: pending files removed because their drift is gone") }
        return parts.isEmpty ? nil : "  " + parts.joined(separator: "; ")
    }

    /// `1 source`, `2 sources`.
    static func count(_ value: Int, _ noun: String) -> String {
        "\(value) \(noun)\(value == 1 ? "" : "s")"
    }
}

extension PlanAction {
    /// The plugin the action is about.
    var plugin: String {
        switch self {
        case .queue(let record, _): return record.plugin
        case .keep(let plugin, _), .withdraw(let plugin, _, _), .suppressed(let plugin, _), .failed(let plugin, _): return plugin
        }
    }
}
