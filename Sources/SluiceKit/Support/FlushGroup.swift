import CSluice
import Foundation

/// `syncfs(2)` shared by concurrent tasks: one flush covers every task that asked while the
/// previous one ran (group commit).
///
/// A task calls ``flush(filesystemOf:)`` once its files are written and continues once a
/// `syncfs` that began after the call has returned, so its files are durable. While one flush
/// runs, the tasks that ask wait together for the next one, which one of them runs for all:
/// the fan-out of one update to many workspaces pays one flush per round of concurrent
/// updates instead of one per update. No task ever waits for another task's work, only for a
/// flush, so this adds no lock-ordering constraint between updates (or between processes).
actor FlushGroup {
    /// What a waiting task is told when the flush it waited for is over.
    private enum Turn {
        /// The flush covering this task ended with this `errno` (0: success).
        case done(Int32)
        /// This task runs the next flush, for itself and the tasks handed over with it.
        case lead
    }

    /// Filesystems (by device) with a flush running.
    private var running: Set<UInt64> = []
    /// Tasks that asked while a flush of their filesystem ran: they need the next one.
    private var waiting: [UInt64: [CheckedContinuation<Turn, Never>]] = [:]
    /// Tasks covered by the flush their leader is running.
    private var covered: [UInt64: [CheckedContinuation<Turn, Never>]] = [:]

    /// Creates a group.
    init() {}

    /// Returns once a `syncfs` of the filesystem holding `path`, begun after this call, has returned.
    ///
    /// - Throws: ``FileSystemError`` when `path` cannot be opened or that flush failed.
    func flush(filesystemOf path: String) async throws(FileSystemError) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw FileSystemError(operation: "stat", path: path, errno: errno) }
        let device = UInt64(info.st_dev)
        if running.contains(device) {
            let turn = await withCheckedContinuation { waiting[device, default: []].append($0) }
            if case .done(let code) = turn {
                guard code == 0 else { throw FileSystemError(operation: "sync the filesystem of", path: path, errno: code) }
                return
            }
        } else {
            running.insert(device)
        }
        // This task leads: it flushes for itself and the tasks handed over to it.
        let code = await Self.syncfs(path)
        for waiter in covered.removeValue(forKey: device) ?? [] { waiter.resume(returning: .done(code)) }
        if var next = waiting.removeValue(forKey: device), !next.isEmpty {
            let leader = next.removeFirst()
            covered[device] = next
            leader.resume(returning: .lead)
        } else {
            running.remove(device)
        }
        guard code == 0 else { throw FileSystemError(operation: "sync the filesystem of", path: path, errno: code) }
    }

    /// `syncfs` on a descriptor of `path`, off the actor so that other tasks can join the next flush meanwhile.
    ///
    /// - Returns: 0, or the `errno` of the failure.
    private static func syncfs(_ path: String) async -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        return csluice_syncfs(fd) == 0 ? 0 : errno
    }
}
