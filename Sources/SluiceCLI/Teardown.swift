import Synchronization

/// What a command keeps until the process ends, so that the exit frees it at once instead of
/// object by object.
///
/// A one-shot command's caches die with the process anyway. Released at the end of `run()`,
/// the reconciler's caches of a 30,000-file queue (a record and an identity per file, a state
/// per workspace) took about 5% of `sluice reconcile`'s CPU time (`perf`: the deinitializers of
/// `ReconcileCache` and `QueueRecordCache`), after the report was written.
enum Teardown {
    private static let kept = Mutex<[any Sendable]>([])

    /// Keeps `value` alive until the process exits.
    static func skip(_ value: any Sendable) {
        kept.withLock { $0.append(value) }
    }
}
