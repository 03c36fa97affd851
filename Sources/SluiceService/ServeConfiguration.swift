import Foundation
import SluiceKit

/// How `sluice serve` runs: where it listens, how often it passes, and its secrets.
public struct ServeConfiguration: Sendable {
    /// The address to bind.
    public var host = "127.0.0.1"
    /// The port to bind; 0 picks a free one (written to `<state>/serve.port`).
    public var port = 8735
    /// Time between the end of one scheduled pass and the start of the next, before jitter.
    public var interval: Duration = .seconds(300)
    /// The fraction of the interval added or taken at random, so that many roots do not pass in step.
    public var jitter = 0.1
    /// Webhook passes start at most once per this period; events within it are merged.
    public var debounce: Duration = .seconds(1)
    /// How often `approved/` is looked at.
    public var approvalPoll: Duration = .seconds(1)
    /// The longest a failing source is left out of scheduled passes.
    public var backoffCap: Duration = .seconds(3600)
    /// Whether approved files are applied (`--no-apply` turns it off).
    public var apply = true
    /// This instance's share of the workspaces (`--shard K/N`), or nil for all of them.
    public var shard: Shard?
    /// Whether the root is a git working copy followed through its upstream branch
    /// (`--git`): pull before each pass, commit and push the queue after passes and applies.
    public var gitOps = false
    /// The shared secret of the webhooks; nil turns the hook endpoints off (503).
    public var webhookSecret: String?
    /// The admin API's bearer token; nil turns the admin endpoints off (503).
    public var adminToken: String?
    /// The largest request body accepted, in bytes.
    public var bodyLimit = 1 << 20
    /// How long a connection may send nothing before it is closed, also mid-request: a client
    /// that holds a partial body open can never keep `serve` from stopping on SIGTERM.
    public var idleTimeout: Duration = .seconds(30)
    /// The most connections open at once; a connection beyond it is closed as soon as it is
    /// accepted (``ConnectionLimiter``).
    public var maxConnections = 256
    /// How long a graceful shutdown waits for open requests before it drops them (an apply in
    /// progress still finishes; ``ShutdownDeadline``).
    public var shutdownTimeout: Duration = .seconds(10)

    /// The defaults: 127.0.0.1:8735, every 5 minutes, applying, without secrets.
    public init() {}

    /// `host:port` as given to `--listen`.
    public var listen: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The one line `serve` prints once it listens: the address (with the bound `port`), the
    /// root, the shard, the interval, and the endpoints turned off for want of a secret.
    ///
    /// - Parameters:
    ///   - port: The bound port (the real one when `--listen` asked for port 0).
    ///   - root: The root's path.
    public func startLine(port: Int, root: String) -> String {
        var bound = self
        bound.port = port
        var disabled: [String] = []
        if webhookSecret == nil { disabled.append("webhooks (no secret: /hooks/* answer 503)") }
        if adminToken == nil { disabled.append("admin API (no token: /admin/* answer 503)") }
        let seconds = interval.seconds
        let intervalText = seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
        return "sluice serve: listening on http://\(bound.listen), root \(root), shard \(shard.map { "\($0)" } ?? "all"), "
            + "interval \(intervalText), apply \(apply ? "on" : "off"); disabled: \(disabled.isEmpty ? "none" : disabled.joined(separator: ", "))"
    }

    /// Parses `host:port`, `[v6]:port` or `:port` (which means 127.0.0.1).
    ///
    /// - Throws: ``ServiceError/invalidListen(_:)``.
    public static func parseListen(_ value: String) throws(ServiceError) -> (host: String, port: Int) {
        guard let colon = value.lastIndex(of: ":") else { throw .invalidListen(value) }
        var host = String(value[..<colon])
        let portText = value[value.index(after: colon)...]
        guard let port = Int(portText), (0...65535).contains(port) else { throw .invalidListen(value) }
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        } else if host.contains(":") {
            throw .invalidListen(value)
        }
        if host.isEmpty { host = "127.0.0.1" }
        return (host, port)
    }

    /// Reads a secret from `file` when given, else from the environment variable `variable`.
    ///
    /// Surrounding whitespace (a file's final newline) is not part of the secret.
    /// - Returns: the secret, or nil when neither is set.
    /// - Throws: ``ServiceError`` when the file cannot be read or either holds nothing.
    public static func secret(file: String?, variable: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ServiceError) -> String? {
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                let reason = FileManager.default.fileExists(atPath: file) ? "permission denied or not a file" : "no such file"
                throw .secretUnreadable(path: file, reason: reason)
            }
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { throw .secretEmpty("the secret file '\(file)'") }
            return text
        }
        guard let value = environment[variable] else { return nil }
        let text = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw .secretEmpty("the environment variable \(variable)") }
        return text
    }
}
