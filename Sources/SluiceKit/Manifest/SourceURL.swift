/// A plugin's git URL, checked against the transport allow-list before git ever sees it.
///
/// Accepted forms: `https://`, `http://`, `ssh://`, `git://`, `file://`, scp-like
/// `[user@]host:path` (ssh), and absolute paths (file). Remote-helper syntax (`ext::`,
/// `fd::`, any `<name>::`) and anything git could read as an option are refused.
public struct SourceURL: Sendable, Hashable, CustomStringConvertible {
    /// A way git reaches a repository.
    public enum Transport: String, Sendable, Hashable, CaseIterable, Codable {
        case https, http, ssh, git, file
    }

    /// The URL exactly as written.
    public let url: String
    /// The transport it uses.
    public let transport: Transport

    /// Classifies and checks a URL.
    ///
    /// - Throws: ``SourceURLError`` saying what is wrong and what was expected.
    public init(_ url: String) throws(SourceURLError) {
        self.url = url
        self.transport = try Self.classify(url)
    }

    /// The URL.
    public var description: String { url }

    /// The first range of `needle` in `text`, compared byte by byte (no Foundation bridging).
    static func find(_ needle: String, in text: String) -> Range<String.Index>? {
        let bytes = Array(needle.utf8)
        var index = text.utf8.startIndex
        while index < text.utf8.endIndex {
            if text.utf8[index...].starts(with: bytes) {
                return index..<text.utf8.index(index, offsetBy: bytes.count)
            }
            index = text.utf8.index(after: index)
        }
        return nil
    }

    private static func classify(_ url: String) throws(SourceURLError) -> Transport {
        guard !url.isEmpty else { throw SourceURLError("the URL is empty") }
        guard !url.hasPrefix("-") else { throw SourceURLError("the URL starts with '-', which git would read as an option") }
        if let bad = url.unicodeScalars.first(where: { $0.value <= 0x20 || $0.value == 0x7f }) {
            throw SourceURLError("the URL contains a space or control character (U+\(String(bad.value, radix: 16, uppercase: true)))")
        }
        if let helper = Self.find("::", in: url), url[..<helper.lowerBound].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) }) {
            throw SourceURLError("remote-helper URLs ('<transport>::<address>', such as ext::) run arbitrary commands and are never allowed")
        }
        if let schemeEnd = Self.find("://", in: url) {
            let written = url[..<schemeEnd.lowerBound]
            let scheme = written.lowercased()
            let rest = url[schemeEnd.upperBound...]
            if written != scheme, Self.knownSchemes.contains(scheme) {
                throw SourceURLError("the scheme '\(written)://' must be written in lower case ('\(scheme)://'), as git expects")
            }
            let transport: Transport
            switch scheme {
            case "https": transport = .https
            case "http": transport = .http
            case "ssh", "git+ssh", "ssh+git": transport = .ssh
            case "git": transport = .git
            case "file": transport = .file
            default:
                throw SourceURLError("unknown scheme '\(scheme)://'; expected https://, http://, ssh://, git://, file:// or user@host:path")
            }
            if transport != .file {
                let authority = rest.prefix(while: { $0 != "/" })
                if Self.holdsCredentials(scheme: scheme, authority: authority) {
                    throw SourceURLError("the URL holds credentials before '@'; remove them and let git's credential helper (git config credential.helper) or an ssh key provide them")
                }
                let host = authority.split(separator: "@", omittingEmptySubsequences: false).last.map(String.init) ?? ""
                guard !host.isEmpty else { throw SourceURLError("the URL has no host") }
                guard !host.hasPrefix("-") else { throw SourceURLError("the host starts with '-', which ssh would read as an option") }
                guard rest.count > authority.count + 1 else { throw SourceURLError("the URL has no repository path") }
            } else {
                guard rest.hasPrefix("/") else { throw SourceURLError("a file:// URL must hold an absolute path (file:///path/to/repo.git)") }
            }
            return transport
        }
        if url.hasPrefix("/") { return .file }
        if let colon = url.firstIndex(of: ":") {
            let hostPart = url[..<colon]
            if !hostPart.contains("/") {
                let host = hostPart.split(separator: "@", omittingEmptySubsequences: false).last.map(String.init) ?? ""
                guard !host.isEmpty else { throw SourceURLError("the scp-like URL has no host before ':'") }
                guard !host.hasPrefix("-") else { throw SourceURLError("the host starts with '-', which ssh would read as an option") }
                guard url.index(after: colon) < url.endIndex else { throw SourceURLError("the scp-like URL has no path after ':'") }
                return .ssh
            }
        }
        throw SourceURLError("'\(url)' is not a git URL; expected https://, ssh://, git://, file://, user@host:path or an absolute path")
    }
}

extension SourceURL {
    /// The schemes Sluice knows, in the lower case git expects.
    static let knownSchemes: Set<String> = ["https", "http", "ssh", "git+ssh", "ssh+git", "git", "file"]

    /// Whether a URL's authority carries a secret: a password (`user:secret@`) with any scheme,
    /// or any user part with http(s), where it is a token (`https://<token>@host`). A user
    /// alone is how ssh names its login (`ssh://git@host`), so it stays.
    static func holdsCredentials(scheme: String, authority: Substring) -> Bool {
        guard let at = authority.lastIndex(of: "@") else { return false }
        let userinfo = authority[..<at]
        return userinfo.contains(":") || scheme == "https" || scheme == "http"
    }

    /// `text` with the user part of every URL that holds credentials replaced by `***`, for
    /// anything printed or logged (a git error echoes the URL it was given).
    public static func redacted(_ text: String) -> String {
        guard text.contains("@"), text.contains("://") else { return text }
        var result = ""
        var rest = Substring(text)
        while let range = rest.range(of: "://") {
            let scheme = rest[..<range.lowerBound].reversed().prefix(while: { $0.isLetter || $0.isNumber || "+.-".contains($0) })
            result += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            let authority = rest.prefix(while: { $0 != "/" && !$0.isWhitespace })
            if holdsCredentials(scheme: String(scheme.reversed()).lowercased(), authority: authority), let at = authority.lastIndex(of: "@") {
                result += "***"
                rest = rest[at...]
            }
        }
        return result + rest
    }
}

/// A source URL that cannot be used.
public struct SourceURLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong and what was expected.
    public var message: String

    init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
