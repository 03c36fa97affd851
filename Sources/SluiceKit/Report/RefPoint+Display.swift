extension RefPoint {
    /// The first 12 hex digits of a SHA: how commits are shown to people and in logs.
    public static func shortSHA(_ sha: String) -> String {
        String(sha.prefix(12))
    }

    /// This point's SHA, shortened (see ``shortSHA(_:)``).
    public var shortSHA: String { Self.shortSHA(sha) }

    /// `v1.0.2 (1a2b3c4d5e6f)`, or the short SHA alone when the ref is unknown or is the SHA
    /// itself: the form of tables and messages.
    public var display: String { joined { ref, sha in "\(ref) (\(sha))" } }

    /// `v1.0.2@1a2b3c4d5e6f`, or the short SHA alone: one word, for log metadata.
    public var logValue: String { joined { ref, sha in "\(ref)@\(sha)" } }

    /// The short SHA, joined to the ref by `join` when there is a ref that is not the SHA.
    private func joined(_ join: (String, String) -> String) -> String {
        guard let ref, ref != sha else { return shortSHA }
        return join(ref, shortSHA)
    }
}
