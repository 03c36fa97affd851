import Foundation
import Yams

/// Reads a YAML file into Yams nodes and collects located diagnostics while a schema is checked.
///
/// Every check records a problem and carries on, so that one pass over a file reports all of
/// its errors rather than the first one.
struct YAMLReader {
    /// The file's path as shown in diagnostics.
    let file: String
    private let text: String
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String, text: String) {
        self.file = file
        self.text = text
    }

    /// Composes the document; a syntax error becomes a diagnostic and the result is nil.
    mutating func root() -> Node? {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            error(line: 1, column: 1, "the file is empty; expected a YAML mapping")
            return nil
        }
        do {
            guard let node = try Yams.compose(yaml: text) else {
                error(line: 1, column: 1, "the file holds no YAML document; expected a YAML mapping")
                return nil
            }
            return node
        } catch let yamlError as YamlError {
            record(yamlError)
            return nil
        } catch {
            self.error(line: 1, column: 1, "cannot parse YAML: \(error)")
            return nil
        }
    }

    private mutating func record(_ yamlError: YamlError) {
        switch yamlError {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            if let context {
                // Point at where the broken construct started; say where the parser gave up.
                error(line: context.mark.line, column: context.mark.column,
                      "invalid YAML: \(context.text) here, \(problem) at line \(mark.line), column \(mark.column)")
            } else {
                error(line: mark.line, column: mark.column, "invalid YAML: \(problem)")
            }
        case let .duplicatedKeysInMapping(duplicates, context):
            let key = duplicates.first ?? "?"
            let second = secondOccurrence(of: key, after: context.mark)
            error(
                line: second?.line ?? context.mark.line, column: second?.column ?? context.mark.column,
                "duplicate key '\(key)' (first at line \(context.mark.line)); expected each key once")
        case let .reader(problem, offset, _, _):
            error(line: 1, column: 1, "cannot read the file as UTF-8 text: \(problem) at byte \(offset ?? 0)")
        default:
            error(line: 1, column: 1, "invalid YAML: \(yamlError)")
        }
    }

    /// Finds where a duplicated key appears again, at the same indentation as its first use.
    private func secondOccurrence(of key: String, after first: Mark) -> (line: Int, column: Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard first.line >= 1, first.line <= lines.count else { return nil }
        let indent = first.column - 1
        for index in first.line..<lines.count {
            let line = lines[index]
            let leading = line.prefix(while: { $0 == " " }).count
            guard leading == indent else { continue }
            let rest = line.dropFirst(leading)
            for candidate in [key, "\"\(key)\"", "'\(key)'"] where rest.hasPrefix(candidate) {
                let after = rest.dropFirst(candidate.count).drop(while: { $0 == " " })
                if after.hasPrefix(":") { return (index + 1, indent + 1) }
            }
        }
        return nil
    }

    mutating func error(line: Int, column: Int, _ message: String) {
        diagnostics.append(Diagnostic(file: file, line: line, column: column, message: message))
    }

    mutating func error(at node: Node, _ message: String, offset: Int = 0) {
        let (line, column) = Self.position(of: node)
        let quote = node.scalar.map { $0.style == .singleQuoted || $0.style == .doubleQuoted ? 1 : 0 } ?? 0
        error(line: line, column: column + (offset > 0 ? offset + quote : 0), message)
    }

    static func position(of node: Node) -> (Int, Int) {
        let mark: Mark?
        switch node {
        case .scalar(let scalar): mark = scalar.mark
        case .mapping(let mapping): mark = mapping.mark
        case .sequence(let sequence): mark = sequence.mark
        case .alias(let alias): mark = alias.mark
        }
        return (mark?.line ?? 1, mark?.column ?? 1)
    }

    static func kind(of node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            switch node.tag.description {
            case Tag.Name.null.rawValue: return "null"
            case Tag.Name.bool.rawValue: return "the boolean \(scalar.string)"
            case Tag.Name.int.rawValue, Tag.Name.float.rawValue: return "the number \(scalar.string)"
            default: return "the text '\(scalar.string)'"
            }
        }
    }

    /// The node as a mapping, or a diagnostic saying what was expected.
    mutating func mapping(_ node: Node, _ what: String) -> Node.Mapping? {
        if case .mapping(let mapping) = node { return mapping }
        error(at: node, "\(what) must be a mapping, found \(Self.kind(of: node))")
        return nil
    }

    /// The node as a non-empty string; numbers and booleans are refused rather than converted.
    mutating func string(_ node: Node, _ what: String) -> String? {
        guard case .scalar(let scalar) = node else {
            error(at: node, "\(what) must be text, found \(Self.kind(of: node))")
            return nil
        }
        let quoted = scalar.style == .singleQuoted || scalar.style == .doubleQuoted
        guard quoted || node.tag.description == Tag.Name.str.rawValue else {
            error(at: node, "\(what) must be text, found \(Self.kind(of: node)); quote it if it is meant as text")
            return nil
        }
        guard !scalar.string.isEmpty else {
            error(at: node, "\(what) is empty; expected a value")
            return nil
        }
        return scalar.string
    }

    /// The node as a boolean (`true` or `false`).
    mutating func bool(_ node: Node, _ what: String) -> Bool? {
        if case .scalar = node, node.tag.description == Tag.Name.bool.rawValue, let value = node.bool { return value }
        error(at: node, "\(what) must be true or false, found \(Self.kind(of: node))")
        return nil
    }

    /// The node as an integer within `range`.
    mutating func int(_ node: Node, _ what: String, in range: ClosedRange<Int>) -> Int? {
        if case .scalar = node, node.tag.description == Tag.Name.int.rawValue, let value = node.int {
            if range.contains(value) { return value }
            error(at: node, "\(what) must be between \(range.lowerBound) and \(range.upperBound), found \(value)")
            return nil
        }
        error(at: node, "\(what) must be a whole number, found \(Self.kind(of: node))")
        return nil
    }

    /// The node as a list of strings.
    mutating func strings(_ node: Node, _ what: String) -> [String]? {
        guard case .sequence(let sequence) = node else {
            error(at: node, "\(what) must be a list, found \(Self.kind(of: node))")
            return nil
        }
        var result: [String] = []
        var valid = true
        for item in sequence {
            if let value = string(item, "each item of \(what)") { result.append(value) } else { valid = false }
        }
        return valid ? result : nil
    }

    /// The mapping's entries keyed by text, with a diagnostic for every key outside `allowed`.
    mutating func entries(_ mapping: Node.Mapping, allowed: [String], in what: String) -> [(key: String, keyNode: Node, value: Node)] {
        var result: [(key: String, keyNode: Node, value: Node)] = []
        for (keyNode, value) in mapping {
            guard let key = string(keyNode, "a key in \(what)") else { continue }
            guard allowed.contains(key) else {
                error(at: keyNode, "unknown key '\(key)' in \(what); expected one of: \(allowed.joined(separator: ", "))")
                continue
            }
            result.append((key, keyNode, value))
        }
        return result
    }
}
