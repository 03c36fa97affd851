import Foundation
import Synchronization

/// Folders that changed, as Linux `inotify(7)` reports them, so that a long-running process can
/// trust what it read from a folder without a `stat` per file.
///
/// The watcher only knows folders: ``watch(_:)`` adds one (its entries and the folder itself),
/// ``drain()`` says which watched folders had an event since the last drain. What was read from
/// where, and what to read again, is the caller's business. Every way a watch can be missing or
/// an event lost is reported, never hidden: ``watch(_:)`` returns false (the caller checks that
/// folder by `stat` instead) and ``drain()`` returns ``Changes/everything`` after a queue
/// overflow or a read error (the caller trusts nothing it read before).
///
/// Watches are `IN_ONLYDIR | IN_DONT_FOLLOW`: a symbolic link is never watched (what it points
/// to could change without an event in the folder watched), so a link to a folder fails to watch.
package final class ChangeWatcher: Sendable {
    /// What changed since the last drain.
    package enum Changes: Sendable, Equatable {
        /// Events were lost (the kernel's queue overflowed, or reading it failed): nothing read
        /// before can be trusted.
        case everything
        /// The watched folders with any event, and those among them whose entries changed
        /// (created, deleted, moved, attributes changed, or the folder itself deleted or moved)
        /// rather than only a file's content written.
        case folders(changed: Set<String>, entries: Set<String>)

        /// No change.
        package static let none = Changes.folders(changed: [], entries: [])
    }

    /// What a watch reports: everything that changes what a folder lists or what its files hold.
    static let mask = UInt32(IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE
        | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW)
    /// Events that change no folder listing: a file written in place.
    static let contentOnly = UInt32(IN_MODIFY | IN_CLOSE_WRITE)

    private struct State {
        /// The folder each watch descriptor was added for (the last path it was added for).
        var paths = WatchedPaths()
        /// Set once reading the descriptor failed: no watch is trusted any more.
        var broken = false
        /// The first watch that could not be added, for the log.
        var firstFailure: String?
        /// How many watches this process may add; nil for the kernel's limit only.
        var limit: Int?
    }

    private let state: Mutex<State>
    /// The inotify descriptor, closed when the watcher goes.
    private let descriptor: Int32
    /// Called with each folder once its watch is in place (tests change files there, mid-read).
    private let watched: (@Sendable (String) -> Void)?
    /// Called by readers once they read or checked what a folder holds, before they trust it.
    private let onRead: (@Sendable (String) -> Void)?

    /// Starts watching nothing yet.
    ///
    /// - Parameters:
    ///   - limit: At most this many watches (tests use it to stand for the kernel's
    ///     `max_user_watches`); nil for the kernel's limit only.
    ///   - watched: Called with each folder once its watch is in place (tests only).
    ///   - read: Called with each folder a reader read or checked, before it trusts what it read
    ///     (tests only: a change made there is a change made during the read).
    /// - Throws: ``FileSystemError`` when `inotify_init1` fails (for example `EMFILE`, too many
    ///   inotify instances for this user).
    package init(limit: Int? = nil, watched: (@Sendable (String) -> Void)? = nil, read: (@Sendable (String) -> Void)? = nil) throws {
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { throw FileSystemError(operation: "inotify_init1", path: "", errno: errno) }
        self.descriptor = descriptor
        state = Mutex(State(limit: limit))
        self.watched = watched
        self.onRead = read
    }

    deinit {
        close(descriptor)
    }

    /// Watches `folder` (its entries and itself) from now on.
    ///
    /// - Parameter checkFilesystem: Also refuse a folder on a filesystem whose remote writers
    ///   inotify does not see (``isLocalFilesystem(_:)``); costs one `statfs`.
    /// - Returns: whether the watch is in place. False when the folder is gone, is a link or no
    ///   folder, is on a remote filesystem, the watch limit is reached (`ENOSPC`), or the
    ///   watcher is broken: the caller must then check what it read from `folder` by `stat`.
    @discardableResult
    package func watch(_ folder: String, checkFilesystem: Bool = false) -> Bool {
        if checkFilesystem, !Self.isLocalFilesystem(folder) {
            state.withLock { if $0.firstFailure == nil { $0.firstFailure = "\(folder): a network or FUSE filesystem" } }
            return false
        }
        if state.withLock({ $0.broken }) { return false }
        // Outside the lock: readers on every core add their watches at the same time. A folder
        // watched again gets its descriptor back (same inode), so it never counts twice.
        let wd = inotify_add_watch(descriptor, folder, Self.mask)
        let code = errno
        let added = state.withLock { state in
            guard wd >= 0 else {
                if state.firstFailure == nil, code != ENOENT, code != ENOTDIR {
                    state.firstFailure = code == ENOSPC
                        ? "\(folder): the inotify watch limit is reached (raise fs.inotify.max_user_watches)"
                        : "\(folder): \(String(cString: strerror(code)))"
                }
                return false
            }
            if let limit = state.limit, state.paths.count >= limit, !state.paths.contains(wd) {
                _ = inotify_rm_watch(descriptor, wd)       // its IN_IGNORED names no watched folder
                if state.firstFailure == nil { state.firstFailure = "\(folder): the watch limit (\(limit)) is reached" }
                return false
            }
            guard !state.broken else { return false }
            // A folder replaced by another at the same path gets a new descriptor; the old one's
            // events (its IN_IGNORED comes once it is deleted) still name the same path.
            state.paths.set(wd, folder)
            return true
        }
        if added { watched?(folder) }
        return added
    }

    /// Says that a reader read or checked what `folder` holds and is about to trust it (a no-op
    /// outside tests).
    package func didRead(_ folder: String) {
        onRead?(folder)
    }

    /// The first watch that could not be added since the last call, if any (for one log line).
    package func takeFailure() -> String? {
        state.withLock { state in
            defer { state.firstFailure = nil }
            return state.firstFailure
        }
    }

    /// How many watches are in place.
    package var count: Int { state.withLock { $0.paths.count } }

    /// Reads every event queued since the last drain, without waiting.
    ///
    /// Call it before deciding what is unchanged, and never while reads that watch are running:
    /// an event of a change made after a folder was watched is then either in this drain or in
    /// the next one.
    package func drain() -> Changes {
        state.withLock { state in
            guard !state.broken else { return .everything }
            var changed: Set<String> = []
            var entries: Set<String> = []
            var overflow = false
            let capacity = 64 * 1024
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: MemoryLayout<inotify_event>.alignment)
            defer { buffer.deallocate() }
            while true {
                let count = read(descriptor, buffer, capacity)
                if count < 0 {
                    if errno == EINTR { continue }
                    if errno == EAGAIN || errno == EWOULDBLOCK { break }
                    state.broken = true
                    return .everything
                }
                if count == 0 { break }
                var offset = 0
                while offset + MemoryLayout<inotify_event>.size <= count {
                    let event = buffer.load(fromByteOffset: offset, as: inotify_event.self)
                    offset += MemoryLayout<inotify_event>.size + Int(event.len)
                    if event.mask & UInt32(IN_Q_OVERFLOW) != 0 {
                        overflow = true
                        continue
                    }
                    guard let path = state.paths[event.wd] else { continue }
                    changed.insert(path)
                    if event.mask & ~Self.contentOnly & ~UInt32(IN_ISDIR) != 0 { entries.insert(path) }
                    if event.mask & UInt32(IN_IGNORED) != 0 {
                        state.paths.remove(event.wd)
                    } else if event.mask & UInt32(IN_MOVE_SELF) != 0 {
                        // The folder now lives elsewhere: its events would be reported under
                        // a path it no longer has. A fresh read watches the new folder.
                        _ = inotify_rm_watch(descriptor, event.wd)
                        state.paths.remove(event.wd)
                    }
                }
            }
            return overflow ? .everything : .folders(changed: changed, entries: entries)
        }
    }
}
