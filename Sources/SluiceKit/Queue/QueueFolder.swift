/// The folders of the queue; a record's folder is its state.
public enum QueueFolder: String, Sendable, CaseIterable, Codable {
    /// Detected drift waiting for an operator.
    case pending
    /// Approved by an operator, waiting for apply.
    case approved
    /// Claimed by a running apply.
    case applying
    /// Installed.
    case applied
    /// Apply refused or failed; the record says why.
    case failed
    /// Rejected by an operator; that exact target is never queued again.
    case rejected
}
