import Foundation
import Yams

/// Adds a subscription to a `plugins.yaml` by editing its text, so that comments, order and
/// formatting of everything else stay exactly as the operator wrote them.
public enum ManifestEditor {
    /// Returns `text` with an entry for `name` appended to the `plugins:` mapping.
    ///
    /// - Throws: ``SluiceError/usage(_:)`` when the file's shape does not allow a safe text edit
    ///   (flow style, or `plugins` not a mapping) or the entry already exists.
    public static func adding(_ entry: PluginEntry, to text: String, file: String) throws -> String {
        var lines = text.isEmpty ? [] : text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        let meaningful = lines.contains { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
        guard meaningful else {
            return (lines + ["plugins:"] + entryLines(entry, indent: "  ", step: "  ")).joined(separator: "\n") + "\n"
        }
        guard case .mapping(let top)? = try Yams.compose(yaml: text) else {
            throw SluiceError.usage("\(file) is not a YAML mapping; fix it before installing")
        }
        guard let keyNode = top.keys.first(where: { $0.string == "plugins" }), let value = top["plugins"] else {
            return (lines + ["plugins:"] + entryLines(entry, indent: "  ", step: "  ")).joined(separator: "\n") + "\n"
        }
        let (keyLineNumber, keyColumn) = YAMLReader.position(of: keyNode)
        let keyLine = keyLineNumber - 1
        let keyIndent = String(repeating: " ", count: keyColumn - 1)
        let (valueLine, valueColumn) = YAMLReader.position(of: value)
        let valueText = valueLine - 1 < lines.count ? Array(lines[valueLine - 1]) : []
        let isFlow = valueColumn - 1 < valueText.count && (valueText[valueColumn - 1] == "{" || valueText[valueColumn - 1] == "[")
        switch value {
        case .scalar where YAMLReader.isNull(value):
            lines.insert(contentsOf: entryLines(entry, indent: keyIndent + "  ", step: "  "), at: keyLine + 1)
        case .mapping(let mapping) where isFlow:
            guard mapping.isEmpty, let brace = lines[keyLine].range(of: "{}") else {
                throw SluiceError.usage("\(file) writes plugins in flow style ({...}); rewrite it in block style or add '\(entry.name)' by hand")
            }
            var line = lines[keyLine]
            line.removeSubrange(brace)
            while line.hasSuffix(" ") { line.removeLast() }
            lines[keyLine] = line
            lines.insert(contentsOf: entryLines(entry, indent: keyIndent + "  ", step: "  "), at: keyLine + 1)
        case .mapping(let mapping):
            if mapping.keys.contains(where: { $0.string == entry.name }) {
                throw SluiceError.usage("'\(entry.name)' is already in \(file); edit its entry there instead")
            }
            // Follow the file's own indentation: the column of its first entry, and one more step inside.
            let entryColumn = mapping.keys.first.map { YAMLReader.position(of: $0).1 - 1 } ?? keyIndent.count + 2
            let step = String(repeating: " ", count: max(entryColumn - keyIndent.count, 1))
            var last = keyLine
            var index = keyLine + 1
            while index < lines.count {
                let line = lines[index]
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if !trimmed.isEmpty, !trimmed.hasPrefix("#") {
                    if line.prefix(while: { $0 == " " }).count <= keyIndent.count { break }
                    last = index
                }
                index += 1
            }
            lines.insert(contentsOf: entryLines(entry, indent: String(repeating: " ", count: entryColumn), step: step), at: last + 1)
        default:
            throw SluiceError.usage("'plugins' in \(file) is not a mapping; fix it before installing")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The entry as block lines: the name at `indent`, its keys one `step` further in.
    static func entryLines(_ entry: PluginEntry, indent: String, step: String) -> [String] {
        let inner = indent + step
        var lines = ["\(indent)\(entry.name):", "\(inner)source: \(quoted(entry.source))"]
        if let subpath = entry.subpath { lines.append("\(inner)subpath: \(quoted(subpath))") }
        lines.append("\(inner)track: \(quoted(entry.track.description))")
        return lines
    }

    /// A double-quoted YAML scalar: safe for any URL or range text.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
