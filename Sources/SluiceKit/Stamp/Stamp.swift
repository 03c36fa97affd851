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
    private static let stampKeys: Set<String> = ["format", "plugin", "source", "subpath", "track", "ref", "sha", "digest", "installed"]

    /// The stamp in `data` when it is in the subset ``PlainYAML`` reads (what the encoder
    /// writes), without building a YAML tree.
    ///
    /// A reconcile pass reads one stamp per installed plugin; this path is an order of magnitude
    /// cheaper than the general YAML decoder. It returns nil for anything it is not sure of (an
    /// unknown key, a value the decoder would read as another type), in which case the caller
    /// falls back to the full decoder, so a hand-written stamp still reads as it always did.
    /// Whatever it accepts it reads as the full decoder does (the `FuzzStamp` target checks this).
    static func fastParse(_ data: Data) -> Stamp? {
        data.withUnsafeBytes { PlainYAML($0).flatMap(plain) }
    }

    /// The stamp in a document ``PlainYAML`` has read; nil when a key or a value is not one the
    /// full decoder would read the same way.
    static func plain(_ yaml: PlainYAML) -> Stamp? {
        let top = yaml.top
        guard top.keys(within: stampKeys), top.isFormatOne("format"), let plugin = top.text("plugin"), let source = top.text("source"),
              let subpath = top.optionalText("subpath"), let track = top.text("track"), let ref = top.optionalText("ref"),
              let sha = top.text("sha"), let digest = top.text("digest"), let installed = top.text("installed") else { return nil }
        return Stamp(plugin: plugin, source: source, subpath: subpath, track: track, ref: ref, sha: sha, digest: digest, installed: installed)
    }
}
