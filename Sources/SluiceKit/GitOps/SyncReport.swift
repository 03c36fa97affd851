/// What one `sluice sync` did: pulled, reconciled, applied, pushed.
public struct SyncReport: Sendable, Codable {
    /// The remote commit followed after the sync, or nil when following stopped.
    public var followed: String?
    /// Why following stopped (a rewritten remote branch), if it did.
    public var stopped: String?
    /// The reconcile pass, when one ran.
    public var reconcile: ReconcileReport?
    /// The apply run, when one ran.
    public var apply: ApplyReport?
    /// Whether Sluice committed queue changes.
    public var committed = false

    /// Creates an empty report.
    public init() {}

    /// Whether anything failed or following stopped.
    public var hasFailures: Bool {
        stopped != nil || (reconcile?.hasFailures ?? false) || (apply?.hasFailures ?? false)
    }
}
