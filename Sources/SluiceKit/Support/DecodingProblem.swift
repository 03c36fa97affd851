import Yams

/// Turns a `DecodingError` or `YamlError` into one sentence that names the key and what was expected.
enum DecodingProblem {
    static func describe(_ error: any Error) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let text = codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return text.isEmpty ? "the document" : "'\(text)'"
        }
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            let parent = context.codingPath.isEmpty ? "" : " in \(path(context.codingPath))"
            return "missing key '\(key.stringValue)'\(parent)"
        case DecodingError.typeMismatch(let type, let context):
            return "\(path(context.codingPath)) has the wrong type; expected \(type)"
        case DecodingError.valueNotFound(let type, let context):
            return "\(path(context.codingPath)) is empty; expected \(type)"
        case DecodingError.dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        case let yaml as YamlError:
            return "invalid YAML: \(yaml)"
        default:
            return "\(error)"
        }
    }
}
