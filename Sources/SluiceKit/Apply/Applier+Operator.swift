import Foundation
import Logging

extension Applier {
    /// What `sluice install` was asked for.
    public struct InstallRequest: Sendable {
        /// Workspace path relative to the root.
        public var workspace: String
        /// Plugin name.
        public var plugin: String
        /// Git URL.
        public var source: String
        /// Folder inside the repository, if any.
        public var subpath: String?
        /// The subscription's track (default `none`: a one-shot install).
        public var track: Track
        /// The ref to install now (tag, branch or SHA); default: the track's target.
        public var ref: String?

        /// Creates a request.
        public init(workspace: String, plugin: String, source: String, subpath: String?, track: Track, ref: String?) {
            self.workspace = workspace
            self.plugin = plugin
            self.source = source
            self.subpath = subpath
            self.track = track
            self.ref = ref
        }
    }

    /// The one-shot install the platform has today, with an optional subscription: records the
    /// entry in `plugins.yaml` (keeping the rest of the file), then installs through the same
    /// path as an approved update (an approved file is written and applied at once).
    ///
    /// - Throws: ``SluiceError/usage(_:)`` for invalid input or an entry that conflicts.
    public func install(_ request: InstallRequest) async throws -> ApplyReport {
        if let problem = PluginName.problem(with: request.plugin) { throw SluiceError.usage("invalid plugin name '\(request.plugin)': \(problem)") }
        if let subpath = request.subpath, let problem = Manifest.subpathProblem(subpath) { throw SluiceError.usage("--subpath \(problem)") }
        do {
            _ = try layout.config.sources.check(request.source)
        } catch {
            throw SluiceError.usage("--source: \(error.message)")
        }
        let folder = layout.workspacePath(request.workspace)
        if let problem = layout.workspaceProblem(request.workspace) {
            throw SluiceError.usage("\(problem); create the workspace folder first")
        }
        if request.track == .none, request.ref == nil {
            throw SluiceError.usage("nothing to install: give --ref (a tag, branch or SHA) or --track")
        }
        // Resolve first: a ref that does not exist must not leave an entry behind in plugins.yaml.
        let target = try await resolveTarget(request)
        let entry = PluginEntry(name: request.plugin, source: request.source, subpath: request.subpath, track: request.track)
        let manifestPath = folder + "/" + Manifest.fileName
        let display = request.workspace + "/" + Manifest.fileName
        let lock = workspaceLock(request.workspace)
        try await FileLock.withLock(lock) {
            let text = FileManager.default.contents(atPath: manifestPath).flatMap { String(data: $0, encoding: .utf8) } ?? ""
            if let existing = (try? Manifest.parse(text, file: display, policy: layout.config.sources))?.entry(named: request.plugin) {
                guard existing.basis == entry.basis else {
                    throw SluiceError.usage("'\(request.plugin)' is already in \(display) with source \(existing.source), track \(existing.track); edit that entry, run 'sluice reconcile' and approve the update")
                }
                return
            }
            let edited = try ManifestEditor.adding(entry, to: text, file: display)
            do {
                _ = try Manifest.parse(edited, file: display, policy: layout.config.sources)
            } catch {
                throw SluiceError.usage("\(display) would not be valid after adding '\(request.plugin)' (\(error)); fix the file first")
            }
            try AtomicFile.write(Data(edited.utf8), to: manifestPath)
        }
        let paths = PluginPaths(workspace: folder, plugin: request.plugin)
        let current = readInstalled(paths.live)
        let record = UpdateRecord(
            id: UpdateRecord.makeID(workspace: request.workspace, plugin: request.plugin, targetSHA: target.sha),
            workspace: request.workspace, plugin: request.plugin, kind: current == nil ? .install : .change,
            source: request.source, subpath: request.subpath, track: request.track.description,
            from: current?.stamp.map { RefPoint(ref: $0.ref, sha: $0.sha) }, to: target, warning: nil,
            detected: Timestamp.string(now()),
            basis: Basis(installed: Planner.basis(of: current), manifest: entry.basis))
        try layout.createQueueFolders()
        try QueueStore(layout: layout).write(record, to: .approved)
        logger.info("operator install approved", metadata: ["workspace.path": "\(request.workspace)", "plugin.name": "\(request.plugin)", "update.to": "\(target.sha)"])
        return try await run(files: [record.fileName])
    }

    /// Resolves `--ref` (tag, then branch, then SHA) or the track, with one `ls-remote`.
    private func resolveTarget(_ request: InstallRequest) async throws -> RefPoint {
        let resolver = UpstreamResolver(upstream: GitUpstream(git: git, layout: layout), concurrency: 1)
        let result = if let ref = request.ref {
            await resolver.resolve(ref: ref, source: request.source)
        } else {
            await resolver.resolve(track: request.track, source: request.source)
        }
        switch result {
        case .success(let point): return point
        case .failure(.unlisted(let error)): throw SluiceError.usage("cannot list \(request.source): \(error)")
        case .failure(.notARef): throw SluiceError.usage("--ref '\(request.ref ?? "")' is no tag, branch or SHA of \(request.source)")
        case .failure(.unresolved(let reason)): throw SluiceError.usage(reason)
        }
    }

    /// Swaps the most recently retained tree of a plugin back in, with its own stamp, and
    /// records the rollback in `applied/`. The tree it replaces is retained in turn.
    ///
    /// - Throws: ``SluiceError/usage(_:)`` when there is nothing to roll back to.
    /// - Returns: the rollback's record, as written into `applied/`.
    public func rollback(workspace: String, plugin: String) async throws -> UpdateRecord {
        if let problem = PluginName.problem(with: plugin) { throw SluiceError.usage("invalid plugin name '\(plugin)': \(problem)") }
        if let problem = layout.workspaceProblem(workspace) { throw SluiceError.usage(problem) }
        try layout.createQueueFolders()
        let paths = PluginPaths(workspace: layout.workspacePath(workspace), plugin: plugin)
        return try await FileLock.withLock(workspaceLock(workspace)) { () async throws -> UpdateRecord in
            guard let previous = newestRetained(paths) else {
                throw SluiceError.usage("no retained tree of '\(plugin)' in \(workspace) (\(relative(paths.retained)) is empty); nothing to roll back to")
            }
            let current = readInstalled(paths.live)
            let restored = try? Stamp.read(pluginFolder: previous)
            let old = current != nil ? (try? TreeDigest.files(of: paths.live)) : nil
            let result = Classifier.classify(old: old, new: try? TreeDigest.files(of: previous), hotPatterns: layout.config.hotPatterns, forceRestart: true)
            var retainedPath: String?
            if current != nil {
                try TreeSwap.exchange(previous, paths.live)
                retainedPath = try retain(previous, paths: paths, label: Self.label(of: previous))
            } else {
                try FileManager.default.createDirectory(atPath: paths.workspace + "/plugins", withIntermediateDirectories: true)
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
            var outcome = Outcome(result: "applied", at: time)
            outcome.verdict = result.verdict.rawValue
            outcome.why = "rollback by an operator; restart to load the restored tree"
            outcome.changes = result.changes
            outcome.previous = current?.stamp?.sha
            outcome.retained = retainedPath.map(relative)
            record.outcome = outcome
            let name = uniqueName(record.fileName, in: .applied)
            try AtomicFile.write(try QueueStore.encode(record, folder: .applied), to: layout.folder(.applied) + "/" + name)
            logger.info("rollback applied", metadata: ["workspace.path": "\(workspace)", "plugin.name": "\(plugin)", "update.to": "\(record.to?.sha ?? "unstamped")"])
            return record
        }
    }

    /// The lock file that serialises applies on one workspace.
    func workspaceLock(_ workspace: String) -> String {
        layout.locks + "/workspace-" + UpdateRecord.makeID(workspace: workspace, plugin: "lock", targetSHA: nil) + ".lock"
    }
}
