import Foundation

/// An advisory `flock(2)` lock held on a file for the duration of a closure.
///
/// Used to serialise applies on one workspace and fetches into one cache across processes.
/// The kernel drops the lock when the process dies, so a crash never leaves a stale lock.
public enum FileLock {
    /// Runs `body` while holding an exclusive lock on `path`, waiting for it without blocking a thread.
    ///
    /// - Throws: ``FileSystemError`` when the lock file cannot be opened, or whatever `body` throws.
    public static func withLock<T>(_ path: String, isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T) async throws -> T {
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // O_NOFOLLOW: a lock file replaced by a link is not opened through it.
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileSystemError(operation: "open lock", path: path, errno: errno) }
        defer { close(fd) }
        var delay: UInt64 = 5_000_000
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else { throw FileSystemError(operation: "lock", path: path, errno: errno) }
            try await Task.sleep(nanoseconds: delay)
            delay = min(delay * 2, 200_000_000)
        }
        defer { flock(fd, LOCK_UN) }
        return try await body()
    }
}
