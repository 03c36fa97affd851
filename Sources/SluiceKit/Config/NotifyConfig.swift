import Foundation

/// The `notify` section of `sluice.yaml`: who hears about a pass that changed the queue, and
/// about an apply run that applied or failed anything.
///
/// Notifications are best effort: a command that fails or a webhook that does not answer is
/// logged and never changes what a pass or an apply did, nor its exit status.
public struct NotifyConfig: Sendable, Hashable {
    /// What a notification is about.
    public enum Event: String, Sendable, Hashable, CaseIterable, Codable {
        /// A reconcile pass queued, replaced or withdrew pending updates.
        case queue
        /// An apply run applied or failed updates.
        case apply
    }

    /// The outbound HTTP POST (`notify.webhook`).
    public struct Webhook: Sendable, Hashable {
        /// The http or https URL posted to; it may carry credentials, so it is logged redacted.
        public var url: URL
        /// The file, relative to the root, that holds the HMAC-SHA256 secret, or nil to send unsigned.
        public var secretFile: String?
        /// The budget of one notification, every attempt and every wait between them included.
        public var timeout: Duration = .seconds(10)
        /// How many more attempts follow a connection error or a 5xx answer.
        public var retries: Int = 3

        /// Creates a webhook with the default timeout and retries.
        public init(url: URL, secretFile: String? = nil) {
            self.url = url
            self.secretFile = secretFile
        }
    }

    /// The shell command run after a pass that changed the queue (`notify.afterQueue`), or nil.
    public var afterQueue: String?
    /// How long the after-queue command may run before its process group is stopped.
    public var afterQueueTimeout: Duration = .seconds(60)
    /// The webhook, or nil.
    public var webhook: Webhook?
    /// Which events the webhook is sent for (`notify.on`); the after-queue command only ever
    /// runs for `queue`.
    public var on: Set<Event> = [.queue]

    /// Nothing configured.
    public init() {}

    /// Whether anything listens for `event`.
    public func wants(_ event: Event) -> Bool {
        switch event {
        case .queue: return afterQueue != nil || (webhook != nil && on.contains(.queue))
        case .apply: return webhook != nil && on.contains(.apply)
        }
    }
}
