import Foundation
import Yams

extension SluiceConfig {
    /// Loads `sluice.yaml` from `root`, or the defaults when the file does not exist.
    ///
    /// - Throws: ``ValidationError`` with every problem in the file, located.
    public static func load(root: String) throws(ValidationError) -> SluiceConfig {
        let path = root + "/" + fileName
        guard FileManager.default.fileExists(atPath: path) else { return .standard }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ValidationError([Diagnostic(file: fileName, line: 0, column: 0, message: "cannot read the file as UTF-8 text")])
        }
        return try parse(text, file: fileName)
    }

    /// Parses the text of a `sluice.yaml`.
    public static func parse(_ text: String, file: String) throws(ValidationError) -> SluiceConfig {
        var reader = YAMLReader(file: file, text: text)
        var config = SluiceConfig()
        // Every key is optional, so a file holding only comments means the defaults.
        let meaningful = text.split(separator: "\n").contains { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return !trimmed.isEmpty && !trimmed.hasPrefix("#")
        }
        if !meaningful { return config }
        guard let root = reader.root() else { throw ValidationError(reader.diagnostics) }
        guard let top = reader.mapping(root, "sluice.yaml") else { throw ValidationError(reader.diagnostics) }
        for (key, _, value) in reader.entries(top, allowed: ["queue", "state", "discovery", "sources", "git", "apply"], in: "sluice.yaml") {
            switch key {
            case "queue", "state":
                if let path = reader.string(value, key) {
                    if let problem = relativePathProblem(path) {
                        reader.error(at: value, "\(key) \(problem)")
                    } else if key == "queue" { config.queue = path } else { config.state = path }
                }
            case "discovery":
                guard let mapping = reader.mapping(value, "discovery") else { continue }
                for (sub, _, subValue) in reader.entries(mapping, allowed: ["maxDepth", "exclude"], in: "discovery") {
                    if sub == "maxDepth", let depth = reader.int(subValue, "discovery.maxDepth", in: 1...16) { config.maxDepth = depth }
                    if sub == "exclude", let patterns = reader.strings(subValue, "discovery.exclude") { config.exclude = patterns }
                }
            case "sources":
                guard let mapping = reader.mapping(value, "sources") else { continue }
                for (sub, _, subValue) in reader.entries(mapping, allowed: ["transports", "allow"], in: "sources") {
                    if sub == "allow", let patterns = reader.strings(subValue, "sources.allow") { config.sources.allow = patterns }
                    if sub == "transports", case .sequence(let items) = subValue {
                        var transports: Set<SourceURL.Transport> = []
                        for item in items {
                            guard let name = reader.string(item, "each item of sources.transports") else { continue }
                            if let transport = SourceURL.Transport(rawValue: name) {
                                transports.insert(transport)
                            } else {
                                reader.error(at: item, "unknown transport '\(name)'; expected https, http, ssh, git or file (remote helpers such as ext are never allowed)")
                            }
                        }
                        if items.isEmpty {
                            reader.error(at: subValue, "sources.transports is empty, which would refuse every source; list at least one of https, ssh, http, git, file")
                        }
                        config.sources.transports = transports
                    } else if sub == "transports" {
                        reader.error(at: subValue, "sources.transports must be a list, found \(YAMLReader.kind(of: subValue))")
                    }
                }
            case "git":
                guard let mapping = reader.mapping(value, "git") else { continue }
                for (sub, _, subValue) in reader.entries(mapping, allowed: ["timeout", "fetchTimeout", "concurrency"], in: "git") {
                    switch sub {
                    case "timeout": if let v = reader.int(subValue, "git.timeout", in: 1...3600) { config.resolveTimeout = v }
                    case "fetchTimeout": if let v = reader.int(subValue, "git.fetchTimeout", in: 1...86400) { config.fetchTimeout = v }
                    default: if let v = reader.int(subValue, "git.concurrency", in: 1...256) { config.concurrency = v }
                    }
                }
            case "apply":
                guard let mapping = reader.mapping(value, "apply") else { continue }
                for (sub, _, subValue) in reader.entries(mapping, allowed: ["retain", "maxTreeBytes", "hot", "afterApply"], in: "apply") {
                    switch sub {
                    case "retain": if let v = reader.int(subValue, "apply.retain", in: 0...100) { config.retain = v }
                    case "maxTreeBytes": if let v = reader.int(subValue, "apply.maxTreeBytes", in: 1...Int(Int32.max)) { config.maxTreeBytes = v }
                    case "hot": if let v = reader.strings(subValue, "apply.hot") { config.hotPatterns = v }
                    default: if let v = reader.string(subValue, "apply.afterApply") { config.afterApply = v }
                    }
                }
            default:
                break
            }
        }
        if !reader.diagnostics.isEmpty { throw ValidationError(reader.diagnostics) }
        return config
    }

    /// Why a configured folder is unusable, or nil: it must stay inside the root.
    static func relativePathProblem(_ path: String) -> String? {
        if path.hasPrefix("/") { return "must be relative to the root, found the absolute path '\(path)'" }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if parts.contains(where: { $0 == ".." || $0.isEmpty || $0 == "." }) {
            return "must be a plain relative path without '.', '..' or empty parts, found '\(path)'"
        }
        return nil
    }
}
