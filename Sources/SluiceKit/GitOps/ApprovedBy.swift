/// Who approved an update, as apply found out: written into the record in `applied/` and
/// `failed/` (`approved-by`), shown by `status --json` and the admin API.
public struct ApprovedBy: Codable, Sendable, Hashable {
    /// How the approval was made.
    public enum Via: String, Codable, Sendable, Hashable, CaseIterable {
        /// A commit in the root's git history added the file to `approved/`.
        case git
        /// `sluice approve` moved it, as the named local user.
        case sluiceApprove = "sluice-approve"
        /// A plain `mv` (or a move no commit records yet): nothing says who.
        case unattributed
    }

    /// How the approval was made.
    public var via: Via
    /// The commit that moved the file into `approved/` (`via: git`).
    public var commit: String?
    /// That commit's author, `Name <mail>`.
    public var author: String?
    /// That commit's committer, `Name <mail>`.
    public var committer: String?
    /// The local user who ran `sluice approve`.
    public var user: String?
    /// When: the commit's committer time, or when `sluice approve` ran; ISO 8601.
    public var at: String?
    /// The commit's signature: `good`, `none` (unsigned), or `bad: <reason>` (checked against
    /// `approvals.allowed-signers`/`approvals.keyring` only).
    public var signature: String?
    /// The signer of a good signature (principal or user id) and its key.
    public var signer: String?
    /// The signing key's fingerprint.
    public var key: String?
    /// With `approvals.min-approvers`: the distinct allowed signers on the history of the move
    /// (the approving commit and the merges that brought it in).
    public var signers: [String]?

    /// Creates an attribution.
    public init(via: Via, commit: String? = nil, author: String? = nil, committer: String? = nil, user: String? = nil, at: String? = nil,
                signature: String? = nil, signer: String? = nil, key: String? = nil) {
        self.via = via
        self.commit = commit
        self.author = author
        self.committer = committer
        self.user = user
        self.at = at
        self.signature = signature
        self.signer = signer
        self.key = key
    }

    /// One line for people: `alice <a@x> in 1a2b3c4d5e6f (signed by alice@x)`.
    public var summary: String {
        switch via {
        case .git:
            let sign = signature == "good" ? " (signed by \(signer ?? "?"))" : signature == "none" ? " (unsigned)" : " (\(signature ?? "signature unknown"))"
            return "\(author ?? "?") in \(commit.map { String($0.prefix(12)) } ?? "?")\(sign)"
        case .sluiceApprove: return "\(user ?? "?") with sluice approve"
        case .unattributed: return "unattributed (a plain mv)"
        }
    }
}
