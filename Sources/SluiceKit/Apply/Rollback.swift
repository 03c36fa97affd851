import Foundation
import Logging

/// `sluice rollback`: swaps the most recently retained tree of a plugin back in, with its own
/// stamp, and records the rollback in `applied/`. The tree it replaces is retained in turn.
public struct Rollback: Sendable {
    /// The root's layout.
    public let layout: RootLayout
    /// Where events go.
    public let logger: Logger
    /// The clock for the record and retained tree names.
    public var now: @Sendable () -> Date = { Date() }

    /// Creates the command's engine.
    public init(layout: RootLayout, logger: Logger) {
        self.layout = layout
        self.logger = logger
    }

    /// Rolls `plugin` in `workspace` back to its newest retained tree.
    ///
    /// - Throws: ``SluiceError/usage(_:)`` when there is nothing to roll back to.
    /// - Returns: the rollback's record, as written into `applied/`.
    public func run(workspace: String, plugin: String) async throws -> UpdateRecord {
        if let problem = PluginName.problem(with: plugin) { throw SluiceError.usage("invalid plugin name '\(plugin)': \(problem)") }
        if let problem = layout.workspaceProblem(workspace) { throw SluiceError.usage(problem) }
        do {
            try layout.createQueueFolders()
        } catch {
            throw SluiceError.queueUnusable(layout.queue, "\(error)")
        }
        try layout.prepareStateFolder()
        // A rollback record's write cut short by a kill.
        QueueStore(layout: layout).sweepTemporaries(in: .applied)
        let paths = PluginPaths(workspace: layout.workspacePath(workspace), plugin: plugin)
        let installer = TreeInstaller(layout: layout, logger: logger, now: now)
        return try await FileLock.withLock(layout.workspaceLock(workspace)) { () async throws -> UpdateRecord in
            if let link = paths.symbolicLink(beneath: layout.root) {
                throw SluiceError.unconfined(ConfinementError(path: link, kind: .symbolicLink).description)
            }
            installer.finishPrunes(paths)
            // The newest retained tree that is whole; any newer one that is not is skipped and reported.
            var skipped: [String] = []
            var chosen: String?
            for candidate in installer.retainedNewestFirst(paths) {
                guard let problem = TreeInstaller.verificationProblem(of: candidate) else {
                    chosen = candidate
                    break
                }
                skipped.append("\(installer.relative(candidate)): \(problem)")
                logger.warning("retained tree skipped", metadata: [
                    "workspace.path": "\(workspace)", "plugin.name": "\(plugin)",
                    "retained.path": "\(installer.relative(candidate))", "retained.problem": "\(problem)",
                ])
            }
            guard let previous = chosen else {
                if skipped.isEmpty {
                    throw SluiceError.usage("no retained tree of '\(plugin)' in \(workspace) (\(installer.relative(paths.retained)) is empty); nothing to roll back to")
                }
                throw SluiceError.usage("no retained tree of '\(plugin)' in \(workspace) verifies against its stamp (skipped \(skipped.joined(separator: "; "))); nothing to roll back to")
            }
            let current = paths.installed()
            let restored = try? Stamp.read(pluginFolder: previous)
            let old = current != nil ? (try? TreeDigest.files(of: paths.live)) : nil
            let result = Classifier.classify(old: old, new: try? TreeDigest.files(of: previous), hotPatterns: layout.config.hotPatterns, forceRestart: true)
            var retainedPath: String?
            if current != nil {
                try TreeSwap.exchange(previous, paths.live)
                retainedPath = try installer.retain(previous, paths: paths, label: (try? TreeInstaller.label(of: previous)) ?? "unstamped")
            } else {
                try installer.confined.makeFolders(paths.workspace + "/plugins")
                try TreeSwap.move(previous, to: paths.live)
            }
            let time = Timestamp.string(now())
            let id = UpdateRecord.makeID(workspace: workspace, plugin: plugin, targetSHA: nil).replacingOccurrences(of: "+remove", with: "+rollback-")
                + time.replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "-", with: "")
            var record = UpdateRecord(
                id: id, workspace: workspace, plugin: plugin, kind: .rollback,
                source: restored?.source ?? current?.stamp?.source ?? "", subpath: restored?.subpath, track: restored?.track ?? "none",
                from: current?.stamp.map { RefPoint(ref: $0.ref, sha: $0.sha) },
                to: restored.map { RefPoint(ref: $0.ref, sha: $0.sha) },
                warning: nil, detected: time,
                basis: Basis(installed: Planner.basis(of: current), manifest: nil))
            var outcome = Outcome(result: .applied, at: time)
            outcome.verdict = result.verdict.rawValue
            outcome.why = "rollback by an operator; restart to load the restored tree"
            outcome.changes = result.changes
            outcome.previous = current?.stamp?.sha
            outcome.retained = retainedPath.map(installer.relative)
            outcome.skipped = skipped.isEmpty ? nil : skipped
            record.outcome = outcome
            try QueueStore(layout: layout).writeOutcome(record, fileName: record.fileName)
            logger.info("rollback applied", metadata: ["workspace.path": "\(workspace)", "plugin.name": "\(plugin)", "update.to": "\(record.to?.sha ?? "unstamped")"])
            return record
        }
    }
}
