/// Turns (source, track) pairs into commits: the one place where `reconcile`, `status` and
/// `install` resolve upstream.
///
/// The pure part is ``TrackResolution/resolve(_:in:)``; this type adds the I/O around it
/// through an ``Upstream``: one listing per source, and a history search for a SHA that is no
/// ref tip.
public struct UpstreamResolver: Sendable {
    /// Where refs and commits come from.
    public let upstream: any Upstream
    /// How many sources are listed at the same time.
    public let concurrency: Int

    /// Creates a resolver over `upstream`.
    public init(upstream: any Upstream, concurrency: Int) {
        self.upstream = upstream
        self.concurrency = max(1, concurrency)
    }

    /// One subscription to resolve in a pass.
    public struct Subscription: Sendable, Hashable {
        /// Workspace path.
        public var workspace: String
        /// Plugin name.
        public var plugin: String
        /// Git URL.
        public var source: String
        /// What it follows.
        public var track: Track

        /// Creates a subscription.
        public init(workspace: String, plugin: String, source: String, track: Track) {
            self.workspace = workspace
            self.plugin = plugin
            self.source = source
            self.track = track
        }
    }

    /// What a pass resolved.
    public struct Resolved: Sendable {
        /// The refs of each source listed.
        public var refs: [String: Result<RemoteRefs, GitError>]
        /// Each workspace's resolutions, by plugin name; never ``TrackResolution/needsObjectLookup(_:)``.
        public var resolutions: [String: [String: TrackResolution]]
        /// Whether any SHA was looked up in a history (the result may differ from pass to pass
        /// without any ref moving).
        public var lookedUp: Bool
    }

    /// Resolves a pass's subscriptions.
    ///
    /// Each distinct source is listed once, however many workspaces subscribe to it; each
    /// (source, track) pair is resolved once; each (source, SHA prefix) is looked up once.
    /// - Parameter subscriptions: What to resolve, in the order lookups should run.
    public func resolve(_ subscriptions: [Subscription]) async -> Resolved {
        await resolve(subscriptions, refs: list(Set(subscriptions.map(\.source))))
    }

    /// Lists each source once, at most ``concurrency`` at a time.
    public func list(_ sources: Set<String>) async -> [String: Result<RemoteRefs, GitError>] {
        let sorted = sources.sorted()
        let upstream = self.upstream
        let listed = await concurrentMap(sorted, limit: concurrency) { source in await upstream.listRefs(source) }
        return Dictionary(uniqueKeysWithValues: zip(sorted, listed))
    }

    /// Resolves subscriptions against refs already listed (``list(_:)``); a source missing from
    /// `refs` fails its subscriptions.
    public func resolve(_ subscriptions: [Subscription], refs: [String: Result<RemoteRefs, GitError>]) async -> Resolved {
        var resolutions: [String: [String: TrackResolution]] = [:]
        // Thousands of workspaces share a few (source, track) pairs: resolve each pair once.
        var memo: [TrackKey: TrackResolution] = [:]
        var needsLookup: [(subscription: Subscription, key: LookupKey)] = []
        for subscription in subscriptions {
            let resolution: TrackResolution
            switch refs[subscription.source] {
            case .success(let remote)?:
                let key = TrackKey(source: subscription.source, track: subscription.track)
                resolution = memo[key] ?? TrackResolution.resolve(subscription.track, in: remote)
                memo[key] = resolution
                if case .needsObjectLookup(let prefix) = resolution {
                    needsLookup.append((subscription, LookupKey(source: subscription.source, prefix: prefix)))
                }
            case .failure(let error)?:
                resolution = .failed("source unreachable: \(error.message)")
            case nil:
                resolution = .failed("source not listed in this pass")
            }
            resolutions[subscription.workspace, default: [:]][subscription.plugin] = resolution
        }
        // A SHA that is no ref tip is looked up in the history once per source and prefix.
        var lookups: [LookupKey: TrackResolution] = [:]
        for item in needsLookup {
            let resolution: TrackResolution
            if let known = lookups[item.key] {
                resolution = known
            } else {
                resolution = await lookUp(item.key.prefix, source: item.key.source)
                lookups[item.key] = resolution
            }
            resolutions[item.subscription.workspace]?[item.subscription.plugin] = resolution
        }
        return Resolved(refs: refs, resolutions: resolutions, lookedUp: !needsLookup.isEmpty)
    }

    /// Why a single resolution (for `install`) failed.
    public enum Failure: Error, Sendable {
        /// The source could not be listed.
        case unlisted(GitError)
        /// The ref is no tag, no branch and no SHA.
        case notARef
        /// The ref or track does not resolve; the reason is for the operator.
        case unresolved(String)
    }

    /// Resolves a ref given by name: a tag, else a branch, else a SHA (full or abbreviated).
    public func resolve(ref: String, source: String) async -> Result<RefPoint, Failure> {
        let refs: RemoteRefs
        switch await upstream.listRefs(source) {
        case .success(let listed): refs = listed
        case .failure(let error): return .failure(.unlisted(error))
        }
        if let sha = refs.tags[ref] { return .success(RefPoint(ref: ref, sha: sha)) }
        if let sha = refs.branches[ref] { return .success(RefPoint(ref: ref, sha: sha)) }
        guard let track = try? Track(parsing: "sha:" + ref) else { return .failure(.notARef) }
        return await finish(TrackResolution.resolve(track, in: refs), source: source)
    }

    /// Resolves a track, as a pass would for one subscription.
    public func resolve(track: Track, source: String) async -> Result<RefPoint, Failure> {
        switch await upstream.listRefs(source) {
        case .success(let refs): return await finish(TrackResolution.resolve(track, in: refs), source: source)
        case .failure(let error): return .failure(.unlisted(error))
        }
    }

    private func finish(_ resolution: TrackResolution, source: String) async -> Result<RefPoint, Failure> {
        var resolution = resolution
        if case .needsObjectLookup(let prefix) = resolution {
            resolution = await lookUp(prefix, source: source)
        }
        switch resolution {
        // The pure resolution never soaks or compares trees; those come from the release policy.
        case .resolved(let point), .soaking(let point, _), .sameTree(let point): return .success(point)
        case .failed(let reason): return .failure(.unresolved(reason))
        case .needsObjectLookup(let prefix): return .failure(.unresolved("sha:\(prefix) could not be looked up"))
        }
    }

    private func lookUp(_ prefix: String, source: String) async -> TrackResolution {
        switch await upstream.lookup(prefix, source: source) {
        case .success(let sha): return .resolved(RefPoint(ref: prefix, sha: sha))
        case .failure(let failure): return .failed(failure.reason)
        }
    }

    /// A (source, track) pair, resolved once per pass.
    struct TrackKey: Hashable {
        var source: String
        var track: Track
    }

    /// A (source, SHA prefix) pair, looked up once per pass.
    struct LookupKey: Hashable {
        var source: String
        var prefix: String
    }
}
