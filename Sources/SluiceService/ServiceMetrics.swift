import Foundation
import Prometheus
import SluiceKit

/// The service's metrics, kept in a Prometheus registry that belongs to one service (never a
/// process-wide one), so that several services run in one process, as they do in tests.
///
/// Names, labels and help texts are listed in `spec/service.md`; every series of one name
/// carries the same label names and help text, as Prometheus requires. Metrics are made on
/// the registry itself rather than through swift-metrics, whose API has no help text.
public final class ServiceMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry

    /// Metric names, in one place for the spec and the tests.
    public enum Name {
        /// Histogram of pass durations, by scope (`full`, `webhook`).
        public static let passDuration = "sluice_pass_duration_seconds"
        /// Passes finished, by scope and result (`ok`, `partial`, `error`, `interrupted`).
        public static let passes = "sluice_passes_total"
        /// Unix time of the end of the last pass.
        public static let lastPass = "sluice_pass_last_timestamp_seconds"
        /// Subscriptions by state after the last full pass.
        public static let subscriptions = "sluice_subscriptions"
        /// Files in each queue folder.
        public static let queue = "sluice_queue_files"
        /// Failed listings of a source, counted per pass.
        public static let resolveFailures = "sluice_resolve_failures_total"
        /// Consecutive failed listings of a source (0 once it succeeds).
        public static let sourceFailures = "sluice_source_failures"
        /// Seconds until scheduled passes list a failing source again.
        public static let sourceBackoff = "sluice_source_backoff_seconds"
        /// Updates applied, by outcome (`applied`, `failed`, `skipped`) and verdict (`hot`, `restart`, `none`).
        public static let applies = "sluice_applies_total"
        /// Webhook deliveries, by endpoint and result (`accepted`, `ignored`, `unauthorized`, `invalid`).
        public static let webhooks = "sluice_webhooks_total"
        /// 1 once the first pass has finished.
        public static let ready = "sluice_ready"
        /// Log lines that could not be written (a full disk) and were dropped, since start.
        public static let droppedLogLines = "sluice_log_lines_dropped"
    }

    /// The `# HELP` text of every metric.
    public static let help: [String: String] = [
        Name.passDuration: "Duration of reconcile passes, by scope (full, webhook).",
        Name.passes: "Reconcile passes finished, by scope and result (ok, partial, error, interrupted).",
        Name.lastPass: "Unix time at which the last pass ended.",
        Name.subscriptions: "Subscriptions by state, as sluice status shows them.",
        Name.queue: "Files in each queue folder.",
        Name.resolveFailures: "Failed listings (git ls-remote) of a source, one per pass.",
        Name.sourceFailures: "Consecutive failed listings of a source (0 once it recovers).",
        Name.sourceBackoff: "Seconds until scheduled passes list a failing source again (0 when due).",
        Name.applies: "Updates applied by the service, by outcome (applied, failed, skipped) and verdict (hot, restart, none).",
        Name.webhooks: "Webhook deliveries, by endpoint (gitea, github) and result (accepted, ignored, unauthorized, invalid).",
        Name.ready: "1 once the first pass has finished.",
        Name.droppedLogLines: "Log lines dropped because standard error could not be written, since start.",
    ]

    static let passBuckets: [Duration] = [
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
        .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(120), .seconds(300), .seconds(600),
    ]

    /// Creates an empty registry.
    public init() {
        registry = PrometheusCollectorRegistry()
        gauge(Name.ready).record(Int64(0))
    }

    private static func descriptor(_ name: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help[name] ?? "")
    }

    private func gauge(_ name: String, _ labels: [(String, String)] = []) -> Gauge {
        registry.makeGauge(descriptor: Self.descriptor(name), labels: labels)
    }

    private func counter(_ name: String, _ labels: [(String, String)] = []) -> Counter {
        registry.makeCounter(descriptor: Self.descriptor(name), labels: labels)
    }

    /// Records a finished pass.
    func recordPass(scope: String, result: String, duration: Duration, finished: Date) {
        registry.makeDurationHistogram(descriptor: Self.descriptor(Name.passDuration), labels: [("scope", scope)], buckets: Self.passBuckets)
            .record(duration)
        counter(Name.passes, [("scope", scope), ("result", result)]).increment()
        gauge(Name.lastPass).record(finished.timeIntervalSince1970)
        gauge(Name.ready).record(Int64(1))
    }

    /// Counts one failed listing of `source`.
    func recordResolveFailure(source: String) {
        counter(Name.resolveFailures, [("source", source)]).increment()
    }

    /// Sets the subscription counts by state; states missing from `counts` read 0.
    func setSubscriptions(_ counts: [StatusReport.State: Int]) {
        for state in ServiceMetrics.subscriptionStates {
            gauge(Name.subscriptions, [("state", state.rawValue)]).record(Int64(counts[state] ?? 0))
        }
    }

    static let subscriptionStates: [StatusReport.State] = [.inSync, .pending, .approved, .rejected, .drift, .held, .untracked, .orphan, .error, .soaking]

    /// Sets the file count of every queue folder from disk.
    func setQueueSizes(_ layout: RootLayout) {
        let store = QueueStore(layout: layout)
        for folder in QueueFolder.allCases {
            let count = store.count(in: folder)
            gauge(Name.queue, [("folder", folder.rawValue)]).record(Int64(count))
        }
    }

    /// Sets each source's backoff; `known` are sources that backed off before and read 0 now.
    func setBackoff(_ backoff: SourceBackoff, at now: Duration, known: Set<String>) {
        for source in known.union(backoff.entries.keys) {
            let entry = backoff.entries[source]
            gauge(Name.sourceFailures, [("source", source)]).record(Int64(entry?.failures ?? 0))
            gauge(Name.sourceBackoff, [("source", source)]).record(backoff.remaining(source, at: now).seconds)
        }
    }

    /// Counts the items of an apply run.
    func recordApplies(_ report: ApplyReport) {
        for item in report.items {
            counter(Name.applies, [("outcome", item.result), ("verdict", item.verdict ?? "none")]).increment()
        }
    }

    /// Counts one webhook delivery.
    func recordWebhook(endpoint: String, result: String) {
        counter(Name.webhooks, [("endpoint", endpoint), ("result", result)]).increment()
    }

    /// The Prometheus text exposition of every metric.
    public func render() -> String {
        // Read when scraped: a log line that failed is counted by StandardStream, never thrown.
        gauge(Name.droppedLogLines).record(Int64(StandardStream.failedWrites(.error)))
        return registry.emitToString()
    }
}
