import Synchronization

/// Queue records read by one process, reused while their file is unchanged.
///
/// A record is read again only when its file's ``FileIdentity`` changed. The cache also counts
/// every change it sees in the queue folders (a record read anew, a file gone), so that a pass can
/// tell "the queue is as it was" from one number.
///
/// Records are kept per folder, and a read of a folder replaces that folder's records as a
/// whole (``QueueStore/read(_:cache:)`` builds the new set from the files it found): no lock is
/// taken per file, and a file gone from the folder is forgotten with it. Two reads of one
/// folder at once each count what they read anew; the later one's set is kept. Both only ever
/// cost more reading, never a stale record.
public final class QueueRecordCache: Sendable {
    /// A record (or why it cannot be read) and the identity of the file it was read from.
    typealias Cached = (identity: FileIdentity, result: Result<UpdateRecord, QueueStore.Problem>)

    private let folders = Mutex<[String: [String: Cached]]>([:])
    private let changes = Mutex(0)

    /// Creates an empty cache.
    public init() {}

    /// Counts every change seen in the queue folders (a record read anew, a file gone).
    var generation: Int { changes.withLock { $0 } }

    /// The records of the files of `folder` (an absolute path), by file name.
    func records(in folder: String) -> [String: Cached] {
        folders.withLock { $0[folder] ?? [:] }
    }

    /// Replaces the records of `folder` with `records`, and counts `changes`.
    func replace(_ folder: String, with records: [String: Cached], changes count: Int) {
        folders.withLock { $0[folder] = records }
        if count > 0 { changes.withLock { $0 += count } }
    }
}
