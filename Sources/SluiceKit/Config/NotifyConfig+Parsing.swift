import Foundation
import Yams

extension NotifyConfig {
    /// The keys of `notify`.
    static let keys = ["afterQueue", "afterQueueTimeout", "webhook", "on"]
    /// The keys of `notify.webhook`.
    static let webhookKeys = ["url", "secretFile", "timeout", "retries"]
    /// The longest webhook budget accepted: a notification must not hold a pass for long.
    static let longestTimeout = 600

    /// Reads the `notify` mapping of `sluice.yaml`; every problem becomes a located diagnostic
    /// in `reader`.
    static func parse(_ node: Node, reader: inout YAMLReader) -> NotifyConfig {
        var config = NotifyConfig()
        guard let mapping = reader.mapping(node, "notify") else { return config }
        for (key, _, value) in reader.entries(Self.quotingOn(mapping), allowed: keys, in: "notify") {
            switch key {
            case "afterQueue":
                if let command = reader.string(value, "notify.afterQueue") { config.afterQueue = command }
            case "afterQueueTimeout":
                if let timeout = seconds(value, "notify.afterQueueTimeout", reader: &reader) { config.afterQueueTimeout = timeout }
            case "webhook":
                config.webhook = parseWebhook(value, reader: &reader)
            default:
                if let events = parseEvents(value, reader: &reader) { config.on = events }
            }
        }
        return config
    }

    /// YAML 1.1 reads a plain `on` as the boolean true; as a key of `notify` it is the word.
    private static func quotingOn(_ mapping: Node.Mapping) -> Node.Mapping {
        let pairs = mapping.map { pair -> (Node, Node) in
            guard case .scalar(let scalar) = pair.key, scalar.style == .plain || scalar.style == .any,
                  ["on", "On", "ON"].contains(scalar.string) else { return (pair.key, pair.value) }
            return (.scalar(Node.Scalar("on", scalar.tag, .doubleQuoted, scalar.mark)), pair.value)
        }
        return Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark)
    }

    private static func parseEvents(_ node: Node, reader: inout YAMLReader) -> Set<Event>? {
        guard let names = reader.strings(node, "notify.on") else { return nil }
        var events: Set<Event> = []
        var valid = true
        let items: [Node] = if case .sequence(let sequence) = node { Array(sequence) } else { [] }
        for (index, name) in names.enumerated() {
            if let event = Event(rawValue: name) {
                events.insert(event)
            } else {
                reader.error(at: index < items.count ? items[index] : node, "unknown event '\(name)' in notify.on; expected queue or apply")
                valid = false
            }
        }
        if valid, events.isEmpty {
            reader.error(at: node, "notify.on is empty, so the webhook would never be sent; list queue, apply or both, or remove notify.webhook")
            return nil
        }
        return valid ? events : nil
    }

    private static func parseWebhook(_ node: Node, reader: inout YAMLReader) -> Webhook? {
        guard let mapping = reader.mapping(node, "notify.webhook") else { return nil }
        var url: URL?
        var secretFile: String?
        var timeout: Duration?
        var retries: Int?
        for (key, _, value) in reader.entries(mapping, allowed: webhookKeys, in: "notify.webhook") {
            switch key {
            case "url":
                guard let text = reader.string(value, "notify.webhook.url") else { continue }
                if let problem = urlProblem(text) {
                    reader.error(at: value, "notify.webhook.url \(problem)")
                } else {
                    url = URL(string: text)
                }
            case "secretFile":
                guard let path = reader.string(value, "notify.webhook.secretFile") else { continue }
                if let problem = SluiceConfig.relativePathProblem(path) {
                    reader.error(at: value, "notify.webhook.secretFile \(problem)")
                } else {
                    secretFile = path
                }
            case "timeout":
                timeout = seconds(value, "notify.webhook.timeout", reader: &reader)
            default:
                retries = reader.int(value, "notify.webhook.retries", in: 0...10)
            }
        }
        guard let url else {
            if !mapping.contains(where: { $0.key.scalar?.string == "url" }) {
                reader.error(at: node, "notify.webhook needs a url (http or https)")
            }
            return nil
        }
        var webhook = Webhook(url: url, secretFile: secretFile)
        if let timeout { webhook.timeout = timeout }
        if let retries { webhook.retries = retries }
        return webhook
    }

    /// A time limit written as a duration (`10s`, `1m`) from one second to ten minutes.
    private static func seconds(_ node: Node, _ what: String, reader: inout YAMLReader) -> Duration? {
        let text: String? = if case .scalar(let scalar) = node { scalar.string } else { nil }
        if let text, let count = YAMLReader.seconds(in: text), count >= 1, count <= longestTimeout {
            return .seconds(count)
        }
        reader.error(at: node, "\(what) must be a duration from 1s to 10m such as 10s or 1m, found \(text.map { "'\($0)'" } ?? YAMLReader.kind(of: node))")
        return nil
    }

    /// Why `text` is not a webhook URL, or nil: only http and https with a host are sent to.
    /// The text in the message is redacted, since a URL may carry a password.
    static func urlProblem(_ text: String) -> String? {
        let shown = SourceURL.redacted(text)
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            return "must be an http or https URL, found '\(shown)'"
        }
        guard scheme == "http" || scheme == "https" else {
            return "must be an http or https URL, found the scheme '\(scheme)' in '\(shown)'"
        }
        guard let host = components.host, !host.isEmpty, URL(string: text) != nil else {
            return "must name a host, found '\(shown)'"
        }
        return nil
    }
}
