import Foundation
import Logging

/// `sluice install`: the one-shot install the platform has today, with an optional subscription.
///
/// It records the entry in `plugins.yaml` (keeping the rest of the file), then installs through
/// the same path as an approved update: an approved file is written and applied at once.
public struct OperatorInstall: Sendable {
    /// The root's layout.
    public let layout: RootLayout
    /// The git choke point.
    public let git: Git
    /// Where events go.
    public let logger: Logger
    /// The clock for the record's detection time and the apply that follows.
    public var now: @Sendable () -> Date = { Date() }

    /// Creates the command's engine.
    public init(layout: RootLayout, git: Git, logger: Logger) {
        self.layout = layout
        self.git = git
        self.logger = logger
    }

    /// What `sluice install` was asked for.
    public struct Request: Sendable {
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

    /// Adds the subscription to `plugins.yaml` and installs the requested target.
    ///
    /// - Throws: ``SluiceError/usage(_:)`` for invalid input or an entry that conflicts.
    public func run(_ request: Request) async throws -> ApplyReport {
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
        let signature = try await verifyTarget(target, request: request, policy: entry.policy(defaults: layout.config.defaults))
        let manifestPath = folder + "/" + Manifest.fileName
        let display = request.workspace + "/" + Manifest.fileName
        let lock = layout.workspaceLock(request.workspace)
        try layout.prepareStateFolder()
        try await FileLock.withLock(lock) {
            // A manifest write cut short by a kill; only plugins.yaml's temporaries are Sluice's here.
            AtomicFile.sweepTemporaries(in: folder, named: Manifest.fileName)
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
        let current = paths.installed()
        let record = UpdateRecord(
            id: UpdateRecord.makeID(workspace: request.workspace, plugin: request.plugin, targetSHA: target.sha),
            workspace: request.workspace, plugin: request.plugin, kind: current == nil ? .install : .change,
            source: request.source, subpath: request.subpath, track: request.track.description,
            from: current?.stamp.map { RefPoint(ref: $0.ref, sha: $0.sha) }, to: target, warning: nil,
            detected: Timestamp.string(now()),
            basis: Basis(installed: Planner.basis(of: current), manifest: entry.basis))
        var signed = record
        signed.signature = signature
        do {
            try layout.createQueueFolders()
        } catch {
            throw SluiceError.queueUnusable(layout.queue, "\(error)")
        }
        let store = QueueStore(layout: layout)
        // An approved record's write cut short by a kill: install is the only writer there.
        store.sweepTemporaries(in: .approved)
        try store.write(signed, to: .approved)
        logger.info("operator install approved", metadata: ["workspace.path": "\(request.workspace)", "plugin.name": "\(request.plugin)", "update.to": "\(target.sha)"])
        var applier = Applier(layout: layout, git: git, logger: logger)
        applier.now = now
        return try await applier.run(files: [record.fileName])
    }

    /// Checks the signature `defaults.verify` asks for: the annotated tag when the target is
    /// one, else the commit. An install is refused, before the manifest is touched, when it fails.
    private func verifyTarget(_ target: RefPoint, request: Request, policy: ReleasePolicy) async throws -> SignatureRecord? {
        guard policy.verify != .none else { return nil }
        let upstream = GitUpstream(git: git, layout: layout)
        let refs: RemoteRefs
        switch await upstream.listRefs(request.source) {
        case .success(let listed): refs = listed
        case .failure(let error): throw SluiceError.usage("cannot list \(request.source): \(error)")
        }
        let result: Result<SignatureRecord, ReleaseProblem>
        if let ref = target.ref, let object = refs.tagObjects[ref], refs.tags[ref] == target.sha {
            result = await upstream.verify(object, kind: .tag, source: request.source, mode: policy.verify, pointingAt: target.sha)
        } else {
            result = await upstream.verify(target.sha, kind: .commit, source: request.source, mode: policy.verify, pointingAt: nil)
        }
        switch result {
        case .success(let signature): return signature
        case .failure(let problem): throw SluiceError.usage("unverified: \(target.display): \(problem) (defaults.verify is \(policy.verify.rawValue))")
        }
    }

    /// Resolves `--ref` (tag, then branch, then SHA) or the track, with one `ls-remote`.
    private func resolveTarget(_ request: Request) async throws -> RefPoint {
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
}
