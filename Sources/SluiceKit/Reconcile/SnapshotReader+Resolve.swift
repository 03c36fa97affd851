extension SnapshotReader {
    /// Every subscription in scope resolved against this pass's listing, before vetting.
    struct Resolution {
        /// The refs of each source listed.
        var refs: [String: Result<RemoteRefs, GitError>]
        /// Each workspace's resolutions (every workspace with a valid manifest has an entry).
        var resolutions: [String: [String: TrackResolution]]
        /// How many subscriptions each source has.
        var subscribers: [String: Int]
        /// The subscriptions the release policy vets (``TargetVetter``).
        var subjects: [(workspace: String, plugin: String, subject: TargetVetter.Subject)]
        /// Whether a SHA was looked up in a history.
        var lookedUp: Bool
    }

    /// Lists every source once and resolves the subscriptions of `workspaces`.
    ///
    /// A full pass reuses what ``ResolutionCache`` kept: the whole previous result when the same
    /// workspace reads resolve against the same listing, else each unchanged workspace's
    /// resolutions when the listing is the same; only the rest is resolved again.
    ///
    /// - Parameter listed: The refs listed for ``sourcesToList(for:scope:)`` of the same
    ///   workspaces and scope; a source set that no longer matches is listed again.
    func resolveSubscriptions(of workspaces: [WorkspaceState], scope: Reconciler.Scope,
                              listed: [String: Result<RemoteRefs, GitError>]) async -> Resolution {
        let full = scope.sources == nil && scope.skip.isEmpty
        let reads = full ? workspaces.map { ResolutionCache.Read(path: $0.path, version: $0.version) } : []
        if full, let previous = cache.resolutions.pass(matching: reads) {
            let refs = Set(listed.keys) == previous.sources ? listed : await resolver.list(previous.sources)
            if cache.resolutions.generation(refs) == previous.listing {
                return Resolution(refs: refs, resolutions: previous.resolutions, subscribers: previous.subscribers, subjects: [], lookedUp: false)
            }
            return await resolve(workspaces, scope: scope, reads: reads, listed: refs)
        }
        return await resolve(workspaces, scope: scope, reads: reads, listed: listed)
    }

    /// The sources a pass over `workspaces` lists: those of every subscription in scope (the
    /// previous pass's set when the same workspace reads are resolved again).
    func sourcesToList(for workspaces: [WorkspaceState], scope: Reconciler.Scope) -> Set<String> {
        if scope.sources == nil, scope.skip.isEmpty,
           let previous = cache.resolutions.pass(matching: workspaces.map { ResolutionCache.Read(path: $0.path, version: $0.version) }) {
            return previous.sources
        }
        var sources: Set<String> = []
        for workspace in workspaces {
            guard case .success(let manifest) = workspace.manifest else { continue }
            for entry in manifest.plugins where scope.resolves(entry) { sources.insert(entry.source) }
        }
        return sources
    }

    /// Resolves `workspaces` with each unchanged one's memo where the listing allows it.
    ///
    /// - Parameter listed: The refs already listed for exactly the sources of `workspaces`, or nil.
    private func resolve(_ workspaces: [WorkspaceState], scope: Reconciler.Scope, reads: [ResolutionCache.Read],
                         listed: [String: Result<RemoteRefs, GitError>]?) async -> Resolution {
        let full = scope.sources == nil && scope.skip.isEmpty
        var subscribers: [String: Int] = [:]
        var sources: Set<String> = []
        var subscriptions: [UpstreamResolver.Subscription] = []
        var resolutions: [String: [String: TrackResolution]] = [:]
        var subjects: [(workspace: String, plugin: String, subject: TargetVetter.Subject)] = []
        var remembered: [(workspace: WorkspaceState, memo: ResolutionCache.Memo)] = []
        var fresh: [WorkspaceState] = []
        func gather(_ workspace: WorkspaceState, _ manifest: Manifest) {
            resolutions[workspace.path] = [:]
            for entry in manifest.plugins where scope.resolves(entry) {
                subscribers[entry.source, default: 0] += 1
                sources.insert(entry.source)
                subscriptions.append(.init(workspace: workspace.path, plugin: entry.name, source: entry.source, track: entry.track))
                let stamp = workspace.installed[entry.name]?.stamp
                let subject = TargetVetter.Subject(
                    source: entry.source, track: entry.track, subpath: entry.subpath, policy: entry.policy(defaults: layout.config.defaults),
                    installedSHA: stamp?.sha, installedRef: stamp?.ref, installedSource: stamp?.source, installedSubpath: stamp?.subpath)
                if subject.needsVetting { subjects.append((workspace.path, entry.name, subject)) }
            }
        }
        for workspace in workspaces {
            guard case .success(let manifest) = workspace.manifest else { continue }
            if full, let memo = cache.resolutions.memo(for: workspace.path, version: workspace.version) {
                remembered.append((workspace, memo))
                for (source, count) in memo.sources {
                    subscribers[source, default: 0] += count
                    sources.insert(source)
                }
            } else {
                fresh.append(workspace)
                gather(workspace, manifest)
            }
        }
        let refs: [String: Result<RemoteRefs, GitError>]
        if let listed, Set(listed.keys) == sources {
            refs = listed
        } else {
            refs = await resolver.list(sources)
        }
        let listing = full ? cache.resolutions.generation(refs) : 0
        for (workspace, memo) in remembered {
            if memo.listing == listing {
                resolutions[workspace.path] = memo.resolutions
            } else if case .success(let manifest) = workspace.manifest {
                // Counted already from the memo: gather counts again, so take the memo's out.
                for (source, count) in memo.sources { subscribers[source, default: 0] -= count }
                fresh.append(workspace)
                gather(workspace, manifest)
            }
        }
        let resolved = await resolver.resolve(subscriptions, refs: refs)
        resolutions.merge(resolved.resolutions) { $1 }
        if full {
            let vetted = Set(subjects.map(\.workspace))
            for workspace in fresh {
                let keep = !resolved.lookedUp && !vetted.contains(workspace.path)
                cache.resolutions.remember(keep ? ResolutionCache.Memo(
                    version: workspace.version, listing: listing, resolutions: resolutions[workspace.path] ?? [:],
                    sources: Self.sourceCounts(workspace, scope: scope)) : nil, for: workspace.path)
            }
            if scope.workspaces == nil { cache.resolutions.forget(keeping: Set(workspaces.map(\.path))) }
            // The whole result is kept only when every workspace's is (nothing vetted, nothing looked up).
            cache.resolutions.remember(pass: subjects.isEmpty && !resolved.lookedUp ? ResolutionCache.Pass(
                reads: reads, listing: listing, resolutions: resolutions, subscribers: subscribers, sources: sources) : nil)
        }
        return Resolution(refs: refs, resolutions: resolutions, subscribers: subscribers, subjects: subjects, lookedUp: resolved.lookedUp)
    }

    /// How many of a workspace's resolved subscriptions each source has.
    private static func sourceCounts(_ workspace: WorkspaceState, scope: Reconciler.Scope) -> [(source: String, count: Int)] {
        guard case .success(let manifest) = workspace.manifest else { return [] }
        var counts: [String: Int] = [:]
        for entry in manifest.plugins where scope.resolves(entry) { counts[entry.source, default: 0] += 1 }
        return counts.map { ($0.key, $0.value) }
    }
}
