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
        let block = entryLines(entry, indent: "  ")
        let meaningful = lines.contains { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
        guard meaningful else {
            return (lines + ["plugins:"] + block).joined(separator: "\n") + "\n"
        }
        guard case .mapping(let top)? = try Yams.compose(yaml: text) else {
            throw SluiceError.usage("\(file) is not a YAML mapping; fix it before installing")
        }
        guard let keyNode = top.keys.first(where: { $0.string == "plugins" }), let value = top["plugins"] else {
            return (lines + ["plugins:"] + block).joined(separator: "\n") + "\n"
        }
        let keyLine = YAMLReader.position(of: keyNode).0 - 1
        let keyIndent = YAMLReader.position(of: keyNode).1 - 1
        switch value {
        case .scalar where value.tag.description == Tag.Name.null.rawValue:
            lines.insert(contentsOf: block.map { String(repeating: " ", count: keyIndent) + $0 }, at: keyLine + 1)
        case .mapping(let mapping) where mapping.style == .flow:
            guard mapping.isEmpty, lines[keyLine].contains("{}") else {
                throw SluiceError.usage("\(file) writes plugins in flow style ({...}); rewrite it in block style or add '\(entry.name)' by hand")
            }
            lines[keyLine] = lines[keyLine].replacingOccurrences(of: "{}", with: "").replacingOccurrences(of: ": ", with: ":")
            while lines[keyLine].hasSuffix(" ") { lines[keyLine].removeLast() }
            lines.insert(contentsOf: block.map { String(repeating: " ", count: keyIndent) + $0 }, at: keyLine + 1)
        case .mapping(let mapping):
            if mapping.keys.contains(where: { $0.string == entry.name }) {
                throw SluiceError.usage("'\(entry.name)' is already in \(file); edit its entry there instead")
            }
            let firstKey = mapping.keys.first.map { YAMLReader.position(of: $0).1 - 1 } ?? keyIndent + 2
            let indent = String(repeating: " ", count: firstKey)
            var last = keyLine
            var index = keyLine + 1
            while index < lines.count {
                let line = lines[index]
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                let leading = line.prefix(while: { $0 == " " }).count
                if !trimmed.isEmpty, !trimmed.hasPrefix("#") {
                    if leading <= keyIndent { break }
                    last = index
                }
                index += 1
            }
            let nested = block.map { $0.hasPrefix("  ") ? indent + String($0.dropFirst(2)) : $0 }
            lines.insert(contentsOf: nested, at: last + 1)
        default:
            throw SluiceError.usage("'plugins' in \(file) is not a mapping; fix it before installing")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The entry as block lines, indented by `indent` for the name and twice for its keys.
    static func entryLines(_ entry: PluginEntry, indent: String) -> [String] {
        var lines = ["\(indent)\(entry.name):", "\(indent)\(indent)source: \(quoted(entry.source))"]
        if let subpath = entry.subpath { lines.append("\(indent)\(indent)subpath: \(quoted(subpath))") }
        lines.append("\(indent)\(indent)track: \(quoted(entry.track.description))")
        return lines
    }

    /// A double-quoted YAML scalar: safe for any URL or range text.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
