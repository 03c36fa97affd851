import Foundation

/// A task executor with its own threads, for tests whose timing must not depend on the shared
/// cooperative pool. No test waits for a process synchronously any more, but other suites still
/// keep its two threads busy with synchronous CPU work (fixture strings, tree walks, digests);
/// without this executor a served approval was not applied within 10 s in two full runs of the
/// suite on 2 loaded cores, although the serve suites passed on their own.
package final class DedicatedExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    /// Starts `threads` threads that run jobs for the life of the process.
    package init(threads: Int, name: String) {
        for index in 0..<threads {
            let thread = Thread { [unowned self] in self.work() }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    package func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        jobs.append(unowned)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
