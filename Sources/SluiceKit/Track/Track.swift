/// What a subscription follows upstream: the grammar of `track:` in `plugins.yaml`.
///
/// `none | sha:<hex> | tag:<exact> | tag:latest | tag:<semver range> | branch:<name>`.
/// A value without one of these prefixes is refused, never guessed at: the platform stored
/// bare `main` and `v0.2.1`, read them as `none`, and silently never updated anything.
public enum Track: Sendable, Hashable, CustomStringConvertible {
    /// No subscription: nothing is ever queued.
    case none
    /// A pinned commit, full or abbreviated (lowercase hex, 7 to 40 digits).
    case sha(String)
    /// One exact tag; a tag moved to another commit is drift of its own kind (retag).
    case tag(String)
    /// The highest semantic-version tag, prereleases excluded.
    case latest
    /// The highest semantic-version tag inside a range.
    case range(VersionRange)
    /// The tip of a branch.
    case branch(String)

    /// The shortest abbreviated SHA accepted; shorter ones collide too easily.
    public static let minimumSHALength = 7

    /// Parses a track value.
    ///
    /// - Parameter text: The value as written in the manifest.
    /// - Throws: ``TrackError`` with the offset of the offending character.
    public init(parsing text: String) throws(TrackError) {
        if text == "none" {
            self = .none
            return
        }
        guard let colon = text.firstIndex(of: ":") else {
            throw TrackError(offset: 0, message: "'\(text)' has no kind; expected none, sha:<hex>, tag:<name>, tag:latest, tag:<range> or branch:<name> (for example tag:\(text) or branch:\(text))")
        }
        let kind = String(text[..<colon])
        let value = String(text[text.index(after: colon)...])
        let valueOffset = kind.count + 1
        switch kind {
        case "sha":
            let lower = value.lowercased()
            guard (Self.minimumSHALength...40).contains(lower.count) else {
                throw TrackError(offset: valueOffset, message: "sha:\(value) has \(value.count) hex digits; expected \(Self.minimumSHALength) to 40")
            }
            if let bad = lower.firstIndex(where: { !("0"..."9").contains($0) && !("a"..."f").contains($0) }) {
                throw TrackError(offset: valueOffset + lower.distance(from: lower.startIndex, to: bad), message: "sha:\(value) contains '\(lower[bad])'; expected hexadecimal digits 0-9 and a-f")
            }
            self = .sha(lower)
        case "tag":
            if value == "latest" {
                self = .latest
            } else if VersionRange.looksLikeRange(value) {
                do {
                    self = .range(try VersionRange(value))
                } catch {
                    let leading = value.prefix(while: \.isWhitespace).count
                    throw TrackError(offset: valueOffset + leading + error.offset, message: "tag:\(value) is not a valid version range: \(error.message)")
                }
            } else if let problem = RefName.problem(with: value) {
                throw TrackError(offset: valueOffset + problem.offset, message: "tag:\(value) is not a valid tag name: \(problem.message)")
            } else {
                self = .tag(value)
            }
        case "branch":
            if let problem = RefName.problem(with: value) {
                throw TrackError(offset: valueOffset + problem.offset, message: "branch:\(value) is not a valid branch name: \(problem.message)")
            }
            self = .branch(value)
        default:
            throw TrackError(offset: 0, message: "unknown track kind '\(kind)'; expected none, sha:, tag: or branch:")
        }
    }

    /// The canonical text, as written in manifests and records.
    public var description: String {
        switch self {
        case .none: return "none"
        case .sha(let sha): return "sha:\(sha)"
        case .tag(let tag): return "tag:\(tag)"
        case .latest: return "tag:latest"
        case .range(let range): return "tag:\(range.text)"
        case .branch(let branch): return "branch:\(branch)"
        }
    }
}

/// A track value that does not parse.
public struct TrackError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 0-based offset of the offending character in the value.
    public var offset: Int
    /// What was found and what was expected.
    public var message: String

    /// The message.
    public var description: String { message }
}
