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

    /// The stamp's YAML text: `YAMLEncoder`'s bytes, by the plain writer when it can (``plainBody()``).
    public func encoded() throws -> String {
        "# Written by sluice; do not edit. It records what this folder holds.\n" + (try plainBody() ?? YAMLEncoder().encode(self))
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
            let stamp = try fastParse(data) ?? YAMLDecoder().decode(Stamp.self, from: data)
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
    /// The stamp in `data` when it is in the subset ``PlainYAML`` reads (what the encoder
    /// writes), without building a YAML tree.
    ///
    /// A reconcile pass reads one stamp per installed plugin; this path is an order of magnitude
    /// cheaper than the general YAML decoder. It returns nil for anything it is not sure of (an
    /// unknown key, a value the decoder would read as another type), in which case the caller
    /// falls back to the full decoder, so a hand-written stamp still reads as it always did.
    /// Whatever it accepts it reads as the full decoder does (the `FuzzStamp` target checks this).
    /// The entries go straight from the bytes into a ``PlainReader`` (``PlainYAML/scan(_:lists:_:)``).
    static func fastParse(_ data: Data) -> Stamp? {
        var reader = PlainReader()
        guard data.withUnsafeBytes({ bytes in PlainYAML.scan(bytes, lists: false) { reader.read($0) } }) else { return nil }
        return reader.stamp
    }

    /// The stamp in a document ``PlainYAML`` has read; nil when a key or a value is not one the
    /// full decoder would read the same way. What ``fastParse(_:)`` reads, from entries already listed.
    static func plain(_ yaml: PlainYAML) -> Stamp? {
        var reader = PlainReader()
        for entry in yaml.entries {
            guard reader.read(entry) else { return nil }
        }
        return reader.stamp
    }

    /// Builds a stamp from its entries in file order: every entry a top-level key of the stamp
    /// holding one-line text (a key that opens a mapping, or any deeper entry, declines the text).
    private struct PlainReader {
        var formatOne = false
        var plugin: String?, source: String?, subpath: String?, track: String?, ref: String?
        var sha: String?, digest: String?, installed: String?

        /// Takes the next entry; false when the text is outside the fast path.
        mutating func read(_ entry: PlainYAML.Entry) -> Bool {
            guard entry.depth == 0, let value = entry.value else { return false }
            // The key's length first: most cases are then one integer comparison, not a string's.
            switch (entry.key.utf8.count, entry.key) {
            case (6, "format"): formatOne = value.plain && value.text == "1"
            case (6, "plugin"): plugin = value.nonNullText
            case (6, "source"): source = value.nonNullText
            case (7, "subpath"): subpath = value.nonNullText
            case (5, "track"): track = value.nonNullText
            case (3, "ref"): ref = value.nonNullText
            case (3, "sha"): sha = value.nonNullText
            case (6, "digest"): digest = value.nonNullText
            case (9, "installed"): installed = value.nonNullText
            default: return false
            }
            return true
        }

        /// The stamp, or nil when a required value is missing or null (`subpath` and `ref` may be either).
        var stamp: Stamp? {
            guard formatOne, let plugin, let source, let track, let sha, let digest, let installed else { return nil }
            return Stamp(plugin: plugin, source: source, subpath: subpath, track: track, ref: ref, sha: sha, digest: digest, installed: installed)
        }
    }
}
