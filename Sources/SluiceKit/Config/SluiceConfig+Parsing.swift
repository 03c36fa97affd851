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
        return try parse(text, file: fileName) { folder in
            Directory.isRegularFile(root + "/" + folder + "/" + Manifest.fileName)
        }
    }

    /// Parses the text of a `sluice.yaml`.
    ///
    /// - Parameter isWorkspace: Whether a folder (relative to the root) is a workspace; the
    ///   queue and the state folder may not be one or lie inside one.
    public static func parse(_ text: String, file: String, isWorkspace: (String) -> Bool = { _ in false }) throws(ValidationError) -> SluiceConfig {
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
        // The folders as written, in file order, for the checks that relate them.
        var folders: [(key: String, path: String, node: Node)] = []
        var defaultVerifyNode: Node?
        for (key, _, value) in reader.entries(top, allowed: ["queue", "state", "discovery", "sources", "git", "apply", "defaults", "verify", "gitops", "approvals", "notify", "watch"], in: "sluice.yaml") {
            switch key {
            case "queue", "state":
                if let path = reader.string(value, key) {
                    if let problem = relativePathProblem(path) ?? placementProblem(path, isWorkspace: isWorkspace) {
                        reader.error(at: value, "\(key) \(problem)")
                    } else {
                        if key == "queue" { config.queue = path } else { config.state = path }
                        folders.append((key, path, value))
                    }
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
                for (sub, _, subValue) in reader.entries(mapping, allowed: ["retain", "maxTreeBytes", "hot", "afterApply", "canarySoak"], in: "apply") {
                    switch sub {
                    case "retain": if let v = reader.int(subValue, "apply.retain", in: 0...100) { config.retain = v }
                    case "maxTreeBytes": if let v = reader.int(subValue, "apply.maxTreeBytes", in: 1...Int(Int32.max)) { config.maxTreeBytes = v }
                    case "hot": if let v = reader.strings(subValue, "apply.hot") { config.hotPatterns = v }
                    case "canarySoak":
                        if let seconds = reader.duration(subValue, "apply.canarySoak") { config.canarySoak = seconds }
                    default: if let v = reader.string(subValue, "apply.afterApply") { config.afterApply = v }
                    }
                }
            case "defaults":
                (config.defaults, defaultVerifyNode) = parseDefaults(value, reader: &reader)
            case "verify":
                config.trustedKeys = parseTrustedKeys(value, reader: &reader)
            case "gitops":
                parseGitOps(value, into: &config, reader: &reader)
            case "approvals":
                parseApprovals(value, into: &config, reader: &reader)
            case "notify":
                config.notify = NotifyConfig.parse(value, reader: &reader)
            case "watch":
                if let name = reader.string(value, "watch") {
                    if let mode = WatchMode(rawValue: name) {
                        config.watch = mode
                    } else {
                        reader.error(at: value, "unknown watch mode '\(name)'; expected auto (inotify where it sees every change) or stat (one stat per file every pass)")
                    }
                }
            default:
                break
            }
        }
        if let node = defaultVerifyNode, let problem = config.trustedKeys.problem(for: config.defaults.verify) {
            reader.error(at: node, "defaults: \(problem)")
        }
        if let last = folders.last, Self.nested(config.queue, config.state) {
            let other = last.key == "queue" ? "state" : "queue"
            reader.error(at: last.node, "\(last.key) and \(other) must be different folders, neither inside the other (queue '\(config.queue)', state '\(config.state)')")
        }
        if !reader.diagnostics.isEmpty { throw ValidationError(reader.diagnostics) }
        return config
    }

    /// Why a queue or state folder may not go where it is: inside a `plugins/` folder (apply
    /// replaces plugin trees whole) or inside a workspace.
    static func placementProblem(_ path: String, isWorkspace: (String) -> Bool) -> String? {
        let parts = path.split(separator: "/")
        if parts.contains("plugins") {
            return "must not be inside a plugins/ folder, found '\(path)'; plugin trees are replaced whole by apply"
        }
        for count in 1...max(parts.count, 1) {
            let folder = parts.prefix(count).joined(separator: "/")
            if isWorkspace(folder) {
                return "'\(path)' is inside the workspace '\(folder)' (it holds plugins.yaml); put it beside the workspaces, not in one"
            }
        }
        return nil
    }

    /// Whether two relative folders are the same or one holds the other.
    static func nested(_ a: String, _ b: String) -> Bool {
        a == b || a.hasPrefix(b + "/") || b.hasPrefix(a + "/")
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
