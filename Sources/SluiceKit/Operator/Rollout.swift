import Foundation

/// Where one target of one plugin (a `(plugin, to.sha)` group) stands in its rollout, read from
/// the queue: its canary in `approved/` or `applying/`, its outcomes in `applied/` and `failed/`,
/// and the pending files still waiting for it.
///
/// Any record of that plugin and `to.sha` counts, in any workspace and however it was approved
/// (`--canary`, a plain `mv`, `sluice install`): what matters is whether that exact commit has
/// been installed somewhere and how the last attempt ended.
public struct Rollout: Sendable, Codable, Hashable {
    /// The stage of the rollout.
    public enum Stage: String, Sendable, Codable, Hashable {
        /// Nothing of this target was approved yet.
        case noCanary = "no-canary"
        /// Approved (or being applied) somewhere, no outcome yet; or a retry approved after a failure.
        case canaryPending = "canary-pending"
        /// Applied somewhere; other workspaces still wait in `pending/`.
        case canaryApplied = "canary-applied"
        /// The last attempt failed.
        case canaryFailed = "canary-failed"
        /// Applied somewhere and nothing waits in `pending/` any more.
        case fannedOut = "fanned-out"
    }

    /// The stage.
    public var stage: Stage
    /// The workspace of the last attempt (or of the approved canary).
    public var workspace: String?
    /// When the target was first applied (the start of the soak), ISO 8601 in UTC.
    public var appliedAt: String?
    /// When the last attempt failed, ISO 8601 in UTC.
    public var failedAt: String?
    /// Why the last attempt failed.
    public var reason: String?
    /// The id of the last failed attempt.
    public var failedID: String?
    /// How many workspaces have an applied outcome for this target.
    public var applied: Int

    /// Reads the stage from a target's history.
    ///
    /// - Parameters:
    ///   - history: Records of the plugin and target in `approved/`, `applying/`, `applied/`, `failed/`.
    ///   - waiting: How many pending files still wait for this target.
    public init(history: [(folder: QueueFolder, entry: QueueEntry)], waiting: Int) {
        let outcomes = history.compactMap { item -> (record: UpdateRecord, outcome: Outcome)? in
            guard item.folder == .applied || item.folder == .failed, let outcome = item.entry.record.outcome else { return nil }
            return (item.entry.record, outcome)
        }
        let inFlight = history.filter { $0.folder == .approved || $0.folder == .applying }
        let appliedOutcomes = outcomes.filter { $0.outcome.result == .applied }
        applied = Set(appliedOutcomes.map(\.record.workspace)).count
        appliedAt = appliedOutcomes.map(\.outcome.at).min()
        let last = outcomes.max { $0.outcome.at < $1.outcome.at }
        workspace = last?.record.workspace ?? inFlight.first?.entry.record.workspace
        switch last?.outcome.result {
        case nil:
            stage = inFlight.isEmpty ? .noCanary : .canaryPending
        case .failed?:
            stage = inFlight.isEmpty ? .canaryFailed : .canaryPending
            failedAt = last?.outcome.at
            reason = last?.outcome.reason
            failedID = last?.record.id
            if !inFlight.isEmpty { workspace = inFlight.first?.entry.record.workspace }
        case .applied?:
            stage = waiting == 0 ? .fannedOut : .canaryApplied
        }
    }

    /// A few words for a table: `canary applied 2026-12-01T09:25:02Z in team-a/canary`.
    public var summary: String {
        switch stage {
        case .noCanary: return "no canary yet"
        case .canaryPending: return "canary pending" + (workspace.map { " in \($0)" } ?? "")
        case .canaryApplied: return "canary applied \(appliedAt ?? "")" + (workspace.map { " in \($0)" } ?? "")
        case .canaryFailed: return "canary failed \(failedAt ?? "")" + (workspace.map { " in \($0)" } ?? "")
        case .fannedOut: return "fanned out (\(applied) applied)"
        }
    }

    /// One plugin moving to one commit: what a rollout is about.
    public struct Target: Sendable, Hashable {
        /// Plugin name.
        public var plugin: String
        /// The target's full SHA.
        public var sha: String

        /// Creates a target.
        public init(plugin: String, sha: String) {
            self.plugin = plugin
            self.sha = sha
        }
    }

    /// Reads the rollout of each of `targets` from the queue, as
    /// ``read(plugin:sha:store:pending:)`` reads one, with one pass over `pending` and one
    /// listing per queue folder for all of them.
    ///
    /// - Parameter pending: The pending files (to count what still waits for each target).
    public static func read(_ targets: Set<Target>, store: QueueStore, pending: [QueueEntry]) -> [Target: Rollout] {
        guard !targets.isEmpty else { return [:] }
        var waiting: [Target: Int] = [:]
        for entry in pending {
            guard let sha = entry.record.to?.sha else { continue }
            let target = Target(plugin: entry.record.plugin, sha: sha)
            if targets.contains(target) { waiting[target, default: 0] += 1 }
        }
        return read(targets, store: store, waiting: waiting)
    }

    /// Reads the rollout of each of `targets` as ``read(_:store:pending:)`` does, with the
    /// pending files already counted per target (`waiting`; a target it lacks has none).
    public static func read(_ targets: Set<Target>, store: QueueStore, waiting: [Target: Int]) -> [Target: Rollout] {
        guard !targets.isEmpty else { return [:] }
        let histories = store.records(of: targets, in: [.approved, .applying, .applied, .failed])
        var rollouts: [Target: Rollout] = [:]
        for target in targets { rollouts[target] = Rollout(history: histories[target] ?? [], waiting: waiting[target] ?? 0) }
        return rollouts
    }

    /// Reads the rollout of `plugin` moving to `sha` from the queue.
    ///
    /// - Parameter pending: The pending files (to count what still waits for the target).
    public static func read(plugin: String, sha: String, store: QueueStore, pending: [QueueEntry]) -> Rollout {
        let waiting = pending.filter { $0.record.plugin == plugin && $0.record.to?.sha == sha }.count
        return Rollout(history: store.records(plugin: plugin, targetSHA: sha, in: [.approved, .applying, .applied, .failed]), waiting: waiting)
    }
}
