import Foundation

/// Applies each subscription's release policy to the target its track resolved to: `min-age`
/// (a target is queued only once old enough, falling back to the highest eligible version),
/// `verify` (only a target signed by a trusted key is queued) and, for subpath subscriptions,
/// the same-tree rule (a release that leaves the plugin's folder unchanged is no update).
///
/// Subscriptions without a policy and without a subpath are passed through untouched, so a
/// pass over plain subscriptions starts no extra git process. Each (source, track, policy,
/// installed commit) is vetted once per pass, however many workspaces share it.
struct TargetVetter: Sendable {
    /// Where objects come from.
    let upstream: any Upstream
    /// First sightings and dates.
    let sightings: Sightings
    /// The pass's clock reading.
    let now: Date
    /// Whether new sightings are recorded (`reconcile`) or only read (`status`).
    let recordsSightings: Bool

    /// One subscription as the vetter sees it.
    struct Subject: Sendable, Hashable {
        var source: String
        var track: Track
        var subpath: String?
        var policy: ReleasePolicy
        /// The installed stamp's commit, ref, source and subpath, when stamped.
        var installedSHA: String?
        var installedRef: String?
        var installedSource: String?
        var installedSubpath: String?

        /// Whether the vetter has anything to do for this subscription.
        var needsVetting: Bool { !policy.isEmpty || subpath != nil }

        /// Whether the installed folder holds `sha` of this subscription's source and subpath.
        func isInstalled(_ sha: String) -> Bool {
            installedSHA == sha && installedSource == source && installedSubpath == subpath
        }
    }

    /// The vetted resolution of `subject`, whose track resolved to `resolution` against `refs`.
    func vet(_ subject: Subject, resolution: TrackResolution, refs: RemoteRefs) async -> (TrackResolution, Vetting) {
        guard case .resolved(let resolved) = resolution, subject.needsVetting else { return (resolution, Vetting()) }
        var vetting = Vetting()
        let target: RefPoint
        if subject.policy.minAge > 0 {
            switch await oldEnough(subject, resolved: resolved, refs: refs, vetting: &vetting) {
            case .success(let point?): target = point
            case .success(nil):
                guard let soaking = vetting.soaking, let until = vetting.eligibleAt else { return (resolution, vetting) }
                return (.soaking(soaking, until: until), vetting)
            case .failure(let problem): return (.failed(problem.description), vetting)
            }
        } else {
            target = resolved
        }
        if subject.isInstalled(target.sha) { return (.resolved(target), vetting) }
        if let subpath = subject.subpath, let installed = subject.installedSHA,
           subject.installedSource == subject.source, subject.installedSubpath == subpath,
           let new = await upstream.treeID(of: target.sha, at: subpath, source: subject.source),
           let old = await upstream.treeID(of: installed, at: subpath, source: subject.source), new == old {
            return (.sameTree(target), vetting)
        }
        if subject.policy.verify != .none {
            switch await verify(target, subject: subject, refs: refs) {
            case .success(let signature): vetting.signature = signature
            case .failure(let problem): return (.failed("unverified: \(target.display): \(problem)"), vetting)
            }
        }
        return (.resolved(target), vetting)
    }

    /// The newest candidate at least `min-age` old, or nil when every candidate newer than the
    /// installed version is still soaking (the newest of them is left in `vetting`).
    private func oldEnough(_ subject: Subject, resolved: RefPoint, refs: RemoteRefs, vetting: inout Vetting) async -> Result<RefPoint?, ReleaseProblem> {
        let installedVersion = subject.installedRef.flatMap(TagVersion.init(tag:))
        var candidates = TrackResolution.candidates(subject.track, in: refs)
        if candidates.isEmpty { candidates = [resolved] }
        let minAge = TimeInterval(subject.policy.minAge)
        for candidate in candidates {
            // What is installed is the best eligible target: in sync, or soaking when a newer one waits.
            if subject.isInstalled(candidate.sha) { return .success(vetting.soaking == nil ? candidate : nil) }
            // A soak never falls back below what is installed: that would be a downgrade.
            if let installedVersion, let version = candidate.ref.flatMap(TagVersion.init(tag:)), version <= installedVersion, candidates.count > 1 {
                return .success(nil)
            }
            let key = Self.sightingKey(candidate, track: subject.track, refs: refs)
            let seen = sightings.firstSeen(source: subject.source, ref: key.ref, sha: key.object, now: now, record: recordsSightings)
            if seen.addingTimeInterval(minAge) > now {
                note(candidate, eligibleAt: seen.addingTimeInterval(minAge), in: &vetting)
                continue
            }
            let date: Date
            if let known = sightings.date(source: subject.source, ref: key.ref, sha: key.object) {
                date = known
            } else {
                switch await upstream.inspect(key.object, kind: key.kind, source: subject.source) {
                case .success(let object):
                    guard let read = object.date else { return .failure(ReleaseProblem("\(candidate.display) has no date in its \(key.kind.rawValue) object")) }
                    date = read
                    sightings.remember(date: read, source: subject.source, ref: key.ref, sha: key.object)
                case .failure(let problem):
                    return .failure(problem)
                }
            }
            let eligible = max(date, seen).addingTimeInterval(minAge)
            if eligible > now {
                note(candidate, eligibleAt: eligible, in: &vetting)
                continue
            }
            return .success(candidate)
        }
        return .success(nil)
    }

    private func note(_ candidate: RefPoint, eligibleAt: Date, in vetting: inout Vetting) {
        if vetting.soaking == nil {
            vetting.soaking = candidate
            vetting.eligibleAt = eligibleAt
        }
    }

    /// Checks the signature a track asks for: the annotated tag of a `tag:` track, the commit
    /// otherwise.
    private func verify(_ target: RefPoint, subject: Subject, refs: RemoteRefs) async -> Result<SignatureRecord, ReleaseProblem> {
        let mode = subject.policy.verify
        guard Self.isTagTrack(subject.track) else {
            return await upstream.verify(target.sha, kind: .commit, source: subject.source, mode: mode, pointingAt: nil)
        }
        guard let ref = target.ref, let object = refs.tagObjects[ref] else {
            return .failure(ReleaseProblem("tag \(target.ref ?? target.sha) is a lightweight tag, which carries no signature; sign it (git tag -s) or track a signed commit"))
        }
        return await upstream.verify(object, kind: .tag, source: subject.source, mode: mode, pointingAt: target.sha)
    }

    /// The ref and object a sighting is kept under: the tag object of an annotated tag (its
    /// tagger date counts), else the commit.
    static func sightingKey(_ point: RefPoint, track: Track, refs: RemoteRefs) -> (ref: String, object: String, kind: Git.ObjectKind) {
        if isTagTrack(track), let name = point.ref {
            if let object = refs.tagObjects[name] { return ("refs/tags/" + name, object, .tag) }
            return ("refs/tags/" + name, point.sha, .commit)
        }
        if case .branch(let name) = track { return ("refs/heads/" + name, point.sha, .commit) }
        return (point.sha, point.sha, .commit)
    }

    static func isTagTrack(_ track: Track) -> Bool {
        switch track {
        case .tag, .latest, .range: true
        case .none, .sha, .branch: false
        }
    }
}
