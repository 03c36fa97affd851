import Foundation
import Yams

/// The receipt written inside every plugin folder Sluice installs: what is there and where from.
///
/// The stamp on disk is the truth about what is installed; the reconciler never takes a
/// baseline from a remote read. A plugin folder without a stamp has an unknown version.
public struct Stamp: Codable, Sendable, Hashable {
    /// The file name inside the plugin folder.
    public static let fileName = ".sluice-stamp.yaml"

    /// The format version of this file.
    public var format: Int = 1
    /// The plugin's name.
    public var plugin: String
    /// The git URL it came from.
    public var source: String
    /// The folder inside the repository, if any.
    public var subpath: String?
    /// The track the subscription had when this was installed.
    public var track: String
    /// The ref it was resolved from (tag, branch, or the SHA itself).
    public var ref: String?
    /// The full commit SHA installed.
    public var sha: String
    /// `sha256:<hex>` over the installed tree (see ``TreeDigest``), stamp excluded.
    public var digest: String
    /// When it was installed, ISO 8601 in UTC.
    public var installed: String

    /// Creates a stamp.
    public init(plugin: String, source: String, subpath: String?, track: String, ref: String?, sha: String, digest: String, installed: String) {
        self.plugin = plugin
        self.source = source
        self.subpath = subpath
        self.track = track
        self.ref = ref
        self.sha = sha
        self.digest = digest
        self.installed = installed
    }

    /// The stamp's YAML text.
    public func encoded() throws -> String {
        "# Written by sluice; do not edit. It records what this folder holds.\n" + (try YAMLEncoder().encode(self))
    }

    /// Reads the stamp of a plugin folder.
    ///
    /// - Returns: nil when the folder has no stamp.
    /// - Throws: ``StampError`` when a stamp exists but cannot be read.
    public static func read(pluginFolder: String) throws(StampError) -> Stamp? {
        let path = pluginFolder + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) { throw StampError(path: path, reason: "cannot read the file") }
            return nil
        }
        return try decode(data, path: path)
    }

    /// Decodes the text of a stamp file.
    ///
    /// - Parameters:
    ///   - data: The file's bytes.
    ///   - path: The file, named in errors.
    /// - Throws: ``StampError`` when the text is not a stamp this sluice can use.
    public static func decode(_ data: Data, path: String) throws(StampError) -> Stamp {
        do {
            let stamp = try String(data: data, encoding: .utf8).flatMap(fastParse) ?? YAMLDecoder().decode(Stamp.self, from: data)
            guard stamp.format == 1 else {
                throw StampError(path: path, reason: "format \(stamp.format) is not known to this sluice (it writes format 1); upgrade sluice")
            }
            guard ObjectID.isFull(stamp.sha) else {
                throw StampError(path: path, reason: "sha '\(stamp.sha)' is not a full lowercase hexadecimal commit id")
            }
            return stamp
        } catch let error as StampError {
            throw error
        } catch {
            throw StampError(path: path, reason: DecodingProblem.describe(error))
        }
    }
}

/// A stamp that exists but cannot be used.
public struct StampError: Error, Sendable, CustomStringConvertible {
    /// The stamp file.
    public var path: String
    /// What is wrong.
    public var reason: String

    /// `<path>: <reason>`.
    public var description: String { "\(path): unreadable stamp: \(reason)" }
}

extension Stamp {
    private static let stampKeys: Set<Substring> = ["format", "plugin", "source", "subpath", "track", "ref", "sha", "digest", "installed"]

    /// Parses the flat `key: value` text Sluice itself writes, without building a YAML tree.
    ///
    /// A reconcile pass reads one stamp per installed plugin; this path is an order of magnitude
    /// cheaper than the general YAML decoder. It accepts only what the encoder produces (top-level
    /// keys, plain or single-quoted scalars, comments) and returns nil for anything else, in which
    /// case the caller falls back to the full decoder, so a hand-written stamp still reads.
    /// Whatever it accepts, it must read exactly as the YAML decoder would (the `FuzzStamp`
    /// target checks this): lines of printable ASCII only, plain values without surrounding
    /// blanks, `: `, a trailing `:`, a `- ` or `#` lead, or a null spelling; each key once.
    static func fastParse(_ text: String) -> Stamp? {
        var fields: [Substring: String] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let bytes = line.utf8
            // Control characters (YAML rejects most, strips tabs), carriage returns and anything
            // beyond ASCII (YAML 1.1 line breaks such as U+2028) go to the full decoder.
            guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
            guard let first = bytes.first else { continue }
            if first == UInt8(ascii: "#") { continue }
            guard first != UInt8(ascii: " "), first != UInt8(ascii: "-"),
                  let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return nil }
            let afterColon = bytes.index(after: colon)
            guard afterColon < bytes.endIndex, bytes[afterColon] == UInt8(ascii: " ") else { return nil }
            let key = line[..<colon]
            // YAML refuses a key given twice; the full decoder says so.
            guard fields[key] == nil else { return nil }
            let value = line[bytes.index(after: afterColon)...]
            let valueBytes = value.utf8
            guard let lead = valueBytes.first else { return nil }
            if lead == UInt8(ascii: "'") {
                guard valueBytes.count >= 2, valueBytes.last == UInt8(ascii: "'") else { return nil }
                let inner = value.dropFirst().dropLast()
                // '' inside single quotes is one quote; anything rarer goes to the full decoder.
                guard !inner.utf8.contains(UInt8(ascii: "'")) else { return nil }
                fields[key] = String(inner)
            } else {
                // Anything YAML might read as other than this very text is left to the full decoder.
                // YAML trims blanks around a plain value, and reads `: ` or a trailing `:` as a
                // mapping and a `- ` lead as a sequence; the full decoder says what they mean.
                guard lead != UInt8(ascii: " "), valueBytes.last != UInt8(ascii: " "), valueBytes.last != UInt8(ascii: ":"),
                      !value.contains(": "), !value.hasPrefix("- ") else { return nil }
                switch lead {
                case UInt8(ascii: "#"), UInt8(ascii: "\""), UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"),
                     UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"), UInt8(ascii: "?"),
                     UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: "~"):
                    return nil
                default:
                    break
                }
                guard !["null", "Null", "NULL"].contains(value) else { return nil }
                var previous: UInt8 = 0
                for byte in valueBytes {
                    if byte == UInt8(ascii: "#"), previous == UInt8(ascii: " ") { return nil }
                    previous = byte
                }
                fields[key] = String(value)
            }
        }
        guard fields.keys.allSatisfy(Self.stampKeys.contains), fields["format"] == "1",
              let plugin = fields["plugin"], let source = fields["source"], let track = fields["track"],
              let sha = fields["sha"], let digest = fields["digest"], let installed = fields["installed"] else { return nil }
        return Stamp(plugin: plugin, source: source, subpath: fields["subpath"], track: track, ref: fields["ref"],
                     sha: sha, digest: digest, installed: installed)
    }
}
