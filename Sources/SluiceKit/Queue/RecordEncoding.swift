import Foundation

/// Writes the YAML of a plain update record without building a Yams node tree: the bytes that
/// `YAMLEncoder` writes for the same record, for the records a reconcile pass queues and the
/// claims and outcomes apply writes.
///
/// A pass with many drifted plugins spent about a third of its time in `YAMLEncoder` (node tree,
/// tag resolution by regular expressions, libyaml's emitter), and a fan-out a quarter of its CPU
/// time. This writer handles only what it can write exactly as Yams does and returns nil for
/// anything else (a signature, or a text value that is neither an unquoted word of the safe
/// characters below, nor a short unquoted phrase, nor a timestamp), so the caller falls back to
/// `YAMLEncoder`. Whatever it returns must also read back,
/// through ``RecordDecoding/fast(_:)``, as the same record; it checks this before returning.
/// `RecordEncodingTests` compares it with `YAMLEncoder` byte for byte.
enum RecordEncoding {
    /// The YAML body of `record` (without the folder's comment header), or nil for `YAMLEncoder`.
    static func plain(_ record: UpdateRecord) -> String? {
        guard record.signature == nil else { return nil }
        var out = "format: \(record.format)\n"
        guard add("id", record.id, to: &out), add("workspace", record.workspace, to: &out), add("plugin", record.plugin, to: &out),
              add("kind", record.kind.rawValue, to: &out), add("source", record.source, to: &out) else { return nil }
        guard add("subpath", record.subpath, to: &out), add("track", record.track, to: &out),
              add(point: "from", record.from, to: &out), add(point: "to", record.to, to: &out),
              add("warning", record.warning, to: &out), add("detected", record.detected, to: &out) else { return nil }
        out += "basis:\n  installed:\n"
        guard add("state", record.basis.installed.state.rawValue, to: &out, indent: "    "),
              add("sha", record.basis.installed.sha, to: &out, indent: "    "),
              add("digest", record.basis.installed.digest, to: &out, indent: "    ") else { return nil }
        if let manifest = record.basis.manifest {
            out += "  manifest:\n"
            guard add("source", manifest.source, to: &out, indent: "    "), add("subpath", manifest.subpath, to: &out, indent: "    "),
                  add("track", manifest.track, to: &out, indent: "    ") else { return nil }
        } else {
            out += "  manifest: null\n"
        }
        if let approvedBy = record.approvedBy, !add(approvedBy, to: &out) { return nil }
        guard add("attempt", record.attempt, to: &out) else { return nil }
        if let outcome = record.outcome, !add(outcome, to: &out) { return nil }
        guard RecordDecoding.fast(Data(out.utf8)) == record else { return nil }
        return out
    }

    /// Appends `key: value` as Yams writes it (``scalar(_:column:)``); false when this writer
    /// cannot. Stamps are written with it too (``Stamp/plainBody()``).
    static func add(_ key: String, _ value: String, to out: inout String, indent: String = "") -> Bool {
        guard let written = scalar(value, column: indent.utf8.count + key.utf8.count + 2) else { return false }
        out += indent + key + ": " + written + "\n"
        return true
    }

    /// Appends `key: value` when there is a value.
    static func add(_ key: String, _ value: String?, to out: inout String, indent: String = "") -> Bool {
        guard let value else { return true }
        return add(key, value, to: &out, indent: indent)
    }

    /// Appends a list as Yams writes it: `key: []`, or `- item` lines at the key's indentation.
    private static func add(list key: String, _ items: [String]?, to out: inout String, indent: String) -> Bool {
        guard let items else { return true }
        guard !items.isEmpty else {
            out += indent + key + ": []\n"
            return true
        }
        out += indent + key + ":\n"
        for item in items {
            // Never the text of a null: the reader takes `- null` for no item at all.
            guard let written = scalar(item, column: indent.utf8.count + 2), written != "null" else { return false }
            out += indent + "- " + written + "\n"
        }
        return true
    }

    /// Appends `approved-by`, its keys in ``ApprovedBy``'s order.
    private static func add(_ approvedBy: ApprovedBy, to out: inout String) -> Bool {
        out += "approved-by:\n"
        let indent = "  "
        return add("via", approvedBy.via.rawValue, to: &out, indent: indent)
            && add("commit", approvedBy.commit, to: &out, indent: indent) && add("author", approvedBy.author, to: &out, indent: indent)
            && add("committer", approvedBy.committer, to: &out, indent: indent) && add("user", approvedBy.user, to: &out, indent: indent)
            && add("at", approvedBy.at, to: &out, indent: indent) && add("signature", approvedBy.signature, to: &out, indent: indent)
            && add("signer", approvedBy.signer, to: &out, indent: indent) && add("key", approvedBy.key, to: &out, indent: indent)
            && add(list: "signers", approvedBy.signers, to: &out, indent: indent)
    }

    /// Appends `outcome`, its keys in ``Outcome``'s order.
    private static func add(_ outcome: Outcome, to out: inout String) -> Bool {
        out += "outcome:\n"
        let indent = "  "
        guard add("result", outcome.result.rawValue, to: &out, indent: indent), add("at", outcome.at, to: &out, indent: indent),
              add("verdict", outcome.verdict, to: &out, indent: indent), add("why", outcome.why, to: &out, indent: indent) else { return false }
        if let changes = outcome.changes {
            out += indent + "changes:\n"
            guard add(list: "added", changes.added, to: &out, indent: "    "), add(list: "removed", changes.removed, to: &out, indent: "    "),
                  add(list: "modified", changes.modified, to: &out, indent: "    ") else { return false }
        }
        return add("previous", outcome.previous, to: &out, indent: indent) && add("retained", outcome.retained, to: &out, indent: indent)
            && add("reason", outcome.reason, to: &out, indent: indent) && add("hook", outcome.hook, to: &out, indent: indent)
            && add(list: "skipped", outcome.skipped, to: &out, indent: indent)
    }

    /// How Yams writes `text` as a value that starts at `column` of its line: a timestamp in
    /// single quotes, a plain word (``isPlainWord(_:)``) or a short plain phrase
    /// (``isPlainPhrase(_:)``) unquoted; nil for anything else.
    ///
    /// A phrase must end by column 80: libyaml breaks a longer one at a space.
    static func scalar(_ text: String, column: Int) -> String? {
        if isTimestamp(text) { return "'" + text + "'" }
        if isPlainWord(text) { return text }
        if column + text.utf8.count <= 80, isPlainPhrase(text) { return text }
        return nil
    }

    /// Whether libyaml writes `text` unquoted in a block mapping and YAML reads it back as this
    /// very text: printable ASCII beginning with a letter, no two spaces in a row, no space at
    /// the end, no `: ` or ` #` inside (they would start a value or a comment), no `:` at the
    /// end, and not a word YAML 1.1 reads as a boolean or null.
    static func isPlainPhrase(_ text: String) -> Bool {
        let bytes = text.utf8
        guard let first = bytes.first, let last = bytes.last, isLetter(first), last != UInt8(ascii: ":"), last != UInt8(ascii: " ") else { return false }
        var previous: UInt8 = 0
        for byte in bytes {
            guard byte >= 0x20, byte <= 0x7E else { return false }
            if byte == UInt8(ascii: " "), previous == UInt8(ascii: " ") || previous == UInt8(ascii: ":") { return false }
            if byte == UInt8(ascii: "#"), previous == UInt8(ascii: " ") { return false }
            previous = byte
        }
        return !readAsOtherThanText.contains(text.lowercased())
    }

    /// Appends a `{ref, sha}` mapping, or `null`.
    private static func add(point key: String, _ point: RefPoint?, to out: inout String) -> Bool {
        guard let point else {
            out += key + ": null\n"
            return true
        }
        out += key + ":\n"
        if let ref = point.ref {
            guard add("ref", ref, to: &out, indent: "  ") else { return false }
        } else {
            out += "  ref: null\n"
        }
        return add("sha", point.sha, to: &out, indent: "  ")
    }

    /// Whether YAML reads `text`, unquoted, as this very text, and libyaml writes it unquoted:
    /// letters, digits and `/ . _ - ~ + : % @ ^` only, beginning with a letter, not ending with
    /// `:`, and not a word YAML 1.1 reads as a boolean or null (`yes`, `no`, `on`, `off`, `y`,
    /// `n`, `true`, `false`, `null` in any case). A digit first could be a number or a timestamp:
    /// only a SHA-like hex word (``isHexWord(_:)``) or a lowercase UUID (``isUUID(_:)``) may begin
    /// with one; a sign or a dot first goes to `YAMLEncoder`.
    static func isPlainWord(_ text: String) -> Bool {
        let bytes = text.utf8
        if let first = bytes.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) { return isHexWord(bytes) || isUUID(bytes) }
        guard let first = bytes.first, let last = bytes.last, isLetter(first), last != UInt8(ascii: ":") else { return false }
        for byte in bytes {
            guard isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else {
                switch byte {
                case UInt8(ascii: "/"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "~"), UInt8(ascii: "+"),
                     UInt8(ascii: ":"), UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "^"):
                    continue
                default:
                    return false
                }
            }
        }
        return !readAsOtherThanText.contains(text.lowercased())
    }

    /// Whether `bytes` is a lowercase hex word (a SHA) that YAML 1.1 cannot read as a number:
    /// at least 7 characters, and either two letters or more, or one letter that is neither `e`
    /// (`1e5` is a float) nor `b` (`0b101` is a binary integer).
    private static func isHexWord(_ bytes: String.UTF8View) -> Bool {
        guard bytes.count >= 7 else { return false }
        var letters = 0
        var letter: UInt8 = 0
        for byte in bytes {
            if (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte) {
                letters += 1
                letter = byte
            } else if !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                return false
            }
        }
        return letters >= 2 || (letters == 1 && letter != UInt8(ascii: "e") && letter != UInt8(ascii: "b"))
    }

    /// Whether `bytes` is a lowercase UUID, `8-4-4-4-12` hex digits (an apply attempt): no YAML 1.1
    /// number or timestamp has that shape (a timestamp begins with 4 digits and a dash).
    private static func isUUID(_ bytes: String.UTF8View) -> Bool {
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte) else { return false }
            }
        }
        return true
    }

    /// Plain words that YAML 1.1 (Yams' resolver) reads as booleans or null.
    private static let readAsOtherThanText: Set<String> = ["y", "n", "yes", "no", "on", "off", "true", "false", "null"]

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    /// Whether `text` is `YYYY-MM-DDTHH:MM:SSZ`, the form `detected` always has.
    static func isTimestamp(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 20 else { return false }
        for (index, byte) in bytes.enumerated() {
            let expected: UInt8?
            switch index {
            case 4, 7: expected = UInt8(ascii: "-")
            case 10: expected = UInt8(ascii: "T")
            case 13, 16: expected = UInt8(ascii: ":")
            case 19: expected = UInt8(ascii: "Z")
            default: expected = nil
            }
            if let expected {
                guard byte == expected else { return false }
            } else {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return false }
            }
        }
        return true
    }
}
