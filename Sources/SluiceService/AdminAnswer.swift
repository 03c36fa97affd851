import SluiceKit

/// What an admin API request came to, before it is turned into an HTTP status and a JSON body.
public enum AdminAnswer: Sendable, Hashable {
    /// The update was applied (200).
    case applied(ApplyReport.Item)
    /// The update was tried and failed; its record is in `failed/` (422).
    case failed(ApplyReport.Item)
    /// An earlier approval already applied this id (200, `already_applied`).
    case alreadyApplied
    /// The pending file was moved to `rejected/` (200).
    case rejected
    /// The id was already rejected (200 for a reject, `already_rejected`).
    case alreadyRejected
    /// The pending file was moved to `approved/` (200).
    case approved(QueueMover.Moved)
    /// The request conflicts with where the update is (409); the reason says where.
    case conflict(status: String, reason: String)
    /// No queue folder holds this id (404).
    case notFound
}
