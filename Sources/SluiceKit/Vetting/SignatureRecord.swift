/// Who signed a queued target, as checked by reconcile and recorded in the pending file
/// (`signature:`); apply checks the signature again and refuses when it no longer matches.
public struct SignatureRecord: Codable, Sendable, Hashable {
    /// `ssh` or `gpg`.
    public var method: VerifyMode
    /// `tag` (an annotated tag, for `tag:` tracks) or `commit` (for `sha:` and `branch:`).
    public var object: String
    /// The id of the signed object (the tag object, or the commit).
    public var id: String
    /// The principal of the allowed-signers file (ssh) or the key's user id (gpg).
    public var signer: String
    /// The key's fingerprint (`SHA256:…` for ssh, the OpenPGP fingerprint for gpg).
    public var key: String

    /// Creates a record.
    public init(method: VerifyMode, object: String, id: String, signer: String, key: String) {
        self.method = method
        self.object = object
        self.id = id
        self.signer = signer
        self.key = key
    }

    /// Reads the signer and key from what git's `verify-tag`/`verify-commit --raw` reported
    /// for a good signature, or nil when the report names none.
    ///
    /// ssh: `Good "git" signature for <principal> with <type> key SHA256:<…>`; gpg:
    /// `[GNUPG:] GOODSIG <key id> <user id>` and `[GNUPG:] VALIDSIG <fingerprint> …`.
    public static func signer(in report: String, method: VerifyMode) -> (signer: String, key: String)? {
        switch method {
        case .none: nil
        case .ssh: sshSigner(in: report)
        case .gpg: gpgSigner(in: report)
        }
    }

    private static func sshSigner(in report: String) -> (signer: String, key: String)? {
        for line in report.split(separator: "\n") {
            guard let start = line.range(of: "signature for "), let with = line.range(of: " with ", range: start.upperBound..<line.endIndex),
                  let key = line.range(of: " key ", range: with.upperBound..<line.endIndex) else { continue }
            return (String(line[start.upperBound..<with.lowerBound]), line[key.upperBound...].trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    private static func gpgSigner(in report: String) -> (signer: String, key: String)? {
        var user: String?
        var fingerprint: String?
        for line in report.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 3)
            guard fields.count >= 3, fields[0] == "[GNUPG:]" else { continue }
            if fields[1] == "GOODSIG" { user = fields.count > 3 ? String(fields[3]) : String(fields[2]) }
            if fields[1] == "VALIDSIG" { fingerprint = String(fields[2]) }
        }
        guard let user, let fingerprint else { return nil }
        return (user, fingerprint)
    }

    /// Why git refused a signature, in one line, from its report.
    public static func refusal(in report: String) -> String {
        let lines = report.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for status in ["NO_PUBKEY", "BADSIG", "EXPKEYSIG", "REVKEYSIG", "ERRSIG"] {
            if lines.contains(where: { $0.hasPrefix("[GNUPG:] " + status) }) {
                return ["NO_PUBKEY": "signed by a key that is not in the keyring", "BADSIG": "bad signature",
                        "EXPKEYSIG": "signed by an expired key", "REVKEYSIG": "signed by a revoked key",
                        "ERRSIG": "the signature could not be checked (unknown key or algorithm)"][status] ?? status
            }
        }
        let text = lines.filter { !$0.hasPrefix("[GNUPG:]") && !$0.hasPrefix("gpg:") }.joined(separator: "; ")
        if text.contains("No principal matched") || text.contains("not found in allowed signers") || text.contains("allowed signers") {
            return "signed by a key that is not in the allowed-signers file"
        }
        return text.isEmpty ? "the signature did not verify" : String(text.prefix(300))
    }
}
