/// Checks on git object ids taken from files, before they reach git or a comparison.
public enum ObjectID {
    /// Whether `text` is lowercase hexadecimal (ASCII `0-9a-f` only).
    public static func isHex(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// Whether `text` is a full SHA-1 (40) or SHA-256 (64) object id in lowercase hex.
    public static func isFull(_ text: String) -> Bool {
        (text.utf8.count == 40 || text.utf8.count == 64) && isHex(text)
    }
}
