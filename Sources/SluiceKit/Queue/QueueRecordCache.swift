import Synchronization

/// Queue records read by one process, reused while their file is unchanged.
///
/// A record is read again only when its file's ``FileIdentity`` changed. The cache also counts
/// every change it sees in the queue folders (a record read anew, a file gone), so that a pass can
/// tell "the queue is as it was" from one number.
public final class QueueRecordCache: Sendable {
    private let records = Mutex<[String: (FileIdentity, Result<UpdateRecord, QueueStore.Problem>)]>([:])
    private let changes = Mutex(0)

    /// Creates an empty cache.
    public init() {}

    /// Counts every change seen in the queue folders (a record read anew, a file gone).
    var generation: Int { changes.withLock { $0 } }

    /// The record of `path`: the cached one when the file is unchanged, else `load()`'s,
    /// remembered with the file's identity taken before loading.
    func record(_ path: String, load: () -> Result<UpdateRecord, QueueStore.Problem>) -> Result<UpdateRecord, QueueStore.Problem> {
        guard let identity = FileIdentity(path: path) else { return load() }
        if let hit = records.withLock({ $0[path] }), hit.0 == identity { return hit.1 }
        changes.withLock { $0 += 1 }
        let value = load()
        records.withLock { $0[path] = (identity, value) }
        return value
    }

    /// Drops the cached records of files in `folder` that are no longer there, so that a
    /// long-running process does not keep every queue file it ever saw.
    func forgetRecords(in folder: String, keeping present: Set<String>) {
        let removed = records.withLock { cached -> Int in
            let gone = cached.keys.filter { $0.hasPrefix(folder + "/") && !present.contains($0) }
            for path in gone { cached[path] = nil }
            return gone.count
        }
        if removed > 0 { changes.withLock { $0 += 1 } }
    }
}
