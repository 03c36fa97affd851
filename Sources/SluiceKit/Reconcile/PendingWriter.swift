import Foundation

/// The write phase of a reconcile pass: the records of many workspaces written into `pending/`
/// as one ``DurableBatch``, then the replaced and withdrawn files removed.
///
/// The planned actions of each workspace are held until the batch is committed, then settled in
/// the order they were planned: a queued record is reported (and the files it replaces are
/// removed) only once it is durable under its final name, so a replacement still never leaves
/// an instant without a pending file. Holding stops at ``DurableBatch/limit`` records or
/// workspaces, whichever comes first, which bounds the memory and how long a written record stays
/// invisible.
final class PendingWriter {
    /// One workspace's actions, waiting for the batch that holds its records.
    struct Held {
        var workspace: String
        var actions: [PlanAction]
        var unreachable: Set<String>
        var pending: [QueueEntry]
        /// Per `.queue` action, in order: the batch index of its file, nil when the file already
        /// holds exactly these bytes, or why it could not be written.
        var writes: [Result<Int?, any Error>]
    }

    private let store: QueueStore
    private let limit: Int
    private var batch: DurableBatch?
    private var openError: (any Error)?
    private var held: [Held] = []

    /// Creates the writer; the folder is opened at the first record to write.
    init(store: QueueStore, limit: Int = DurableBatch.defaultLimit) {
        self.store = store
        self.limit = limit
    }

    /// Whether held actions should be settled now (``settle(_:)``).
    var isFull: Bool { held.count >= limit || (batch?.isFull ?? false) }

    /// Whether nothing is held: actions without writes may then be settled at once.
    var isEmpty: Bool { held.isEmpty }

    /// Writes the temporaries of a workspace's queued records and holds its actions.
    func hold(_ actions: [PlanAction], workspace: String, unreachable: Set<String>, pending: [QueueEntry]) {
        var writes: [Result<Int?, any Error>] = []
        for case .queue(let record, _) in actions {
            writes.append(Result { try stage(record) })
        }
        held.append(Held(workspace: workspace, actions: actions, unreachable: unreachable, pending: pending, writes: writes))
    }

    /// Commits the batch and hands each held workspace, in order, with the outcome of each of its
    /// writes, to `body`; nothing is held afterwards.
    func settle(_ body: (_ held: Held, _ outcomes: [Result<Void, any Error>]) -> Void) {
        let committed = batch?.commit() ?? []
        let current = held
        held = []
        for entry in current {
            let outcomes = entry.writes.map { write -> Result<Void, any Error> in
                switch write {
                case .failure(let error): return .failure(error)
                case .success(nil): return .success(())
                case .success(let index?): return committed[index].mapError { $0 as any Error }
                }
            }
            body(entry, outcomes)
        }
    }

    /// Writes the temporary for `record`, unless its file already holds exactly these bytes.
    ///
    /// - Returns: the file's index in the batch, or nil when nothing needs writing.
    private func stage(_ record: UpdateRecord) throws -> Int? {
        let data = try QueueStore.encode(record, folder: .pending)
        let path = store.path(record.fileName, in: .pending)
        if FileManager.default.contents(atPath: path) == data { return nil }
        if let openError { throw openError }
        if batch == nil {
            do {
                batch = try DurableBatch(folder: store.layout.folder(.pending), root: store.layout.root, limit: limit)
            } catch {
                openError = error
                throw error
            }
        }
        guard let batch else { return nil }
        return try batch.add(data, as: record.fileName)
    }
}
