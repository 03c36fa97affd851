import Crypto
import Foundation
import SluiceKit

/// The admin API's bearer token, compared in constant time.
///
/// Both the expected and the presented token are run through HMAC-SHA256 under a key made
/// at start, and the codes are compared with `HMAC.isValidAuthenticationCode`: the time taken
/// depends neither on where the tokens differ nor on their lengths.
public struct BearerToken: Sendable {
    private let key = SymmetricKey(size: .bits256)
    private let expected: [UInt8]

    /// Creates the check for `token`.
    public init(_ token: String) {
        expected = Array(HMAC<SHA256>.authenticationCode(for: Data(token.utf8), using: key))
    }

    /// Whether an `Authorization` header value is `Bearer <token>`.
    public func accepts(authorization header: String?) -> Bool {
        guard let header else { return false }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return false }
        let presented = Data(parts[1].trimmingCharacters(in: .whitespaces).utf8)
        return HMAC<SHA256>.isValidAuthenticationCode(expected, authenticating: presented, using: key)
    }
}
