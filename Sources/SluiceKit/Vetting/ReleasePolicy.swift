/// What a subscription asks of a target before it is queued: an age (soak) and a signature.
///
/// A subscription's own `min-age` and `verify` win over `defaults` in `sluice.yaml`; with
/// neither, a target is queued as soon as it is seen (``ReleasePolicy/none``).
public struct ReleasePolicy: Sendable, Hashable {
    /// Seconds a target must have existed (see ``Sightings``) before it is queued; 0 for none.
    public var minAge: Int
    /// The signature a target must carry.
    public var verify: VerifyMode

    /// Creates a policy.
    public init(minAge: Int = 0, verify: VerifyMode = .none) {
        self.minAge = minAge
        self.verify = verify
    }

    /// No soak, no signature.
    public static let none = ReleasePolicy()

    /// Whether the policy asks anything of a target.
    public var isEmpty: Bool { minAge == 0 && verify == .none }
}

/// Which signature a target must carry (`verify:` in `plugins.yaml` and `defaults`).
public enum VerifyMode: String, Sendable, Hashable, CaseIterable, Codable {
    /// No signature check.
    case none
    /// An SSH signature by a key of `verify.ssh.allowed-signers`.
    case ssh
    /// An OpenPGP signature by a key of `verify.gpg.keyring`.
    case gpg
}

extension PluginEntry {
    /// This subscription's policy: its own keys, else the root's defaults.
    public func policy(defaults: ReleasePolicy) -> ReleasePolicy {
        ReleasePolicy(minAge: minAge ?? defaults.minAge, verify: verify ?? defaults.verify)
    }
}
