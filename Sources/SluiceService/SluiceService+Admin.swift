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
        let answer = try await lane.perform { () async throws -> AdminAnswer in
            let store = QueueStore(layout: layout)
            let name = QueueFileName.name(id: id)
            if store.holds(id: id, in: .pending) {
                let mover = QueueMover(layout: layout, git: git, logger: logger)
                do {
                    _ = try await mover.move(Selection(ids: [id]), to: .approved, stage: false, dryRun: false)
                } catch let refused as CanaryGate.Refused {
                    return .conflict(status: "refused", reason: refused.description + "; apply the canary first")
                }
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
        switch answer {
        case .applied, .failed: await refreshSubscriptions()
        default: break
        }
        return answer
    }

    /// Where the update `id` is and what its record says, for `GET /admin/plugin-updates/:id`.
    ///
    /// The folders are looked at in the order an apply checks them (pending, approved,
    /// applying, applied, rejected, failed); the first that holds the id is where the update
    /// is now, and its newest file gives the record (with its `outcome`, if any).
    /// - Returns: nil when no queue folder holds the id.
    public func lookup(id: String) -> AdminUpdate? {
        guard Self.isPlainID(id) else { return nil }
        let store = QueueStore(layout: layout)
        var files: [AdminUpdate.File] = []
        for folder in [QueueFolder.pending, .approved, .applying, .applied, .rejected, .failed] {
            for name in store.fileNames(id: id, in: folder) {
                files.append(AdminUpdate.File(folder: folder.rawValue, file: store.displayPath(name, in: folder)))
            }
        }
        guard let first = files.first, let folder = QueueFolder(rawValue: first.folder) else { return nil }
        let newest = store.fileNames(id: id, in: folder).last ?? QueueFileName.name(id: id)
        switch store.decode(newest, in: folder) {
        case .success(let record):
            return AdminUpdate(id: id, folder: first.folder, files: files, record: record, outcome: record.outcome, problem: nil)
        case .failure(let problem):
            return AdminUpdate(id: id, folder: first.folder, files: files, record: nil, outcome: nil, problem: problem.description)
        }
    }

    /// Approves the pending update `id`, as `sluice approve <id>` does: one no-replace rename
    /// into `approved/` through ``QueueMover``, past the canary gate only with `force`.
    ///
    /// - Throws: ``SluiceError`` or ``FileSystemError`` when the queue cannot be used.
    public func approve(id: String, force: Bool) async throws -> AdminAnswer {
        guard Self.isPlainID(id) else { return .notFound }
        let store = QueueStore(layout: layout)
        if store.holds(id: id, in: .pending) {
            let mover = QueueMover(layout: layout, git: git, logger: logger)
            do {
                if let moved = try await mover.move(Selection(ids: [id]), to: .approved, stage: false, dryRun: false, force: force).moved.first {
                    return .approved(moved)
                }
            } catch let refused as CanaryGate.Refused {
                return .conflict(status: "refused", reason: refused.description + "; approve the canary first, or pass force=true")
            }
        }
        guard let found = lookup(id: id) else { return .notFound }
        return .conflict(status: "not_pending", reason: "\(id) is not pending; it is in \(found.folder)/")
    }

    /// Rejects the pending update `id`, as `mv` into `rejected/` would.
    ///
    /// - Throws: ``SluiceError`` or ``FileSystemError`` when the queue cannot be used.
    public func reject(id: String) async throws -> AdminAnswer {
        guard Self.isPlainID(id) else { return .notFound }
        let layout = self.layout
        let mover = QueueMover(layout: layout, git: git, logger: logger)
        return try await lane.perform { () async throws -> AdminAnswer in
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
    static func isPlainID(_ id: String) -> Bool {
        !id.isEmpty && !id.hasPrefix(".") && !id.contains("/") && !id.contains("\0") && id.utf8.count <= 255
    }
}
