import Foundation

/// The root's `sluice.yaml`: discovery, queue location, source policy, git limits and apply settings.
///
/// Every key is optional; a root without the file uses ``SluiceConfig/standard``.
public struct SluiceConfig: Sendable, Hashable {
    /// The file name at the root.
    public static let fileName = "sluice.yaml"

    /// The queue folder, relative to the root.
    public var queue: String = "updates"
    /// The state folder (git caches, retained trees, locks), relative to the root.
    public var state: String = ".sluice"
    /// How deep below the root workspaces are looked for.
    public var maxDepth: Int = 4
    /// Shell-style patterns of workspace paths (relative to the root) to leave out.
    public var exclude: [String] = []
    /// Which source URLs are accepted.
    public var sources: SourcePolicy = .standard
    /// Seconds one `git ls-remote` may take.
    public var resolveTimeout: Int = 60
    /// Seconds one `git fetch` may take.
    public var fetchTimeout: Int = 300
    /// How many git processes run at once.
    public var concurrency: Int = 8
    /// How many previous trees are kept per plugin for rollback.
    public var retain: Int = 3
    /// The largest plugin tree accepted, in bytes.
    public var maxTreeBytes: Int = 100 * 1024 * 1024
    /// Patterns of paths inside a plugin whose change alone allows a hot reload.
    public var hotPatterns: [String] = ["SKILL.md", "*/SKILL.md"]
    /// A command run after each apply, or nil.
    public var afterApply: String?
    /// Seconds a canary must have been applied before its target may fan out (`apply.canarySoak`).
    public var canarySoak: Int = 0
    /// Notifications of passes and apply runs (`notify`).
    public var notify = NotifyConfig()
    /// How `serve` tells unchanged files between passes (`watch`).
    public var watch: WatchMode = .auto

    /// The release policy of subscriptions that set no `min-age` or `verify` (`defaults`).
    public var defaults: ReleasePolicy = .none
    /// The keys a signature is checked against (`verify`).
    public var trustedKeys = TrustedKeys()

    /// The identity of the commits `sluice sync` and `serve --git` make (`gitops.author`).
    public var gitAuthorName = "Sluice"
    /// The e-mail address of those commits.
    public var gitAuthorEmail = "sluice@localhost"
    /// How many times a rejected push is rebased and tried again (`gitops.pushRetries`).
    public var pushRetries = 5
    /// Whether an approval counts only when the commit that moved it is signed by a key of
    /// ``approvers`` (`approvals.requireSigned`).
    public var requireSignedApprovals = false
    /// How many distinct allowed signers an approval needs on the history of its move (the
    /// approving commit and the merges that brought it in), `approvals.minApprovers`; nil for one.
    public var minApprovers: Int?
    /// The keys approval commits are checked against (`approvals.allowedSigners`, `approvals.keyring`).
    public var approvers = TrustedKeys()

    /// The defaults.
    public static let standard = SluiceConfig()

    /// Creates the default configuration.
    public init() {}
}
