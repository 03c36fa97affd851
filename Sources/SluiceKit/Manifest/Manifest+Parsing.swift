import Foundation
import Yams

extension Manifest {
    /// The keys a plugin entry may hold.
    public static let entryKeys = ["source", "subpath", "track", "hold", "restart", "minAge", "verify"]

    /// Reads and validates a `plugins.yaml`.
    ///
    /// - Parameters:
    ///   - path: The file to read.
    ///   - displayPath: How the file is named in diagnostics (relative to the root).
    ///   - policy: Which source URLs are accepted.
    /// - Throws: ``ValidationError`` with every problem in the file, each located.
    public static func load(path: String, displayPath: String, policy: SourcePolicy) throws(ValidationError) -> Manifest {
        try decode(FileManager.default.contents(atPath: path), displayPath: displayPath, policy: policy)
    }

    /// Validates the bytes of a `plugins.yaml` already read (nil: the file could not be read).
    ///
    /// - Throws: ``ValidationError`` with every problem in the file, each located.
    static func decode(_ data: Data?, displayPath: String, policy: SourcePolicy) throws(ValidationError) -> Manifest {
        guard let data else {
            throw ValidationError([Diagnostic(file: displayPath, line: 0, column: 0, message: "cannot read the file; check that it exists and is readable")])
        }
        if let plain = data.withUnsafeBytes({ parsePlain($0, policy: policy) }) { return plain }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ValidationError([Diagnostic(file: displayPath, line: 0, column: 0, message: "the file is not UTF-8 text")])
        }
        return try parse(text, file: displayPath, policy: policy)
    }

    /// Parses the text of a `plugins.yaml`.
    ///
    /// - Throws: ``ValidationError`` with every problem in the text, each located.
    public static func parse(_ text: String, file: String, policy: SourcePolicy) throws(ValidationError) -> Manifest {
        var bytes = text
        if let plain = bytes.withUTF8({ parsePlain(UnsafeRawBufferPointer($0), policy: policy) }) { return plain }
        return try parseTree(text, file: file, policy: policy)
    }

    /// Parses the text of a `plugins.yaml` through Yams' node tree, which carries every line
    /// and column: what ``parse(_:file:policy:)`` does when the fast path declines.
    static func parseTree(_ text: String, file: String, policy: SourcePolicy) throws(ValidationError) -> Manifest {
        var reader = YAMLReader(file: file, text: text)
        guard let root = reader.root(), let top = reader.mapping(root, "plugins.yaml") else {
            throw ValidationError(reader.diagnostics)
        }
        var plugins: [PluginEntry] = []
        var sawPlugins = false
        for (_, _, value) in reader.entries(top, allowed: ["plugins"], in: "plugins.yaml") {
            sawPlugins = true
            if YAMLReader.isNull(value) { continue }
            guard let mapping = reader.mapping(value, "plugins") else { continue }
            for (keyNode, entryNode) in mapping {
                guard let name = reader.string(keyNode, "a plugin name") else { continue }
                let nameProblem = PluginName.problem(with: name)
                if let nameProblem {
                    reader.error(at: keyNode, "invalid plugin name '\(name)': \(nameProblem)")
                }
                // The entry is checked even under a bad name, so that all its problems show at once.
                if let entry = parseEntry(name: name, keyNode: keyNode, node: entryNode, reader: &reader, policy: policy), nameProblem == nil {
                    plugins.append(entry)
                }
            }
        }
        if !sawPlugins, reader.diagnostics.isEmpty {
            reader.error(line: 1, column: 1, "no 'plugins' key; expected 'plugins:' followed by one entry per plugin")
        }
        if !reader.diagnostics.isEmpty { throw ValidationError(reader.diagnostics) }
        return Manifest(plugins: plugins)
    }

    private static func parseEntry(name: String, keyNode: Node, node: Node, reader: inout YAMLReader, policy: SourcePolicy) -> PluginEntry? {
        guard let mapping = reader.mapping(node, "plugin '\(name)'") else { return nil }
        var source: String?
        var subpath: String?
        var track: Track? = Track.none
        var hold = false
        var restart = false
        var minAge: Int?
        var verify: VerifyMode?
        var sawSource = false
        for (key, _, value) in reader.entries(mapping, allowed: entryKeys, in: "plugin '\(name)'") {
            switch key {
            case "source":
                sawSource = true
                guard let url = reader.string(value, "source of '\(name)'") else { continue }
                do {
                    source = try policy.check(url).url
                } catch {
                    reader.error(at: value, "source of '\(name)': \(error.message)")
                }
            case "subpath":
                guard let path = reader.string(value, "subpath of '\(name)'") else { continue }
                if let problem = subpathProblem(path) {
                    reader.error(at: value, "subpath of '\(name)' \(problem)")
                } else {
                    subpath = path.hasSuffix("/") ? String(path.dropLast()) : path
                }
            case "track":
                track = nil
                guard let text = reader.string(value, "track of '\(name)'") else { continue }
                do {
                    track = try Track(parsing: text)
                } catch {
                    reader.error(at: value, "track of '\(name)': \(error.message)", offset: error.offset)
                }
            case "hold":
                hold = reader.bool(value, "hold of '\(name)'") ?? false
            case "minAge":
                minAge = reader.duration(value, "min-age of '\(name)'")
            case "verify":
                verify = reader.choice(value, "verify of '\(name)'", among: VerifyMode.allCases.map(\.rawValue)).flatMap(VerifyMode.init(rawValue:))
            default:
                restart = reader.bool(value, "restart of '\(name)'") ?? false
            }
        }
        if !sawSource {
            reader.error(at: keyNode, "plugin '\(name)' has no source; expected 'source: <git URL>'")
        }
        guard let source, let track else { return nil }
        return PluginEntry(name: name, source: source, subpath: subpath, track: track, hold: hold, restart: restart, minAge: minAge, verify: verify, line: YAMLReader.position(of: keyNode).0)
    }

    /// Why a subpath is unusable, or nil: it must name a folder inside the repository.
    static func subpathProblem(_ path: String) -> String? {
        if path.hasPrefix("/") { return "must be relative to the repository, found '\(path)'" }
        if path.hasPrefix("-") { return "must not start with '-'" }
        if path.contains("\\") { return "must use '/' as separator, found '\\'" }
        if path.contains(":") { return "must not contain ':'" }
        var trimmed = Substring(path)
        if trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        if parts.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) {
            return "must be a plain folder path without '.', '..' or empty parts, found '\(path)'"
        }
        if parts.contains(".git") { return "must not name a .git folder" }
        if path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) { return "must not contain control characters" }
        return nil
    }
}
