import Foundation
import SluiceKit
import Synchronization

/// What the loop publishes for the HTTP side and the status file: readiness, the bound port, the
/// last pass and the backoff. The loop is the only writer; readers take copies.
public final class ServiceState: Sendable {
    private struct Values {
        var ready = false
        var port: Int?
        var passes = 0
        var lastPass: ServeStatus.Pass?
        var backoff: SourceBackoff
        var everBackedOff: Set<String> = []
        var gitStopped: String?
        var rootRemote: String?
        var refs: [String: Result<RemoteRefs, GitError>] = [:]
    }

    private let values: Mutex<Values>
    private let started = Date()

    init(backoff: SourceBackoff) {
        values = Mutex(Values(backoff: backoff))
    }

    /// Whether the first pass has finished.
    public var isReady: Bool { values.withLock { $0.ready } }
    /// The bound port, once listening.
    public var port: Int? { values.withLock { $0.port } }
    /// Passes finished since start.
    public var passes: Int { values.withLock { $0.passes } }
    /// The last pass.
    public var lastPass: ServeStatus.Pass? { values.withLock { $0.lastPass } }
    /// The backoff as of the last pass.
    public var backoff: SourceBackoff { values.withLock { $0.backoff } }
    /// Sources that backed off at some point (their gauges stay, at 0, once they recover).
    var everBackedOff: Set<String> { values.withLock { $0.everBackedOff } }

    /// Why `serve --git` stopped following the root's remote branch, if it did.
    public var gitStopped: String? { values.withLock { $0.gitStopped } }

    /// The URL of the root's remote under `--git`, once the first pull found it.
    var rootRemote: String? { values.withLock { $0.rootRemote } }

    func setRootRemote(_ url: String) {
        values.withLock { $0.rootRemote = url }
    }

    func setGitStopped(_ reason: String?) {
        values.withLock { $0.gitStopped = reason }
    }

    /// Each source's refs as the passes last listed them.
    var refs: [String: Result<RemoteRefs, GitError>] { values.withLock { $0.refs } }

    /// Records what a pass listed: a full pass replaces every source's refs, a scoped pass
    /// only those of its sources.
    func recordRefs(_ refs: [String: Result<RemoteRefs, GitError>], full: Bool) {
        values.withLock {
            if full { $0.refs = refs } else { $0.refs.merge(refs) { $1 } }
        }
    }

    func setPort(_ port: Int) {
        values.withLock { $0.port = port }
    }

    func recordPass(_ pass: ServeStatus.Pass, backoff: SourceBackoff) {
        values.withLock {
            $0.ready = true
            $0.passes += 1
            $0.lastPass = pass
            $0.backoff = backoff
            $0.everBackedOff.formUnion(backoff.entries.keys)
        }
    }

    /// The status file's content at `now` on the service clock.
    func status(configuration: ServeConfiguration, now: Duration) -> ServeStatus {
        values.withLock { values in
            let wall = Date()
            let sources = values.backoff.entries.sorted { $0.key < $1.key }.map { source, entry in
                ServeStatus.Source(
                    source: source, failures: entry.failures,
                    retryAt: Timestamp.string(wall.addingTimeInterval(values.backoff.remaining(source, at: now).seconds)),
                    reason: entry.reason)
            }
            var listen = configuration
            if let port = values.port { listen.port = port }
            return ServeStatus(
                pid: getpid(), started: Timestamp.string(started), updated: Timestamp.string(wall), listen: listen.listen,
                ready: values.ready, apply: configuration.apply, intervalSeconds: configuration.interval.seconds,
                passes: values.passes, lastPass: values.lastPass, sources: sources, gitStopped: values.gitStopped)
        }
    }
}
