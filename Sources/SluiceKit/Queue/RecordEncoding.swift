import Foundation

/// Writes the YAML of a plain update record without building a Yams node tree: the bytes that
/// `YAMLEncoder` writes for the same record, for the records a reconcile pass queues.
///
/// A pass with many drifted plugins spent about a third of its time in `YAMLEncoder` (node tree,
/// tag resolution by regular expressions, libyaml's emitter). This writer handles only what it
/// can write exactly as Yams does and returns nil for anything else (a signature, an approval, an
/// attempt, an outcome, or a text value that is not an unquoted word of the safe characters
/// below), so the caller falls back to `YAMLEncoder`. Whatever it returns must also read back,
/// through ``RecordDecoding/fast(_:)``, as the same record; it checks this before returning.
/// `RecordEncodingTests` compares it with `YAMLEncoder` byte for byte.
enum RecordEncoding {
    /// The YAML body of `record` (without the folder's comment header), or nil for `YAMLEncoder`.
    static func plain(_ record: UpdateRecord) -> String? {
        guard record.signature == nil, record.approvedBy == nil, record.attempt == nil, record.outcome == nil else { return nil }
        var out = "format: \(record.format)\n"
        guard add("id", record.id, to: &out), add("workspace", record.workspace, to: &out), add("plugin", record.plugin, to: &out),
              add("kind", record.kind.rawValue, to: &out), add("source", record.source, to: &out) else { return nil }
        if let subpath = record.subpath, !add("subpath", subpath, to: &out) { return nil }
        guard add("track", record.track, to: &out), add(point: "from", record.from, to: &out), add(point: "to", record.to, to: &out) else { return nil }
        if let warning = record.warning, !add("warning", warning, to: &out) { return nil }
        guard isTimestamp(record.detected) else { return nil }
        // Yams quotes a text that YAML would read as a timestamp.
        out += "detected: '\(record.detected)'\nbasis:\n  installed:\n"
        guard add("state", record.basis.installed.state.rawValue, to: &out, indent: "    ") else { return nil }
        if let sha = record.basis.installed.sha, !add("sha", sha, to: &out, indent: "    ") { return nil }
        if let digest = record.basis.installed.digest, !add("digest", digest, to: &out, indent: "    ") { return nil }
        if let manifest = record.basis.manifest {
            out += "  manifest:\n"
            guard add("source", manifest.source, to: &out, indent: "    ") else { return nil }
            if let subpath = manifest.subpath, !add("subpath", subpath, to: &out, indent: "    ") { return nil }
            guard add("track", manifest.track, to: &out, indent: "    ") else { return nil }
        } else {
            out += "  manifest: null\n"
        }
        guard RecordDecoding.fast(Data(out.utf8)) == record else { return nil }
        return out
    }

    /// Appends `key: value` when `value` is written unquoted by Yams; false otherwise.
    private static func add(_ key: String, _ value: String, to out: inout String, indent: String = "") -> Bool {
        guard isPlainWord(value) else { return false }
        out += indent + key + ": " + value + "\n"
        return true
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
    /// only a SHA-like hex word may begin with one (``isHexWord(_:)``); a sign or a dot first goes
    /// to `YAMLEncoder`.
    static func isPlainWord(_ text: String) -> Bool {
        let bytes = text.utf8
        if let first = bytes.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) { return isHexWord(bytes) }
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
