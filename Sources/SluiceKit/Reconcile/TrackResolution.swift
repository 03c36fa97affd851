import Foundation

/// Where a track points upstream, worked out from the advertised refs without I/O.
public enum TrackResolution: Sendable, Hashable {
    /// The track resolves to this commit.
    case resolved(RefPoint)
    /// The SHA (full or abbreviated) is not a ref tip; the repository's history must be searched.
    case needsObjectLookup(String)
    /// The track cannot be resolved; the reason is for the operator.
    case failed(String)
    /// No target is old enough for the subscription's `min-age`: this newest candidate becomes
    /// eligible at the given time. Nothing is queued meanwhile.
    case soaking(RefPoint, until: Date)
    /// The target differs from the installed commit, but the plugin's subpath holds the same
    /// tree in both: not a change to the plugin, so nothing is queued.
    case sameTree(RefPoint)

    /// Resolves `track` against `refs`.
    ///
    /// - `tag:latest` is the highest semantic-version tag without a prerelease, never the newest
    ///   by date and never a ref called `latest`.
    /// - A range takes the highest tag inside it (prereleases by the npm rule).
    /// - Two tags of equal precedence (`1.0.0` and `v1.0.0`) are ordered by ``TagVersion``'s
    ///   tie-break on the name, so the choice is stable from pass to pass.
    /// - A full SHA at a ref tip resolves at once. An abbreviated SHA that matches two tips is
    ///   ambiguous and fails; any other abbreviation, even one matching a single tip, is looked
    ///   up in the whole history, because a commit deeper down may share the prefix.
    public static func resolve(_ track: Track, in refs: RemoteRefs) -> TrackResolution {
        switch track {
        case .none:
            return .failed("track none is not resolved")
        case .sha(let sha):
            if ObjectID.isFull(sha), refs.allSHAs.contains(sha) { return .resolved(RefPoint(ref: sha, sha: sha)) }
            let matches = refs.allSHAs.filter { $0.hasPrefix(sha) }
            if matches.count > 1 {
                return .failed("sha:\(sha) is ambiguous upstream: it matches \(matches.sorted().map { String($0.prefix(12)) }.joined(separator: ", ")); write more digits")
            }
            return .needsObjectLookup(sha)
        case .tag(let name):
            guard let sha = refs.tags[name] else {
                return .failed("tag '\(name)' does not exist upstream")
            }
            return .resolved(RefPoint(ref: name, sha: sha))
        case .latest:
            guard let best = highest(in: refs, where: { $0.version.prereleaseIdentifiers.isEmpty }) else {
                return .failed("no release tag upstream: tag:latest needs a tag like v1.2.3 (prereleases and other tags are ignored)")
            }
            return .resolved(best)
        case .range(let range):
            guard let best = highest(in: refs, where: { range.contains($0.version) }) else {
                return .failed("no tag upstream satisfies the range '\(range.text)'")
            }
            return .resolved(best)
        case .branch(let name):
            guard let sha = refs.branches[name] else {
                return .failed("branch '\(name)' does not exist upstream")
            }
            return .resolved(RefPoint(ref: name, sha: sha))
        }
    }

    /// Every target `track` could take, best first: for `tag:latest` and a range each matching
    /// tag from the highest version down (what a soak falls back through); otherwise the one
    /// target of ``resolve(_:in:)``, if it resolves.
    public static func candidates(_ track: Track, in refs: RemoteRefs) -> [RefPoint] {
        let accept: (TagVersion) -> Bool
        switch track {
        case .latest: accept = { $0.version.prereleaseIdentifiers.isEmpty }
        case .range(let range): accept = { range.contains($0.version) }
        case .none, .sha, .tag, .branch:
            if case .resolved(let point) = resolve(track, in: refs) { return [point] }
            return []
        }
        return refs.tags.keys.compactMap(TagVersion.init(tag:)).filter(accept).sorted(by: >).compactMap { version in
            refs.tags[version.tag].map { RefPoint(ref: version.tag, sha: $0) }
        }
    }

    private static func highest(in refs: RemoteRefs, where accept: (TagVersion) -> Bool) -> RefPoint? {
        let best = refs.tags.keys.compactMap(TagVersion.init(tag:)).filter(accept).max()
        guard let best, let sha = refs.tags[best.tag] else { return nil }
        return RefPoint(ref: best.tag, sha: sha)
    }
}
