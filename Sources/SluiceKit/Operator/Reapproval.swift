import Foundation

/// `sluice apply --force <id>` for an update that already failed: puts it back into
/// `approved/` while its basis still holds, so that the operator's one command does what the
/// refusal asked for.
///
/// A failed record is final and stays in `failed/` as history; the approval is a fresh copy
/// without `attempt` or `outcome`, exactly what `reconcile` would queue again and the operator
/// would approve, and its outcome is written beside the old one as `<id>.N.yaml`.
public enum Reapproval {
    /// How the named update got into `approved/`.
    public enum Source: String, Sendable, Hashable {
        /// It was there already.
        case approved
        /// `reconcile` had queued it again; the pending file was moved (as `sluice approve` would).
        case pending
        /// The last failed record was copied back after its basis was checked.
        case failed
    }

    /// Makes the update `reference` (an id, a file name or a path) approved.
    ///
    /// - Returns: its file name in `approved/`, and where it came from.
    /// - Throws: ``SluiceError/usage(_:)`` when the update is in none of `approved/`, `pending/`
    ///   and `failed/`, or when its basis no longer holds (the manifest entry or the installed
    ///   stamp changed since it was queued).
    public static func approve(_ reference: String, layout: RootLayout) throws(SluiceError) -> (fileName: String, source: Source) {
        let store = QueueStore(layout: layout)
        let id = QueueFileName.id(fromReference: reference)
        let name = QueueFileName.name(id: id)
        if store.holds(id: id, in: .approved) { return (name, .approved) }
        if store.holds(id: id, in: .pending) {
            do {
                if try store.move(name, from: .pending, to: .approved) { return (name, .pending) }
            } catch {
                throw .usage("cannot approve \(store.displayPath(name, in: .pending)): \(error)")
            }
        }
        let failed = store.names(in: .failed).filter { QueueFileName.isCopy($0, of: name) }.compactMap { file -> UpdateRecord? in
            guard case .success(let record) = store.decode(file, in: .failed), record.id == id else { return nil }
            return record
        }
        guard var record = failed.max(by: { ($0.outcome?.at ?? "") < ($1.outcome?.at ?? "") }) else {
            throw .usage("\(reference) is in none of \(store.displayPath(.approved))/, \(store.displayPath(.pending))/ and \(store.displayPath(.failed))/; 'sluice pending' lists the ids")
        }
        if let problem = layout.workspaceProblem(record.workspace) ?? PluginName.problem(with: record.plugin) {
            throw .usage("\(store.displayPath(.failed))/\(name) cannot be approved again: \(problem)")
        }
        let paths = PluginPaths(workspace: layout.workspacePath(record.workspace), plugin: record.plugin)
        let manifest: Result<PluginEntry?, ValidationError>
        do {
            let loaded = try Manifest.load(path: paths.workspace + "/" + Manifest.fileName, displayPath: record.workspace + "/" + Manifest.fileName, policy: layout.config.sources)
            manifest = .success(loaded.entry(named: record.plugin))
        } catch {
            manifest = .failure(error)
        }
        do {
            _ = try ApplyDecision(config: layout.config, force: true).checkBasis(record, manifest: manifest, installed: paths.installed())
        } catch {
            throw .usage("\(id) failed and cannot be taken back from \(store.displayPath(.failed))/: \(error)")
        }
        record.outcome = nil
        record.attempt = nil
        do {
            try store.write(record, to: .approved)
        } catch {
            throw .usage("cannot write \(store.displayPath(name, in: .approved)): \(error)")
        }
        return (name, .failed)
    }
}
