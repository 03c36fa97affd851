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

    /// The record in `data` when it is in the subset ``PlainYAML`` reads and ``plain(_:)`` is sure
    /// of every value; nil sends it to the full decoder.
    ///
    /// The entries go straight from the bytes into a ``Reader`` (``PlainYAML/scan(_:lists:_:)``),
    /// with no list of entries in between.
    static func fast(_ data: Data) -> UpdateRecord? {
        var reader = Reader()
        guard data.withUnsafeBytes({ bytes in PlainYAML.scan(bytes, lists: true) { reader.read($0) } }) else { return nil }
        return reader.record
    }

    /// The record in a file of the subset ``PlainYAML`` reads, when every key is one it knows
    /// and every value has the type the full decoder would give it; nil sends the file to the
    /// full decoder (signatures always go there). What ``fast(_:)`` reads, from entries already
    /// listed.
    static func plain(_ yaml: PlainYAML) -> UpdateRecord? {
        var reader = Reader()
        for entry in yaml.entries {
            guard reader.read(entry) else { return nil }
        }
        return reader.record
    }

    /// Builds a record from its entries in file order, one `switch` per key in the mapping it
    /// is in: a key outside the record's keys, a mapping where text belongs, text where a
    /// mapping belongs, or a list anywhere but under the keys that hold lists
    /// (`approved-by.signers`, `outcome.skipped`, `outcome.changes.added/removed/modified`)
    /// declines the text. (``PlainYAML`` has already declined duplicate keys.)
    private struct Reader {
        var top = Top()
        var fromPoint = Point(), toPoint = Point()
        var installed = false, manifest = false
        var state: InstalledState?
        var installedSHA: String?, digest: String?
        var manifestSource: String?, manifestSubpath: String?, manifestTrack: String?
        var approval = Approval(), result = OutcomeFields(), changes = Changes()
        // The mapping the entries one and two levels down belong to.
        var inner = Inner.none
        var innermost = Inner.none

        /// Takes the next entry; false when the text is outside the fast path.
        mutating func read(_ entry: PlainYAML.Entry) -> Bool {
            switch entry.depth {
            case 0:
                guard entry.items == nil, let opened = top.read(entry) else { return false }
                inner = opened
            case 1:
                switch inner {
                case .approvedBy: guard approval.read(entry) else { return false }
                case .outcome:
                    guard let opened = result.read(entry) else { return false }
                    innermost = opened
                case .from: guard fromPoint.read(entry) else { return false }
                case .to: guard toPoint.read(entry) else { return false }
                case .basis:
                    guard entry.items == nil else { return false }
                    switch entry.key {
                    case "installed": guard let open = Self.opens(entry) else { return false }; installed = open; innermost = open ? .installed : .none
                    case "manifest": guard let open = Self.opens(entry) else { return false }; manifest = open; innermost = open ? .manifest : .none
                    default: return false
                    }
                default: return false
                }
            case 2:
                if innermost == .changes { return changes.read(entry) }
                guard let value = entry.value else { return false }
                switch (innermost, entry.key) {
                case (.installed, "state"):
                    guard let text = value.nonNullText, let value = InstalledState(rawValue: text) else { return false }
                    state = value
                case (.installed, "sha"): installedSHA = value.nonNullText
                case (.installed, "digest"): digest = value.nonNullText
                case (.manifest, "source"): manifestSource = value.nonNullText
                case (.manifest, "subpath"): manifestSubpath = value.nonNullText
                case (.manifest, "track"): manifestTrack = value.nonNullText
                default: return false
                }
            default:
                return false
            }
            return true
        }

        /// Whether a key that holds a mapping or null opens a mapping: nil (outside the fast
        /// path) when it holds text.
        private static func opens(_ entry: PlainYAML.Entry) -> Bool? {
            guard let value = entry.value else { return true }
            return value.isNull ? false : nil
        }

        /// The record the entries read give, or nil when a required value is missing.
        var record: UpdateRecord? {
            guard top.formatOne, let id = top.id, let workspace = top.workspace, let plugin = top.plugin, let kind = top.kind,
                  let source = top.source, let track = top.track, let detected = top.detected,
                  top.basis, installed, let state, let from = fromPoint.point, let to = toPoint.point else { return nil }
            var manifestBasis: ManifestBasis?
            if manifest {
                guard let manifestSource, let manifestTrack else { return nil }
                // The same text as the record's own keeps one copy of it.
                manifestBasis = ManifestBasis(source: manifestSource == source ? source : manifestSource, subpath: manifestSubpath,
                                              track: manifestTrack == track ? track : manifestTrack)
            }
            let sharedSHA = installedSHA != nil && installedSHA == from?.sha ? from?.sha : installedSHA
            var approvedBy: ApprovedBy?
            if top.approvedBy {
                guard let approval = approval.approvedBy else { return nil }
                approvedBy = approval
            }
            var outcome: Outcome?
            if top.outcome {
                guard var read = result.outcome else { return nil }
                if result.changes {
                    guard let summary = changes.summary else { return nil }
                    read.changes = summary
                }
                outcome = read
            }
            // One box for the whole record: setting `attempt` or `outcome` afterwards would copy it.
            return UpdateRecord(
                id: id, workspace: workspace, plugin: plugin, kind: kind, source: source, subpath: top.subpath, track: track,
                from: from, to: to, warning: top.warning, detected: detected,
                basis: Basis(installed: InstalledBasis(state: state, sha: sharedSHA, digest: digest), manifest: manifestBasis),
                approvedBy: approvedBy, attempt: top.attempt, outcome: outcome)
        }
    }

    /// Which mapping the entries one level further down belong to.
    private enum Inner {
        case none, from, to, basis, installed, manifest, approvedBy, outcome, changes
    }

    /// The texts of a list: `.some(nil)` when the key holds null, nil when it holds text or a mapping.
    private static func texts(_ entry: PlainYAML.Entry) -> [String]?? {
        if let items = entry.items { return .some(items.map(\.text)) }
        guard let value = entry.value, value.isNull else { return nil }
        return .some(nil)
    }

    /// The `approved-by` mapping as its entries give it (``ApprovedBy``'s keys, all optional but `via`).
    private struct Approval {
        var via: ApprovedBy.Via?
        var viaText = false
        var fields = ApprovedBy(via: .unattributed)

        /// Takes one entry of the mapping; false when it is outside the fast path.
        mutating func read(_ entry: PlainYAML.Entry) -> Bool {
            if entry.key == "signers" {
                guard let signers = RecordDecoding.texts(entry) else { return false }
                fields.signers = signers
                return true
            }
            guard entry.items == nil, let value = entry.value else { return false }
            if entry.key == "via" {
                viaText = true
                via = value.nonNullText.flatMap(ApprovedBy.Via.init(rawValue:))
                return true
            }
            guard let field = Self.texts[entry.key] else { return false }
            fields[keyPath: field] = value.nonNullText
            return true
        }

        /// The keys that hold optional text, and where each goes.
        private static let texts: [String: WritableKeyPath<ApprovedBy, String?> & Sendable] = [
            "commit": \.commit, "author": \.author, "committer": \.committer, "user": \.user, "at": \.at,
            "signature": \.signature, "signer": \.signer, "key": \.key,
        ]

        /// The attribution, or nil when `via` is missing or not one of its values.
        var approvedBy: ApprovedBy? {
            guard viaText, let via else { return nil }
            var approvedBy = fields
            approvedBy.via = via
            return approvedBy
        }
    }

    /// The `outcome` mapping as its entries give it (``Outcome``'s keys; `result` and `at` required).
    private struct OutcomeFields {
        var result: Outcome.Result?
        var at: String?
        var fields = Outcome(result: .failed, at: "")
        /// Whether `changes` holds a mapping (its entries are read by ``Changes``).
        var changes = false

        /// Takes one entry of the mapping; nil when it is outside the fast path, else the mapping
        /// the entries under it belong to.
        mutating func read(_ entry: PlainYAML.Entry) -> Inner? {
            if entry.key == "skipped" {
                guard let skipped = RecordDecoding.texts(entry) else { return nil }
                fields.skipped = skipped
                return Inner.none
            }
            guard entry.items == nil else { return nil }
            if entry.key == "changes" {
                guard let value = entry.value else {
                    changes = true
                    return .changes
                }
                return value.isNull ? Inner.none : nil
            }
            guard let value = entry.value else { return nil }
            switch entry.key {
            case "result":
                guard let text = value.nonNullText, let parsed = Outcome.Result(rawValue: text) else { return nil }
                result = parsed
            case "at": at = value.nonNullText
            default:
                guard let field = Self.texts[entry.key] else { return nil }
                fields[keyPath: field] = value.nonNullText
            }
            return Inner.none
        }

        /// The keys that hold optional text, and where each goes.
        private static let texts: [String: WritableKeyPath<Outcome, String?> & Sendable] = [
            "verdict": \.verdict, "why": \.why, "previous": \.previous, "retained": \.retained, "reason": \.reason, "hook": \.hook,
        ]

        /// The outcome without its changes, or nil when `result` or `at` is missing.
        var outcome: Outcome? {
            guard let result, let at else { return nil }
            var outcome = fields
            outcome.result = result
            outcome.at = at
            return outcome
        }
    }

    /// The `changes` mapping of an outcome: three lists, none of them optional.
    private struct Changes {
        var added: [String]?, removed: [String]?, modified: [String]?

        /// Takes one entry; false when it is not one of the three lists.
        mutating func read(_ entry: PlainYAML.Entry) -> Bool {
            guard let items = entry.items else { return false }
            let texts = items.map(\.text)
            switch entry.key {
            case "added": added = texts
            case "removed": removed = texts
            case "modified": modified = texts
            default: return false
            }
            return true
        }

        /// The summary, or nil when a list is missing.
        var summary: ChangeSummary? {
            guard let added, let removed, let modified else { return nil }
            return ChangeSummary(added: added, removed: removed, modified: modified)
        }
    }

    /// The top-level values of a record, as the entries at depth 0 give them.
    private struct Top {
        var formatOne = false
        var id: String?, workspace: String?, plugin: String?, kind: UpdateKind?, source: String?, subpath: String?
        var track: String?, warning: String?, detected: String?, attempt: String?
        var basis = false
        /// Whether `approved-by` and `outcome` hold mappings (not absent, not null).
        var approvedBy = false, outcome = false

        /// Takes one top-level entry; nil when it is outside the fast path, else the mapping
        /// the entries under it belong to.
        mutating func read(_ entry: PlainYAML.Entry) -> Inner? {
            // `from` and `to` hold a mapping or null, `basis` a mapping; text is outside the fast path.
            // The key's length first: most cases are then one integer comparison, not a string's.
            let length = entry.key.utf8.count
            switch (length, entry.key) {
            case (4, "from"), (2, "to"):
                guard let value = entry.value else { return length == 4 ? .from : .to }
                return value.isNull ? Inner.none : nil
            case (5, "basis"):
                guard entry.value == nil else { return nil }
                basis = true
                return .basis
            case (11, "approved-by"), (7, "outcome"):
                let approval = length == 11
                guard let value = entry.value else {
                    if approval { approvedBy = true } else { outcome = true }
                    return approval ? .approvedBy : .outcome
                }
                return value.isNull ? Inner.none : nil
            default:
                break
            }
            // Every other key holds text (or null, where the record allows it).
            guard let value = entry.value else { return nil }
            switch (length, entry.key) {
            case (6, "format"): formatOne = value.plain && value.text == "1"
            case (2, "id"): id = value.nonNullText
            case (9, "workspace"): workspace = value.nonNullText
            case (6, "plugin"): plugin = value.nonNullText
            case (4, "kind"): kind = value.nonNullText.flatMap(UpdateKind.init(rawValue:))
            case (6, "source"): source = value.nonNullText
            case (7, "subpath"): subpath = value.nonNullText
            case (5, "track"): track = value.nonNullText
            case (7, "warning"): warning = value.nonNullText
            case (8, "detected"): detected = value.nonNullText
            case (7, "attempt"): attempt = value.nonNullText
            default: return nil
            }
            return Inner.none
        }
    }

    /// A `{ref, sha}` mapping as its entries give it.
    private struct Point {
        /// Whether the record has the mapping (not absent, not null).
        var opened = false
        var ref: String?
        var sha: String?

        /// Takes one entry of the mapping; false when it is outside the fast path.
        mutating func read(_ entry: PlainYAML.Entry) -> Bool {
            opened = true
            guard let value = entry.value else { return false }
            switch entry.key {
            case "ref": ref = value.nonNullText
            case "sha": sha = value.nonNullText
            default: return false
            }
            return true
        }

        /// `.some(nil)` when the record has no such mapping, nil when its `sha` is missing or null.
        var point: RefPoint?? {
            guard opened else { return .some(nil) }
            guard let sha else { return nil }
            return .some(RefPoint(ref: ref, sha: sha))
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
