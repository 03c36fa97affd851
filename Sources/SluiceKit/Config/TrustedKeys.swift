/// The files of keys a release signature is checked against, relative to the root
/// (`verify.ssh.allowed-signers`, `verify.gpg.keyring` in `sluice.yaml`).
///
/// Only these keys count: the user's own GnuPG home and git configuration are never consulted.
public struct TrustedKeys: Sendable, Hashable {
    /// An allowed-signers file in git's format (`gpg.ssh.allowedSignersFile`).
    public var sshAllowedSigners: String?
    /// An OpenPGP keyring: public keys exported with `gpg --export` (binary or `--armor`).
    public var gpgKeyring: String?

    /// Creates an empty set: nothing verifies.
    public init(sshAllowedSigners: String? = nil, gpgKeyring: String? = nil) {
        self.sshAllowedSigners = sshAllowedSigners
        self.gpgKeyring = gpgKeyring
    }

    /// The file of keys for `mode`, or nil.
    public func file(for mode: VerifyMode) -> String? {
        switch mode {
        case .none: nil
        case .ssh: sshAllowedSigners
        case .gpg: gpgKeyring
        }
    }

    /// Why `mode` cannot be checked with these keys, or nil.
    public func problem(for mode: VerifyMode) -> String? {
        guard mode != .none, file(for: mode) == nil else { return nil }
        let key = mode == .ssh ? "verify.ssh.allowed-signers" : "verify.gpg.keyring"
        return "verify: \(mode.rawValue) needs \(key) in sluice.yaml (the file of trusted keys)"
    }
}
