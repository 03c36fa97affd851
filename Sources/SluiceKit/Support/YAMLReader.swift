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
        if text.utf8.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }) {
            error(line: 1, column: 1, "the file is empty; expected a YAML mapping")
            return nil
        }
        do {
            // The basic resolver tags every scalar as text; `kind(of:)` types plain scalars by hand.
            // Yams' default resolver runs seven regular expressions per scalar, which made
            // manifest parsing the largest cost of a reconcile pass.
            guard let node = try Yams.compose(yaml: text, .basic, .default, .utf8) else {
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

    /// What a scalar is, by the YAML 1.1 rules Yams' default resolver applies (timestamps aside).
    enum ScalarKind: Equatable {
        case null, bool(Bool), int(Int?), float, text
    }

    /// Types a scalar: quoted scalars are always text; plain ones by their spelling.
    static func scalarKind(_ scalar: Node.Scalar) -> ScalarKind {
        scalarKind(scalar.string, plain: scalar.style == .plain || scalar.style == .any)
    }

    /// Types a scalar's text: quoted text is always text; plain text by its spelling.
    static func scalarKind(_ text: String, plain: Bool) -> ScalarKind {
        guard plain else { return .text }
        // Every special spelling below is at most five bytes: longer text (URLs, tracks, most
        // keys) skips the 36 comparisons.
        if text.utf8.count <= 5 {
            switch text {
            case "", "~", "null", "Null", "NULL": return .null
            case "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON": return .bool(true)
            case "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF": return .bool(false)
            case ".inf", ".Inf", ".INF", "-.inf", "+.inf", ".nan", ".NaN", ".NAN": return .float
            default: break
            }
        }
        // Most values (URLs, names, tracks) start with a letter: text, decided on the first byte.
        guard let lead = text.utf8.first, lead < 0x80, !(lead >= UInt8(ascii: "a") && lead <= UInt8(ascii: "z") && lead != UInt8(ascii: "e")),
              !(lead >= UInt8(ascii: "A") && lead <= UInt8(ascii: "Z") && lead != UInt8(ascii: "E")) else { return .text }
        var bytes = Array(text.utf8).filter { $0 != UInt8(ascii: "_") }
        let signed = bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+")
        if signed { bytes.removeFirst() }
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        if !bytes.isEmpty, bytes.allSatisfy(isDigit) {
            return .int(Int(String(decoding: (signed ? [Array(text.utf8)[0]] : []) + bytes, as: UTF8.self)))
        }
        if bytes.count > 2, bytes[0] == UInt8(ascii: "0"), [UInt8(ascii: "x"), UInt8(ascii: "o"), UInt8(ascii: "b")].contains(bytes[1]) {
            let rest = bytes.dropFirst(2)
            let hex = rest.allSatisfy { isDigit($0) || ($0 | 0x20 >= UInt8(ascii: "a") && $0 | 0x20 <= UInt8(ascii: "f")) }
            if bytes[1] == UInt8(ascii: "x") ? hex : rest.allSatisfy(isDigit) { return .int(nil) }
        }
        let floatBytes = bytes.allSatisfy { isDigit($0) || $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") }
        if floatBytes, let first = bytes.first, isDigit(first) || first == UInt8(ascii: "."),
           bytes.contains(where: { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") }),
           Double(String(decoding: bytes, as: UTF8.self)) != nil {
            return .float
        }
        return .text
    }

    static func kind(of node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            switch scalarKind(scalar) {
            case .null: return "null"
            case .bool: return "the boolean \(scalar.string)"
            case .int, .float: return "the number \(scalar.string)"
            case .text: return "the text '\(scalar.string)'"
            }
        }
    }

    /// Whether the node is a null scalar (`~`, `null`, or nothing).
    static func isNull(_ node: Node) -> Bool {
        if case .scalar(let scalar) = node { return scalarKind(scalar) == .null }
        return false
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
        guard Self.scalarKind(scalar) == .text else {
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
        if case .scalar(let scalar) = node, case .bool(let value) = Self.scalarKind(scalar) { return value }
        error(at: node, "\(what) must be true or false, found \(Self.kind(of: node))")
        return nil
    }

    /// The node as an integer within `range`.
    mutating func int(_ node: Node, _ what: String, in range: ClosedRange<Int>) -> Int? {
        if case .scalar(let scalar) = node, case .int(let parsed) = Self.scalarKind(scalar), let value = parsed {
            if range.contains(value) { return value }
            error(at: node, "\(what) must be between \(range.lowerBound) and \(range.upperBound), found \(value)")
            return nil
        }
        error(at: node, "\(what) must be a whole number, found \(Self.kind(of: node))")
        return nil
    }

    /// The node as a duration in seconds (`0`, `90s`, `30m`, `72h`, `7d`, at most 365 days).
    mutating func duration(_ node: Node, _ what: String) -> Int? {
        let text: String? = if case .scalar(let scalar) = node { scalar.string } else { nil }
        if let text, let seconds = Self.seconds(in: text) { return seconds }
        error(at: node, "\(what) must be a duration such as 0, 90s, 30m, 72h or 7d (at most 365d), found \(text.map { "'\($0)'" } ?? Self.kind(of: node))")
        return nil
    }

    /// Seconds in a duration written `<n>s`, `<n>m`, `<n>h` or `<n>d` (`0` alone is allowed), at
    /// most 365 days; nil when it is not one.
    static func seconds(in text: String) -> Int? {
        if text == "0" { return 0 }
        guard let unit = text.last, let scale = ["s": 1, "m": 60, "h": 3600, "d": 86400][unit],
              text.dropLast().allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int(text.dropLast()), count >= 0 else { return nil }
        let (seconds, overflow) = count.multipliedReportingOverflow(by: scale)
        return !overflow && seconds <= 365 * 86400 ? seconds : nil
    }

    /// The node as one of `choices` (the raw values of an enumeration).
    mutating func choice(_ node: Node, _ what: String, among choices: [String]) -> String? {
        if case .scalar(let scalar) = node, choices.contains(scalar.string) { return scalar.string }
        let found = if case .scalar(let scalar) = node { "'\(scalar.string)'" } else { Self.kind(of: node) }
        error(at: node, "\(what) must be one of \(choices.joined(separator: ", ")), found \(found)")
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
            guard var key = string(keyNode, "a key in \(what)") else { continue }
            // Every key may be written in kebab-case too (`min-age` for `minAge`).
            if !allowed.contains(key), key.contains("-") { key = Self.camelCase(key) }
            guard allowed.contains(key) else {
                error(at: keyNode, "unknown key '\(key)' in \(what); expected one of: \(allowed.joined(separator: ", "))")
                continue
            }
            result.append((key, keyNode, value))
        }
        return result
    }

    /// `min-age` as `minAge`: the spelling the `allowed` lists use.
    static func camelCase(_ key: String) -> String {
        let parts = key.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, !parts.contains(where: \.isEmpty) else { return key }
        return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
