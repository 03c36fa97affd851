import SluiceKit

/// The answer of `GET /admin/plugin-updates/:id`: where an update is and what its record says.
public struct AdminUpdate: Sendable, Encodable {
    /// One file that holds the update.
    public struct File: Sendable, Encodable, Hashable {
        /// The queue folder (`pending`, `approved`, …).
        public var folder: String
        /// The file, relative to the root.
        public var file: String
    }

    /// Always `found`.
    public var status = "found"
    /// The update's id.
    public var id: String
    /// The folder the update is in now: the first of pending, approved, applying, applied,
    /// rejected, failed that holds it.
    public var folder: String
    /// Every file that holds the update, in that order (outcomes oldest first).
    public var files: [File]
    /// The record of the newest file in `folder`, when it can be read.
    public var record: UpdateRecord?
    /// Its outcome, when it has one (in `applied/` or `failed/`).
    public var outcome: Outcome?
    /// Why the record cannot be read, when it cannot.
    public var problem: String?

    init(id: String, folder: String, files: [File], record: UpdateRecord?, outcome: Outcome?, problem: String?) {
        self.id = id
        self.folder = folder
        self.files = files
        self.record = record
        self.outcome = outcome
        self.problem = problem
    }
}
