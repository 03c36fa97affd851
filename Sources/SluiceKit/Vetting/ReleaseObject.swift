import Foundation

/// What the release policy reads from the text of a tag or commit object: its date, what a tag
/// points at, and which kind of signature it carries.
public struct ReleaseObject: Sendable, Hashable {
    /// A tag or a commit.
    public var kind: Git.ObjectKind
    /// The tagger date of a tag, the committer date of a commit.
    public var date: Date?
    /// The object a tag points at (its `object` header); nil for a commit.
    public var target: String?
    /// The kind of signature found (`ssh` or `gpg`), or nil when the object is not signed.
    public var signature: VerifyMode?

    /// Reads the text `git cat-file <kind>` printed.
    public init(parsing text: String, kind: Git.ObjectKind) {
        self.kind = kind
        var date: Date?
        var target: String?
        var signed: String?
        var inHeader = true
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if inHeader {
                if line.isEmpty { inHeader = false; continue }
                if line.hasPrefix("object "), kind == .tag { target = String(line.dropFirst(7)) }
                if line.hasPrefix(kind == .tag ? "tagger " : "committer ") { date = Self.date(inIdentity: line) }
                if line.hasPrefix("gpgsig ") || line.hasPrefix("gpgsig-sha256 ") { signed = String(line) }
            } else if kind == .tag, line.hasPrefix("-----BEGIN ") {
                signed = String(line)
            }
        }
        self.date = date
        self.target = target
        if let signed {
            signature = signed.contains("BEGIN SSH SIGNATURE") ? .ssh : signed.contains("BEGIN PGP SIGNATURE") ? .gpg : nil
        }
    }

    /// `tagger Name <mail> 1700000000 +0100`: the seconds before the zone.
    static func date(inIdentity line: Substring) -> Date? {
        let fields = line.split(separator: " ")
        guard fields.count >= 2, let seconds = TimeInterval(fields[fields.count - 2]) else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }
}
