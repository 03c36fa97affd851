import Foundation
import Logging

/// Sends what `notify` asks for after a reconcile pass or an apply run: the after-queue command
/// and the webhook, side by side, each within its own time limit.
///
/// Both ``Reconciler`` and ``Applier`` call it, so `sluice reconcile`, `sluice apply` and the
/// passes and applies of `sluice serve` notify alike. Nothing it does is thrown or changes a
/// report: a notification reports on work, it never fails it.
public struct Notifier: Sendable {
    /// The root's layout (its `notify` configuration and its path).
    public let layout: RootLayout
    /// Where events go.
    public let logger: Logger

    /// Creates a notifier.
    public init(layout: RootLayout, logger: Logger) {
        self.layout = layout
        self.logger = logger
    }

    /// Notifies `changes` of `event`; nothing when there is none or nobody listens.
    public func notify(_ event: NotifyConfig.Event, changes: [NotificationPayload.Change]) async {
        let config = layout.config.notify
        guard !changes.isEmpty, config.wants(event) else { return }
        let payload = NotificationPayload(event: event, root: layout.root, changes: changes)
        let root = layout.root
        let logger = self.logger
        await withTaskGroup(of: Void.self) { group in
            if event == .queue, let command = config.afterQueue {
                group.addTask {
                    await AfterQueueCommand(command: command, timeout: config.afterQueueTimeout, root: root, logger: logger).run(payload)
                }
            }
            if let webhook = config.webhook, config.on.contains(event) {
                group.addTask {
                    await WebhookSender(webhook: webhook, root: root, logger: logger).send(payload)
                }
            }
        }
    }
}
