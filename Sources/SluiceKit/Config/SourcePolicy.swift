import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which source URLs a root accepts: an allow-list of transports and optional URL patterns.
public struct SourcePolicy: Sendable, Hashable {
    /// Transports allowed; `file` and `git` (unauthenticated) must be opted into.
    public var transports: Set<SourceURL.Transport>
    /// Shell-style patterns (`*`, `?`, `[...]`); when non-empty, a URL must match one.
    public var allow: [String]

    /// The default policy: encrypted transports only, any host.
    public static let standard = SourcePolicy(transports: [.https, .ssh], allow: [])

    /// Creates a policy.
    public init(transports: Set<SourceURL.Transport>, allow: [String]) {
        self.transports = transports
        self.allow = allow
    }

    /// Parses and checks a URL against the policy.
    ///
    /// - Throws: ``SourceURLError`` naming the rule that refused it.
    public func check(_ url: String) throws(SourceURLError) -> SourceURL {
        let source = try SourceURL(url)
        guard transports.contains(source.transport) else {
            let allowed = transports.map(\.rawValue).sorted().joined(separator: ", ")
            throw SourceURLError("the \(source.transport.rawValue) transport is not allowed here (allowed: \(allowed)); add it to sources.transports in sluice.yaml if it is intended")
        }
        if !allow.isEmpty, !allow.contains(where: { fnmatch($0, url, 0) == 0 }) {
            throw SourceURLError("'\(url)' matches none of sources.allow in sluice.yaml (\(allow.joined(separator: ", ")))")
        }
        return source
    }
}
