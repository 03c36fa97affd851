import CSluice
import Foundation

/// Moves whole plugin trees in and out of place, atomically.
///
/// On Linux the staged tree and the live tree trade places with `renameat2(RENAME_EXCHANGE)`,
/// so `plugins/<name>` is never missing or half-written. Where the exchange is not supported
/// (another kernel, or a filesystem without it) the fallback is three renames: live to
/// `<staging>.old`, staged into place, `.old` back to the staging name. A crash between them
/// leaves the old tree at `<staging>.old`, which the next run's recovery moves back into place
/// (when nothing replaced it) or retains.
enum TreeSwap {
    /// Where the fallback parks the live tree between its renames.
    static let asideSuffix = ".old"

    /// Swaps `staged` and `live`; afterwards `staged` holds the old tree.
    ///
    /// With `durable` false the folder is not `fsync`ed: the caller's next flush makes the swap
    /// durable (apply's outcome, ``QueueStore/finish(_:fileName:flushes:)``).
    static func exchange(_ staged: String, _ live: String, durable: Bool = true) throws(FileSystemError) {
        if csluice_renameat2(AT_FDCWD, staged, AT_FDCWD, live, UInt32(CSLUICE_RENAME_EXCHANGE)) == 0 {
            FailPoint.hit("after-exchange")
            if durable { AtomicFile.syncFolder((live as NSString).deletingLastPathComponent) }
            return
        }
        guard errno == ENOSYS || errno == EINVAL else {
            throw FileSystemError(operation: "exchange with \(live)", path: staged, errno: errno)
        }
        let aside = staged + asideSuffix
        guard rename(live, aside) == 0 else { throw FileSystemError(operation: "move aside", path: live, errno: errno) }
        guard rename(staged, live) == 0 else {
            let error = FileSystemError(operation: "move into place", path: staged, errno: errno)
            _ = rename(aside, live)
            throw error
        }
        guard rename(aside, staged) == 0 else { throw FileSystemError(operation: "move old tree", path: aside, errno: errno) }
        if durable { AtomicFile.syncFolder((live as NSString).deletingLastPathComponent) }
    }

    /// Moves `source` to `destination`, which must not exist; with `durable` false neither
    /// folder is `fsync`ed (see ``exchange(_:_:durable:)``).
    static func move(_ source: String, to destination: String, durable: Bool = true) throws(FileSystemError) {
        let folder = (destination as NSString).deletingLastPathComponent
        if (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)) == nil {
            throw FileSystemError(operation: "create", path: folder, errno: errno)
        }
        guard try AtomicFile.moveNoReplace(source, to: destination, durable: durable) else {
            throw FileSystemError(operation: "move to \(destination)", path: source, errno: ENOENT)
        }
        if durable { AtomicFile.syncFolder((source as NSString).deletingLastPathComponent) }
    }

    /// Flushes the filesystem holding `path`, so that a staged tree is on disk before it is swapped in.
    static func syncFilesystem(of path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = csluice_syncfs(fd)
        close(fd)
    }
}
