import Foundation

/// What one notification says: the JSON body of the webhook POST and the standard input of the
/// after-queue command (the same document for both).
///
/// `text` is one human line that chat incoming webhooks (Slack, Mattermost, Rocket.Chat) show
/// as it is; the rest is for programs.
public struct NotificationPayload: Sendable, Codable, Hashable {
    /// One pending update queued, replaced or withdrawn, or one update applied or failed.
    public struct Change: Sendable, Codable, Hashable {
        /// `queued`, `replaced`, `withdrawn`, `applied` or `failed`.
        public var change: String
        /// The update's id, when known.
        public var id: String?
        /// The workspace's path relative to the root.
        public var workspace: String?
        /// The plugin's name.
        public var plugin: String?
        /// The update's kind (`install`, `update`, `retag`, ...), when the record was read.
        public var kind: String?
        /// What was installed when the update was detected.
        public var from: RefPoint?
        /// What the update installs; nil for a removal.
        public var to: RefPoint?
        /// The record's warning (retag, downgrade, unstamped folder).
        public var warning: String?
        /// `hot` or `restart`, for an applied update.
        public var verdict: String?
        /// Why an update failed, or why a pending file was withdrawn.
        public var reason: String?

        /// Creates a change.
        public init(change: String, id: String?, workspace: String?, plugin: String?, kind: String? = nil, from: RefPoint? = nil, to: RefPoint? = nil,
                    warning: String? = nil, verdict: String? = nil, reason: String? = nil) {
            self.change = change
            self.id = id
            self.workspace = workspace
            self.plugin = plugin
            self.kind = kind
            self.from = from
            self.to = to
            self.warning = warning
            self.verdict = verdict
            self.reason = reason
        }

        /// A pending file written or removed by a pass, described from its record.
        public init(_ change: String, record: UpdateRecord, reason: String? = nil) {
            self.init(change: change, id: record.id, workspace: record.workspace, plugin: record.plugin, kind: record.kind.rawValue,
                      from: record.from, to: record.to, warning: record.warning, reason: reason)
        }
    }

    /// One line for people.
    public var text: String
    /// `queue` or `apply`.
    public var event: NotifyConfig.Event
    /// The root, absolute.
    public var root: String
    /// How many changes of each kind (`queued`, `replaced`, `withdrawn`; or `applied`, `failed`).
    public var counts: [String: Int]
    /// Every change, in the order it happened.
    public var changes: [Change]

    /// The payload of `changes`, with its counts and its line.
    public init(event: NotifyConfig.Event, root: String, changes: [Change]) {
        self.event = event
        self.root = root
        self.changes = changes
        let words = event == .queue ? ["queued", "replaced", "withdrawn"] : ["applied", "failed"]
        var counts: [String: Int] = [:]
        for word in words { counts[word] = changes.filter { $0.change == word }.count }
        self.counts = counts
        self.text = Self.line(event: event, root: root, counts: counts, words: words, warnings: changes.filter { $0.warning != nil }.count)
    }

    /// `sluice: 3 updates queued, 1 replaced in /srv/root — run `sluice pending``.
    static func line(event: NotifyConfig.Event, root: String, counts: [String: Int], words: [String], warnings: Int) -> String {
        var parts: [String] = []
        for word in words {
            let count = counts[word] ?? 0
            guard count > 0 else { continue }
            parts.append(parts.isEmpty ? "\(count) \(count == 1 ? "update" : "updates") \(word)" : "\(count) \(word)")
        }
        var line = "sluice: " + (parts.isEmpty ? "nothing changed" : parts.joined(separator: ", "))
        if warnings > 0 { line += " (\(warnings) with a warning)" }
        line += " in \(root)"
        switch event {
        case .queue: line += (counts["queued", default: 0] + counts["replaced", default: 0] > 0) ? " — run `sluice pending`" : ""
        case .apply: line += counts["failed", default: 0] > 0 ? " — run `sluice status`; failed updates are in failed/" : ""
        }
        return line
    }

    /// The payload as compact JSON with sorted keys, as it is posted and signed.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
