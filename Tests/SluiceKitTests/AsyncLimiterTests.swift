import Synchronization
import Testing
@testable import SluiceKit

/// `AsyncLimiter`: what bounds git processes and hooks while apply works on many updates at once.
@Suite struct AsyncLimiterTests {
    @Test func neverRunsMoreThanItsLimitAndRunsEverything() async {
        let limiter = AsyncLimiter(limit: 3)
        let running = Mutex(0)
        let most = Mutex(0)
        let done = await concurrentMap(Array(0..<40), limit: 40) { index in
            await limiter.run {
                let now = running.withLock { value in
                    value += 1
                    return value
                }
                most.withLock { $0 = max($0, now) }
                try? await Task.sleep(for: .milliseconds(2))
                running.withLock { $0 -= 1 }
                return index
            }
        }
        #expect(done == Array(0..<40))
        #expect(most.withLock { $0 } == 3)
        #expect(running.withLock { $0 } == 0)
    }

    @Test func aThrowingBodyGivesItsSlotBack() async {
        struct Failure: Error {}
        let limiter = AsyncLimiter(limit: 1)
        for _ in 0..<5 {
            await #expect(throws: Failure.self) {
                try await limiter.run { () async throws(Failure) -> Int in throw Failure() }
            }
        }
        // Had a failure kept its slot, this would wait for ever.
        #expect(await limiter.run { 7 } == 7)
    }
}
