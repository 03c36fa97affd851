import SluiceKit

/// One apply at a time in this process: the approval watcher and the admin API take turns.
///
/// Applies from other processes are still safe (claims are renames, work runs under workspace
/// locks); taking turns here only makes the admin API's answer the outcome of its own run.
actor ApplyLane {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Runs `body` once every earlier caller has finished.
    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
        if busy {
            await withCheckedContinuation { waiters.append($0) }
        } else {
            busy = true
        }
        defer {
            if waiters.isEmpty {
                busy = false
            } else {
                waiters.removeFirst().resume()
            }
        }
        return try await body()
    }
}
