import Foundation
import SluiceKit

/// The admin API's actions, backed by the same queue files and code as the commands.
extension SluiceService {
    /// The pending queue, grouped as `sluice pending --json` prints it.
    public func pendingReport() -> PendingReport {
        PendingReport(entries: QueueStore(layout: layout).read(.pending, cache: reconciler.cache.queue).entries)
    }

    /// Approves the pending update `id` and applies it, as `mv` into `approved/` then `sluice apply` would.
    ///
    /// An update already approved by someone else is applied as well. Runs in the same lane as
    /// the approval watcher, so the answer is the outcome of this request's own run.
    /// - Throws: ``SluiceError`` or ``FileSystemError`` when the queue cannot be used.
    public func approveAndApply(id: String) async throws -> AdminAnswer {
        guard Self.isPlainID(id) else { return .notFound }
        let layout = self.layout
        let git = self.git
        let logger = self.logger
        let metrics = self.metrics
        return try await lane.run { () async throws -> AdminAnswer in
            let store = QueueStore(layout: layout)
            let name = QueueFileName.name(id: id)
            if store.holds(id: id, in: .pending) {
                let mover = QueueMover(layout: layout, git: git, logger: logger)
                _ = try await mover.move(Selection(ids: [id]), to: .approved, stage: false, dryRun: false)
            }
            if store.holds(id: id, in: .approved) {
                let report = await Self.applyNow(files: [name], layout: layout, git: git, logger: logger, metrics: metrics)
                if let item = report?.items.first(where: { $0.file == name }) {
                    switch item.outcome {
                    case .applied?: return .applied(item)
                    case .failed?: return .failed(item)
                    case nil: return .conflict(status: "in_progress", reason: item.reason ?? "another apply claimed it")
                    }
                }
                // Another process finished it between the move and the claim: its record says how.
            }
            return Self.elsewhere(id, layout, forApply: true)
        }
    }

    /// Rejects the pending update `id`, as `mv` into `rejected/` would.
    ///
    /// - Throws: ``SluiceError`` or ``FileSystemError`` when the queue cannot be used.
    public func reject(id: String) async throws -> AdminAnswer {
        guard Self.isPlainID(id) else { return .notFound }
        let layout = self.layout
        let mover = QueueMover(layout: layout, git: git, logger: logger)
        return try await lane.run { () async throws -> AdminAnswer in
            if QueueStore(layout: layout).holds(id: id, in: .pending) {
                let moved = try await mover.move(Selection(ids: [id]), to: .rejected, stage: false, dryRun: false)
                if !moved.moved.isEmpty { return .rejected }
            }
            return Self.elsewhere(id, layout, forApply: false)
        }
    }

    /// Where an id that is not pending is, as an answer.
    private static func elsewhere(_ id: String, _ layout: RootLayout, forApply: Bool) -> AdminAnswer {
        let store = QueueStore(layout: layout)
        if store.holds(id: id, in: .approved) || store.holds(id: id, in: .applying) {
            return .conflict(status: "in_progress", reason: "\(id) is approved and being applied")
        }
        if store.holds(id: id, in: .applied) {
            return forApply ? .alreadyApplied : .conflict(status: "already_applied", reason: "\(id) is already applied; roll it back with 'sluice rollback'")
        }
        if store.holds(id: id, in: .rejected) {
            return forApply ? .conflict(status: "rejected", reason: "\(id) was rejected; a newer target is queued as a new id") : .alreadyRejected
        }
        if store.holds(id: id, in: .failed) {
            return .conflict(status: "failed", reason: "\(id) failed; see \(store.displayPath(.failed))/, the next pass queues it again")
        }
        return .notFound
    }

    /// An id names a file in a queue folder only when it is a plain file name.
    private static func isPlainID(_ id: String) -> Bool {
        !id.isEmpty && !id.hasPrefix(".") && !id.contains("/") && !id.contains("\0") && id.utf8.count <= 255
    }
}
