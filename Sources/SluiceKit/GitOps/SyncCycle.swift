import Foundation
import Logging

/// One `sluice sync` (for cron): pull the root's remote branch, run a reconcile pass, apply the
/// approved updates, then commit and push what changed in the queue.
public struct SyncCycle: Sendable {
    /// The root's layout.
    public let layout: RootLayout
    /// The git choke point.
    public let git: Git
    /// Where events go.
    public let logger: Logger

    /// Creates the cycle of `layout`'s root.
    public init(layout: RootLayout, git: Git, logger: Logger) {
        self.layout = layout
        self.git = git
        self.logger = logger
    }

    /// Runs the cycle; a stopped follow (rewritten remote) changes nothing and is in the report.
    public func run(apply: Bool = true) async throws -> SyncReport {
        let sync = RootSync(git: git, layout: layout, logger: logger)
        var report = SyncReport()
        switch try await sync.pull() {
        case .stopped(let reason):
            report.stopped = reason
            return report
        case .followed(let commit):
            report.followed = commit
        }
        report.reconcile = try await Reconciler(layout: layout, git: git, logger: logger).run()
        if apply {
            report.apply = try await Applier(layout: layout, git: git, logger: logger).run()
        }
        let (committed, status) = try await sync.publish(after: apply ? "reconcile and apply" : "reconcile")
        report.committed = committed
        switch status {
        case .followed(let commit): report.followed = commit
        case .stopped(let reason): report.stopped = reason
        }
        return report
    }
}
