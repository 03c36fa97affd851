import Foundation
import Yams

extension ManifestEditor {
    /// Returns `text` with `hold` of the entry `name` set to `hold`, editing only that value's
    /// text (or adding one `hold: true` line), so that comments and formatting stay.
    ///
    /// An existing `hold:` value is replaced in place, keeping a comment after it; a missing one
    /// is added after the entry's last line, at the indentation of its first key. Unholding an
    /// entry without `hold:` changes nothing.
    /// - Throws: ``SluiceError/usage(_:)`` when the entry does not exist or is written in flow style.
    public static func settingHold(_ hold: Bool, plugin name: String, in text: String, file: String) throws -> String {
        var lines = text.components(separatedBy: "\n")
        let trailingNewline = lines.last == ""
        if trailingNewline { lines.removeLast() }
        guard case .mapping(let top)? = try Yams.compose(yaml: text), case .mapping(let plugins)? = top["plugins"] else {
            throw SluiceError.usage("\(file) has no plugins mapping; nothing to \(hold ? "hold" : "unhold")")
        }
        guard let key = plugins.keys.first(where: { $0.string == name }), let value = plugins[key] else {
            throw SluiceError.usage("'\(name)' is not in \(file); the plugins there are: \(plugins.keys.compactMap(\.string).joined(separator: ", "))")
        }
        guard case .mapping(let entry) = value, !entry.isEmpty else {
            throw SluiceError.usage("the entry '\(name)' in \(file) is not a block mapping; edit 'hold' by hand")
        }
        let (entryLine, entryColumn) = YAMLReader.position(of: value)
        if entryLine - 1 < lines.count, Array(lines[entryLine - 1]).dropFirst(entryColumn - 1).first == "{" {
            throw SluiceError.usage("the entry '\(name)' in \(file) is written in flow style ({...}); edit 'hold' by hand")
        }
        let word = hold ? "true" : "false"
        if let holdKey = entry.keys.first(where: { $0.string == "hold" }), let holdValue = entry[holdKey] {
            let (line, column) = YAMLReader.position(of: holdValue)
            var characters = Array(lines[line - 1])
            let start = column - 1
            var end = start
            while end < characters.count, characters[end] != " ", characters[end] != "#" { end += 1 }
            characters.replaceSubrange(start..<end, with: Array(word))
            lines[line - 1] = String(characters)
        } else if hold {
            let firstKey = entry.keys.first.map { YAMLReader.position(of: $0) } ?? (entryLine, entryColumn)
            let indent = String(repeating: " ", count: firstKey.1 - 1)
            // The entry ends at the last content line indented deeper than the plugin's name.
            let nameIndent = YAMLReader.position(of: key).1 - 1
            var last = firstKey.0 - 1
            var index = last + 1
            while index < lines.count {
                let line = lines[index]
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if !trimmed.isEmpty, !trimmed.hasPrefix("#") {
                    if line.prefix(while: { $0 == " " }).count <= nameIndent { break }
                    last = index
                }
                index += 1
            }
            lines.insert(indent + "hold: true", at: last + 1)
        }
        return lines.joined(separator: "\n") + (trailingNewline ? "\n" : "")
    }
}
