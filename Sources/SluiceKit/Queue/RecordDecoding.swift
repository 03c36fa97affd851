import Foundation
import Yams

/// Decodes a record file and, when it does not decode, says where: `<line>:<column>: <what>`.
///
/// Records are hand-edited (approved by `mv`, sometimes fixed by hand), so an error names the
/// line and column of the value at fault, found by walking the `DecodingError`'s coding path
/// through the composed YAML nodes, which carry their marks.
enum RecordDecoding {
    /// Decodes `data` as an ``UpdateRecord``.
    ///
    /// - Returns: the record, or why it cannot be read, located when the file says where.
    static func decode(_ data: Data) -> Result<UpdateRecord, Failure> {
        if let record = fast(data) { return .success(record) }
        do {
            return .success(try YAMLDecoder().decode(UpdateRecord.self, from: data))
        } catch {
            let reason = DecodingProblem.describe(error)
            guard let mark = location(of: error, in: data) else { return .failure(Failure(reason: reason)) }
            return .failure(Failure(reason: "\(mark.line):\(mark.column): \(reason)"))
        }
    }

    private static let recordKeys: Set<String> = [
        "format", "id", "workspace", "plugin", "kind", "source", "subpath", "track", "from", "to", "warning", "detected", "basis", "attempt",
    ]
    private static let refKeys: Set<String> = ["ref", "sha"]
    private static let installedKeys: Set<String> = ["state", "sha", "digest"]
    private static let manifestKeys: Set<String> = ["source", "subpath", "track"]
    private static let basisKeys: Set<String> = ["installed", "manifest"]

    /// The record in `data` when it is in the subset ``PlainYAML`` reads and ``plain(_:)`` is sure
    /// of every value; nil sends it to the full decoder.
    static func fast(_ data: Data) -> UpdateRecord? {
        data.withUnsafeBytes { PlainYAML($0).flatMap(plain) }
    }

    /// The record in a file of the subset ``PlainYAML`` reads, when every key is one it knows
    /// and every value has the type the full decoder would give it; nil sends the file to the
    /// full decoder (signatures, approvals and outcomes always go there).
    static func plain(_ yaml: PlainYAML) -> UpdateRecord? {
        let top = yaml.top
        guard top.keys(within: recordKeys), top.isFormatOne("format"),
              let id = top.text("id"), let workspace = top.text("workspace"), let plugin = top.text("plugin"),
              let kind = top.text("kind").flatMap(UpdateKind.init(rawValue:)), let source = top.text("source"),
              let subpath = top.optionalText("subpath"), let track = top.text("track"),
              let fromMapping = top.optionalMapping("from"), let toMapping = top.optionalMapping("to"),
              let warning = top.optionalText("warning"), let detected = top.text("detected"),
              let attempt = top.optionalText("attempt"),
              let basisMapping = top.optionalMapping("basis"), let basisMapping, basisMapping.keys(within: basisKeys),
              let installedMapping = basisMapping.optionalMapping("installed"), let installedMapping,
              installedMapping.keys(within: installedKeys),
              let state = installedMapping.text("state").flatMap(InstalledState.init(rawValue:)),
              let installedSHA = installedMapping.optionalText("sha"), let digest = installedMapping.optionalText("digest"),
              let manifestMapping = basisMapping.optionalMapping("manifest") else { return nil }
        var from: RefPoint?
        var to: RefPoint?
        if let fromMapping {
            guard let point = refPoint(fromMapping) else { return nil }
            from = point
        }
        if let toMapping {
            guard let point = refPoint(toMapping) else { return nil }
            to = point
        }
        var manifest: ManifestBasis?
        if let manifestMapping {
            guard manifestMapping.keys(within: manifestKeys), let source = manifestMapping.text("source"),
                  let subpath = manifestMapping.optionalText("subpath"), let track = manifestMapping.text("track") else { return nil }
            manifest = ManifestBasis(source: source, subpath: subpath, track: track)
        }
        var record = UpdateRecord(
            id: id, workspace: workspace, plugin: plugin, kind: kind, source: source, subpath: subpath, track: track,
            from: from, to: to, warning: warning, detected: detected,
            basis: Basis(installed: InstalledBasis(state: state, sha: installedSHA, digest: digest), manifest: manifest))
        record.attempt = attempt
        return record

        /// `{ref, sha}`, or nil (outside the fast path) when it is anything else.
        func refPoint(_ mapping: PlainYAML.Mapping) -> RefPoint? {
            guard mapping.keys(within: refKeys), let sha = mapping.text("sha"), let ref = mapping.optionalText("ref") else { return nil }
            return RefPoint(ref: ref, sha: sha)
        }
    }

    /// Why a record file does not decode.
    struct Failure: Error, Sendable {
        /// `<line>:<column>: <what>`, or `<what>` when the file does not say where.
        var reason: String
    }

    /// Where the value a decoding error is about starts (for a missing key, its mapping).
    static func location(of error: any Error, in data: Data) -> Mark? {
        let codingPath: [any CodingKey]
        switch error {
        case DecodingError.keyNotFound(_, let context): codingPath = context.codingPath
        case DecodingError.typeMismatch(_, let context): codingPath = context.codingPath
        case DecodingError.valueNotFound(_, let context): codingPath = context.codingPath
        case DecodingError.dataCorrupted(let context): codingPath = context.codingPath
        default: return nil
        }
        guard let text = String(data: data, encoding: .utf8), let root = try? Yams.compose(yaml: text) else { return nil }
        var node = root
        for key in codingPath {
            if let index = key.intValue, let sequence = node.sequence, index < sequence.count {
                node = sequence[index]
            } else if let mapping = node.mapping, let value = mapping.first(where: { $0.key.string == key.stringValue })?.value {
                node = value
            } else {
                break
            }
        }
        return node.mark
    }

    /// Decodes a string-valued enum, and names every allowed value when the text is none of them.
    static func decodeListed<T: RawRepresentable & CaseIterable>(_ type: T.Type, from decoder: any Decoder, what: String) throws -> T where T.RawValue == String {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not \(what); expected one of \(allowed)")
        }
        return value
    }
}

extension UpdateKind {
    /// Decodes a kind, listing the allowed kinds when the text is none of them.
    public init(from decoder: any Decoder) throws {
        self = try RecordDecoding.decodeListed(UpdateKind.self, from: decoder, what: "a kind")
    }
}

extension InstalledState {
    /// Decodes a state, listing the allowed states when the text is none of them.
    public init(from decoder: any Decoder) throws {
        self = try RecordDecoding.decodeListed(InstalledState.self, from: decoder, what: "an installed state")
    }
}

extension Outcome.Result {
    /// Decodes a result, listing the allowed results when the text is none of them.
    public init(from decoder: any Decoder) throws {
        self = try RecordDecoding.decodeListed(Outcome.Result.self, from: decoder, what: "a result")
    }
}

extension VerifyMode {
    /// Decodes a signature method, listing the allowed ones when the text is none of them.
    public init(from decoder: any Decoder) throws {
        self = try RecordDecoding.decodeListed(VerifyMode.self, from: decoder, what: "a signature method")
    }
}

extension ApprovedBy.Via {
    /// Decodes how an approval was made, listing the allowed values when the text is none of them.
    public init(from decoder: any Decoder) throws {
        self = try RecordDecoding.decodeListed(ApprovedBy.Via.self, from: decoder, what: "an approval method")
    }
}
