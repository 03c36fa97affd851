import Foundation

/// Turns an ASCII-armoured OpenPGP key block (`gpg --export --armor`) into the binary packets
/// GnuPG reads from a `pubring.gpg`; binary input is returned as it is.
enum OpenPGPArmor {
    static func dearmored(_ data: Data) -> Data {
        guard let text = String(data: data, encoding: .utf8), text.contains("-----BEGIN PGP") else { return data }
        var result = Data()
        var body = ""
        var inBlock = false
        var inHeaders = false
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("-----BEGIN PGP") {
                inBlock = true
                inHeaders = true
                body = ""
            } else if line.hasPrefix("-----END PGP") {
                if let decoded = Data(base64Encoded: body) { result.append(decoded) }
                inBlock = false
            } else if inBlock {
                if inHeaders {
                    // Armour headers (`Comment: …`) end at the first empty line.
                    if line.isEmpty || !line.contains(": ") { inHeaders = false }
                    if line.isEmpty || line.contains(": ") { continue }
                }
                if line.hasPrefix("=") { continue }
                body += line
            }
        }
        return result
    }
}
