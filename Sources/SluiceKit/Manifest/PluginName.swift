/// The platform's rule for plugin names: `^[a-z0-9][a-z0-9._-]{0,127}$`, never `..`.
///
/// A plugin name becomes a folder under `plugins/` and part of queue file names, so it is
/// checked before it is ever joined to a path.
public enum PluginName {
    /// Returns why `name` is not a valid plugin name, or nil when it is.
    public static func problem(with name: String) -> String? {
        let bytes = Array(name.utf8)
        guard let first = bytes.first else { return "the name is empty" }
        guard bytes.count <= 128 else { return "the name has \(bytes.count) characters; expected at most 128" }
        func isLowerAlnum(_ byte: UInt8) -> Bool { (0x61...0x7a).contains(byte) || (0x30...0x39).contains(byte) }
        guard isLowerAlnum(first) else { return "the name must start with a lowercase letter or a digit" }
        for character in name {
            let allowed = character.isASCII && character.asciiValue.map { isLowerAlnum($0) || $0 == 0x2e || $0 == 0x5f || $0 == 0x2d } == true
            if !allowed { return "the name contains '\(character)'; expected only a-z, 0-9, '.', '_' and '-'" }
        }
        if name.contains("..") { return "the name must not contain '..'" }
        return nil
    }

    /// Whether `name` is a valid plugin name.
    public static func isValid(_ name: String) -> Bool { problem(with: name) == nil }
}
