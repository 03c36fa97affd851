/// Validation of git ref names, following `git check-ref-format` for one ref component path.
///
/// Names come from manifests, which are untrusted input: a name that git would read as an
/// option (leading `-`) or that is not a valid ref is refused before it reaches git.
public enum RefName {
    /// The longest ref name accepted, as on the platform.
    public static let maximumLength = 255

    /// Returns why `name` is not a valid ref name, or nil when it is.
    public static func problem(with name: String) -> (offset: Int, message: String)? {
        if name.isEmpty { return (0, "the name is empty") }
        if name.count > maximumLength { return (maximumLength, "the name is longer than \(maximumLength) characters") }
        if name.hasPrefix("-") { return (0, "a name must not start with '-'") }
        if name.hasPrefix("/") || name.hasSuffix("/") { return (name.hasPrefix("/") ? 0 : name.count - 1, "a name must not start or end with '/'") }
        if name.hasSuffix(".") { return (name.count - 1, "a name must not end with '.'") }
        var offset = 0
        for component in name.split(separator: "/", omittingEmptySubsequences: false) {
            if component.hasSuffix(".lock") { return (offset + component.count - 5, "a name or path component must not end with '.lock'") }
            offset += component.count + 1
        }
        if name == "@" { return (0, "'@' alone is not a name") }
        let characters = Array(name)
        for (index, character) in characters.enumerated() {
            let scalar = character.unicodeScalars.first?.value ?? 0
            if scalar < 0x20 || scalar == 0x7f || character == " " {
                return (index, "a name must not contain spaces or control characters")
            }
            if "~^:?*[\\".contains(character) {
                return (index, "a name must not contain '\(character)'")
            }
            let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
            if character == ".", next == "." { return (index, "a name must not contain '..'") }
            if character == "/", next == "/" { return (index, "a name must not contain '//'") }
            if character == "@", next == "{" { return (index, "a name must not contain '@{'") }
            if character == "/", next == "." { return (index + 1, "a path component must not start with '.'") }
        }
        if name.hasPrefix(".") { return (0, "a path component must not start with '.'") }
        return nil
    }
}
