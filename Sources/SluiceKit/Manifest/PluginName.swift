/// The platform's rule for plugin names: `^[a-z0-9][a-z0-9._-]{0,127}$`, never `..`.
///
/// A plugin name becomes a folder under `plugins/` and part of queue file names, so it is
/// checked before it is ever joined to a path.
public enum PluginName {
    /// Returns why `name` is not a valid plugin name, or nil when it is.
    public static func problem(with name: String) -> String? {
        func isLowerAlnum(_ byte: UInt8) -> Bool { (0x61...0x7a).contains(byte) || (0x30...0x39).contains(byte) }
        func isAllowed(_ byte: UInt8) -> Bool { isLowerAlnum(byte) || byte == 0x2e || byte == 0x5f || byte == 0x2d }
        // One pass over the bytes (a pass checks every plugin of every manifest and every plugin
        // folder); the characters are walked only to name the one that is refused.
        var first: UInt8?
        var count = 0
        var onlyAllowed = true, previousDot = false, doubleDot = false
        for byte in name.utf8 {
            if first == nil { first = byte }
            count += 1
            if !isAllowed(byte) { onlyAllowed = false }
            doubleDot = doubleDot || (previousDot && byte == 0x2e)
            previousDot = byte == 0x2e
        }
        guard let first else { return "the name is empty" }
        guard count <= 128 else { return "the name has \(count) characters; expected at most 128" }
        guard isLowerAlnum(first) else { return "the name must start with a lowercase letter or a digit" }
        if !onlyAllowed {
            for character in name {
                if !(character.isASCII && character.asciiValue.map(isAllowed) == true) { return "the name contains '\(character)'; expected only a-z, 0-9, '.', '_' and '-'" }
            }
        }
        if doubleDot { return "the name must not contain '..'" }
        return nil
    }

    /// Whether `name` is a valid plugin name.
    public static func isValid(_ name: String) -> Bool { problem(with: name) == nil }
}
