import Crypto
import Foundation
import SluiceKit

/// HMAC-SHA256 signatures of webhook bodies, as Gitea and GitHub send them.
///
/// Gitea puts the hex digest in `X-Gitea-Signature`; GitHub (and newer Gitea) put
/// `sha256=<hex>` in `X-Hub-Signature-256`. The comparison is constant-time
/// (`HMAC.isValidAuthenticationCode`), so a wrong signature tells nothing about the right one.
public struct WebhookSignature: Sendable {
    private let key: SymmetricKey

    /// Creates a verifier for `secret`.
    public init(secret: String) {
        key = SymmetricKey(data: Data(secret.utf8))
    }

    /// The lowercase hex HMAC-SHA256 of `body`, as `X-Gitea-Signature` carries it.
    public func sign(_ body: some DataProtocol) -> String {
        HMAC<SHA256>.authenticationCode(for: body, using: key).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `header` (hex, or `sha256=<hex>`) is the signature of `body`.
    ///
    /// A missing, malformed or wrong signature is `false`.
    public func isValid(_ header: String?, body: some DataProtocol) -> Bool {
        guard var text = header?.trimmingCharacters(in: .whitespaces) else { return false }
        if text.lowercased().hasPrefix("sha256=") { text = String(text.dropFirst(7)) }
        guard let signature = Self.bytes(hex: text), signature.count == SHA256.byteCount else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: body, using: key)
    }

    /// The bytes of a hex string, or nil when it is not one.
    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
