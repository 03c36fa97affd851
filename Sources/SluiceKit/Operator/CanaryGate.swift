import Foundation

/// The canary gate of `sluice approve`: a target fans out only after its canary was applied,
/// did not fail last, and has soaked for `apply.canarySoak`.
///
/// *Fan-out* is an approve without `--canary` that moves, for one `(plugin, to.sha)` group,
/// either more than one file while nothing of that target was ever approved, or any file while
/// something of it was (its canary). Approving a single file of a target that has no history is
/// that target's canary, as `--canary 1` is. Removals (no `to.sha`) are not gated.
public enum CanaryGate {
    /// One group the approval was refused for.
    public struct Refusal: Sendable, Codable, Hashable, CustomStringConvertible {
        /// Plugin name.
        public var plugin: String
        /// The target.
        public var to: RefPoint
        /// Where the rollout stands.
        public var rollout: Rollout
        /// Why, and what to do instead.
        public var message: String

        /// The message.
        public var description: String { message }
    }

    /// An approval refused as a whole: nothing was moved.
    public struct Refused: Error, Sendable, CustomStringConvertible {
        /// Every refused group.
        public var refusals: [Refusal]

        /// One line per refused group.
        public var description: String { refusals.map(\.message).joined(separator: "\n") }
    }

    /// The groups that may not be approved as selected.
    ///
    /// - Parameters:
    ///   - selected: The pending files the approval would move.
    ///   - pending: Every pending file (to count what still waits per target).
    ///   - canary: The `--canary` count, when given.
    ///   - soak: `apply.canarySoak`, in seconds.
    ///   - now: The time to measure the soak against.
    ///   - history: The target's records in `approved/`, `applying/`, `applied/` and `failed/`.
    /// - Returns: one refusal per refused group; empty when the approval may go ahead.
    public static func refusals(selected: [QueueEntry], pending: [QueueEntry], canary: Int?, soak: Int, now: Date,
                                history: (_ plugin: String, _ sha: String) -> [(folder: QueueFolder, entry: QueueEntry)]) -> [Refusal] {
        var groups: [String: [QueueEntry]] = [:]
        var order: [String] = []
        for entry in selected {
            guard let sha = entry.record.to?.sha else { continue }
            let key = entry.record.plugin + "\u{0}" + sha
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(entry)
        }
        var refusals: [Refusal] = []
        for key in order {
            guard let entries = groups[key], let first = entries.first, let to = first.record.to else { continue }
            let plugin = first.record.plugin
            let waiting = pending.filter { $0.record.plugin == plugin && $0.record.to?.sha == to.sha }.count
            let rollout = Rollout(history: history(plugin, to.sha), waiting: waiting)
            let target = "\(plugin) -> \(to.ref ?? String(to.sha.prefix(12)))"
            let selector = "--plugin \(plugin) --to \(to.ref ?? String(to.sha.prefix(12)))"
            var message: String?
            if canary != nil {
                if rollout.stage == .canaryFailed {
                    message = "\(target): the last canary (\(rollout.workspace ?? "?")) failed at \(rollout.failedAt ?? "?"): \(rollout.reason ?? "see its outcome"); "
                        + "--canary again would pick another workspace. Fix the cause and retry that canary ('sluice apply --force \(rollout.failedID ?? "<id>")', or reconcile and approve it again), or pass --force to canary elsewhere"
                }
            } else {
                switch rollout.stage {
                case .noCanary where entries.count > 1:
                    message = "\(target): no canary has been applied; approve one workspace first ('sluice approve \(selector) --canary 1', then 'sluice apply'), or pass --force to fan out to all \(entries.count) now"
                case .noCanary:
                    message = nil
                case .canaryPending:
                    message = "\(target): the canary (\(rollout.workspace ?? "?")) is approved but not applied yet; run 'sluice apply' and check it, or pass --force"
                case .canaryFailed:
                    message = "\(target): the last canary (\(rollout.workspace ?? "?")) failed at \(rollout.failedAt ?? "?"): \(rollout.reason ?? "see its outcome"); fix it and apply it again before fanning out, or pass --force"
                case .canaryApplied, .fannedOut:
                    if soak > 0, let at = rollout.appliedAt, let applied = try? Date(at, strategy: .iso8601) {
                        let ready = applied.addingTimeInterval(TimeInterval(soak))
                        if ready > now {
                            message = "\(target): the canary was applied at \(at) and apply.canarySoak is \(describe(seconds: soak)); fan out from \(Timestamp.string(ready)) on, or pass --force"
                        }
                    }
                }
            }
            if let message { refusals.append(Refusal(plugin: plugin, to: to, rollout: rollout, message: message)) }
        }
        return refusals
    }

    /// `30m`, `72h`, `7d` or `90s`, the largest unit that divides the value.
    public static func describe(seconds: Int) -> String {
        for (unit, scale) in [("d", 86400), ("h", 3600), ("m", 60)] where seconds % scale == 0 && seconds >= scale {
            return "\(seconds / scale)\(unit)"
        }
        return "\(seconds)s"
    }
}
