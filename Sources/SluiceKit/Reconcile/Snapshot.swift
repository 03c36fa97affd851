import Foundation

/// Everything a pass reads before it decides anything: workspaces, queue and upstream refs.
///
/// `reconcile` plans from it and `status` reports from it, so both see the world the same way.
public struct Snapshot: Sendable {
    /// The workspaces read, in path order.
    public var workspaces: [WorkspaceState]
    /// The refs of each source listed in this pass.
    public var refs: [String: Result<RemoteRefs, GitError>]
    /// Each workspace's resolved subscriptions, by plugin name (tracked, not held, in scope).
    public var resolutions: [String: [String: TrackResolution]]
    /// How many subscriptions each source has.
    public var subscribers: [String: Int]
    /// Files in `pending/`.
    public var pending: [QueueEntry]
    /// Files in `approved/` and `applying/`.
    public var approved: [QueueEntry]
    /// Files in `rejected/`.
    public var rejected: [QueueEntry]
    /// Queue files that could not be read.
    public var queueProblems: [QueueStore.Problem]
    /// How many changes the read cache had seen in the queue folders once they were read.
    var queueGeneration = 0
    /// Changes whenever upstream resolved differently from the previous pass (see ``ReadCache``).
    var upstreamGeneration = 0
}

extension Reconciler {
    /// Reads workspaces and queue, and resolves every subscription in scope upstream.
    public func snapshot(scope: Scope = .all) async -> Snapshot {
        let store = QueueStore(layout: layout)
        var paths = WorkspaceDiscovery.find(in: layout)
        paths = paths.filter { scope.contains(workspace: $0) }
        let workspaces = paths.map { WorkspaceState.read($0, layout: layout, cache: cache) }
        let pending = store.read(.pending, cache: cache)
        // A file being applied counts as approved: its target must not be queued again meanwhile.
        let approvedFiles = store.read(.approved, cache: cache)
        let applying = store.read(.applying, cache: cache)
        let approved = (entries: approvedFiles.entries + applying.entries, problems: approvedFiles.problems + applying.problems)
        let rejected = store.read(.rejected, cache: cache)
        let queueGeneration = cache.queueGeneration

        var subscribers: [String: Int] = [:]
        for workspace in workspaces {
            guard case .success(let manifest) = workspace.manifest else { continue }
            for entry in manifest.plugins where isResolved(entry, scope) {
                subscribers[entry.source, default: 0] += 1
            }
        }
        let refs = await listRefs(Array(subscribers.keys).sorted())

        var resolved: [String: [String: TrackResolution]] = [:]
        // Thousands of workspaces share a few (source, track) pairs: resolve each pair once.
        var memo: [ResolveKey: TrackResolution] = [:]
        var needsLookup: [(workspace: String, plugin: String, key: LookupKey)] = []
        for workspace in workspaces {
            guard case .success(let manifest) = workspace.manifest else { continue }
            var resolutions: [String: TrackResolution] = [:]
            for entry in manifest.plugins where isResolved(entry, scope) {
                switch refs[entry.source] {
                case .success(let remote)?:
                    let key = ResolveKey(source: entry.source, track: entry.track)
                    let resolution = memo[key] ?? TrackResolution.resolve(entry.track, in: remote)
                    memo[key] = resolution
                    if case .needsObjectLookup(let prefix) = resolution {
                        needsLookup.append((workspace.path, entry.name, LookupKey(source: entry.source, prefix: prefix)))
                    }
                    resolutions[entry.name] = resolution
                case .failure(let error)?:
                    resolutions[entry.name] = .failed("source unreachable: \(error.message)")
                case nil:
                    resolutions[entry.name] = .failed("source not listed in this pass")
                }
            }
            resolved[workspace.path] = resolutions
        }
        // A SHA that is no ref tip is looked up in the history once per source and prefix.
        let sourceCache = SourceCache(git: git, layout: layout)
        var lookups: [LookupKey: Result<String, SourceCache.LookupFailure>] = [:]
        for item in needsLookup {
            if lookups[item.key] == nil { lookups[item.key] = await sourceCache.lookup(item.key.prefix, source: item.key.source) }
            switch lookups[item.key] {
            case .success(let sha)?: resolved[item.workspace]?[item.plugin] = .resolved(RefPoint(ref: item.key.prefix, sha: sha))
            case .failure(let failure)?: resolved[item.workspace]?[item.plugin] = .failed(failure.reason)
            case nil: resolved[item.workspace]?[item.plugin] = .failed("sha:\(item.key.prefix) could not be looked up")
            }
        }
        var snapshot = Snapshot(
            workspaces: workspaces, refs: refs, resolutions: resolved, subscribers: subscribers,
            pending: pending.entries, approved: approved.entries, rejected: rejected.entries,
            queueProblems: pending.problems + approved.problems + rejected.problems)
        snapshot.queueGeneration = queueGeneration
        snapshot.upstreamGeneration = cache.upstreamGeneration(refs, lookedUp: !needsLookup.isEmpty)
        return snapshot
    }

    /// A (source, track) pair, resolved once per pass.
    struct ResolveKey: Hashable {
        var source: String
        var track: Track
    }

    /// Whether a subscription is resolved upstream in a pass of `scope`.
    func isResolved(_ entry: PluginEntry, _ scope: Scope) -> Bool {
        entry.track != .none && !entry.hold && (scope.sources.map { $0.contains(entry.source) } ?? true) && !scope.skip.contains(entry.source)
    }
}
