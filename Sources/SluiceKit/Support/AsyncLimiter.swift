/// At most `limit` bodies running at once; the others wait, without holding a thread, in the
/// order they asked.
public actor AsyncLimiter {
    /// How many bodies may run at once.
    public let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Creates a limiter of `limit` (at least 1) slots.
    public init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Runs `body` once a slot is free.
    public nonisolated func run<T: Sendable, E: Error>(_ body: () async throws(E) -> T) async throws(E) -> T {
        await acquire()
        do {
            let value = try await body()
            await release()
            return value
        } catch {
            await release()
            throw error
        }
    }

    private func acquire() async {
        if running < limit {
            running += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            running -= 1
        } else {
            // The slot passes straight to the next in line.
            waiting.removeFirst().resume()
        }
    }
}
