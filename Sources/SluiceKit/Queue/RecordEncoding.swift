/// Writes the YAML of a usual queue record without Yams, byte for byte what `YAMLEncoder` writes.
///
/// A drift pass encodes one record per pending file; `YAMLEncoder` decides the quoting of every
/// scalar by running its resolver's regular expressions, which was a quarter of a pass writing
/// thousands of files. This writer covers only records and values whose YAML it is sure of:
/// no signature, approval or outcome; every text either plain (it starts with a letter, holds no
/// blank, quote, comment, flow or other indicator, and is not a boolean or null spelling), a
/// commit-like hexadecimal string, or an ISO 8601 UTC time (which YAML would read as a
/// timestamp, so `YAMLEncoder` single-quotes it). Anything else returns nil and the caller uses
/// `YAMLEncoder`; tests compare the two on many records.
enum RecordEncoding {
    /// The record's YAML, or nil when `YAMLEncoder` must write it.
    static func plain(_ record: UpdateRecord) -> String? {
        guard record.signature == nil, record.approvedBy == nil, record.outcome == nil, record.format == 1 else { return nil }
        var out = "format: 1\n"
        out.reserveCapacity(640)
        guard line(&out, "id", record.id), line(&out, "workspace", record.workspace), line(&out, "plugin", record.plugin),
              line(&out, "kind", record.kind.rawValue), line(&out, "source", record.source) else { return nil }
        if let subpath = record.subpath { guard line(&out, "subpath", subpath) else { return nil } }
        guard line(&out, "track", record.track), point(&out, "from", record.from), point(&out, "to", record.to) else { return nil }
        if let warning = record.warning { guard line(&out, "warning", warning) else { return nil } }
        guard line(&out, "detected", record.detected) else { return nil }
        out += "basis:\n  installed:\n"
        let installed = record.basis.installed
        guard line(&out, "    state", installed.state.rawValue) else { return nil }
        if let sha = installed.sha { guard line(&out, "    sha", sha) else { return nil } }
        if let digest = installed.digest { guard line(&out, "    digest", digest) else { return nil } }
        if let manifest = record.basis.manifest {
            out += "  manifest:\n"
            guard line(&out, "    source", manifest.source) else { return nil }
            if let subpath = manifest.subpath { guard line(&out, "    subpath", subpath) else { return nil } }
            guard line(&out, "    track", manifest.track) else { return nil }
        } else {
            out += "  manifest: null\n"
        }
        if let attempt = record.attempt { guard line(&out, "attempt", attempt) else { return nil } }
        return out
    }

    /// Appends `key: value`; false when the value's YAML is not one this writer is sure of.
    private static func line(_ out: inout String, _ key: String, _ value: String) -> Bool {
        guard let scalar = scalar(value) else { return false }
        out += key
        out += ": "
        out += scalar
        out += "\n"
        return true
    }

    /// Appends a `{ref, sha}` mapping, or `key: null`.
    private static func point(_ out: inout String, _ key: String, _ point: RefPoint?) -> Bool {
        guard let point else {
            out += key + ": null\n"
            return true
        }
        out += key + ":\n"
        if let ref = point.ref {
            guard line(&out, "  ref", ref) else { return false }
        } else {
            out += "  ref: null\n"
        }
        return line(&out, "  sha", point.sha)
    }

    /// How `YAMLEncoder` writes `value`, when this writer is sure of it.
    static func scalar(_ value: String) -> String? {
        let bytes = Array(value.utf8)
        guard let first = bytes.first, bytes.count <= 200 else { return nil }
        let isLetter = { (byte: UInt8) in (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        if isLetter(first) {
            // After a letter no number, time or null rule of YAML's resolver can match; only the
            // boolean and null words can.
            guard !reserved.contains(value), bytes.last != UInt8(ascii: ":") else { return nil }
            for byte in bytes where !(isLetter(byte) || isDigit(byte) || plainPunctuation.contains(byte)) { return nil }
            return value
        }
        // Hexadecimal with a letter other than e: no integer (without 0x, 0o, 0b), float
        // (only e may appear in one) or time rule matches.
        if bytes.allSatisfy({ isDigit($0) || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f")) }),
           bytes.contains(where: { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f") && $0 != UInt8(ascii: "e") }),
           !(bytes.count >= 2 && first == UInt8(ascii: "0") && (bytes[1] == UInt8(ascii: "b") || bytes[1] == UInt8(ascii: "o"))) {
            return value
        }
        // `2026-12-01T08:49:37Z`: a timestamp to YAML, so written single-quoted.
        if bytes.count == 20, bytes[19] == UInt8(ascii: "Z"), bytes[10] == UInt8(ascii: "T"),
           [4, 7].allSatisfy({ bytes[$0] == UInt8(ascii: "-") }), [13, 16].allSatisfy({ bytes[$0] == UInt8(ascii: ":") }),
           [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18].allSatisfy({ isDigit(bytes[$0]) }) {
            return "'" + value + "'"
        }
        return nil
    }

    /// Punctuation a plain scalar may hold after its first letter without YAML reading it otherwise.
    private static let plainPunctuation: Set<UInt8> = Set("/._-+~:=^<".utf8)

    /// The spellings YAML reads as a boolean or null.
    private static let reserved: Set<String> = [
        "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
        "null", "Null", "NULL",
    ]
}
