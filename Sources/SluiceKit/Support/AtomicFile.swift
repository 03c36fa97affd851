import CSluice
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Crash-safe file writes: temporary file in the same folder, fsync, rename, fsync of the folder.
///
/// A reader sees either the old file or the new one, never a partial write, because
/// `rename(2)` within one filesystem is atomic. Temporary files start with `.tmp-` so
/// that every scanner in Sluice skips them, and name their writer (``TemporaryName``); a crash
/// can leave one behind and ``AtomicFile/sweepTemporaries(in:olderThan:named:)`` clears them.
public enum AtomicFile {
    /// The prefix of temporary files; scanners skip names starting with it.
    public static let temporaryPrefix = TemporaryName.prefix

    /// Writes `data` to `path` atomically and durably.
    ///
    /// - Parameters:
    ///   - data: The complete new content.
    ///   - path: The destination; its folder must exist.
    ///   - mode: Permission bits for the new file.
    /// - Throws: ``FileSystemError`` naming the path and the system's reason.
    public static func write(_ data: Data, to path: String, mode: mode_t = 0o644) throws(FileSystemError) {
        try write(data, to: path, mode: mode, durable: true)
    }

    /// Writes `data` to `path` atomically; durably only when `durable` is true.
    ///
    /// With `durable` false the temporary is neither `fsync`ed nor its folder after the rename:
    /// readers still see the old file or the new one, and the caller makes the file durable
    /// later with one `syncfs(2)` for many files (``FlushGroup``).
    ///
    /// - Throws: ``FileSystemError`` naming the path and the system's reason.
    static func write(_ data: Data, to path: String, mode: mode_t = 0o644, durable: Bool) throws(FileSystemError) {
        let temporary = try writeTemporary(data, for: path, mode: mode, durable: durable)
        try moveIntoPlace(temporary, path)
        if durable { syncFolder(folder(of: path)) }
    }

    /// Writes `data` as a new temporary file beside `path` (``TemporaryName``) and returns its
    /// path; `fsync`ed only when `durable` is true. Nothing is visible under `path` yet.
    ///
    /// - Throws: ``FileSystemError``; the temporary is removed.
    static func writeTemporary(_ data: Data, for path: String, mode: mode_t = 0o644, durable: Bool) throws(FileSystemError) -> String {
        let temporary = folder(of: path) + "/" + TemporaryName.make(for: (path as NSString).lastPathComponent)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw FileSystemError(operation: "create", path: temporary, errno: errno) }
        var failure: FileSystemError?
        let code = writeAll(data, to: fd)
        if code != 0 {
            failure = FileSystemError(operation: "write", path: temporary, errno: code)
        } else if durable, fsync(fd) != 0 {
            failure = FileSystemError(operation: "fsync", path: temporary, errno: errno)
        }
        close(fd)
        if let failure {
            unlink(temporary)
            throw failure
        }
        return temporary
    }

    /// Renames a temporary of ``writeTemporary(_:for:mode:durable:)`` over `path` (atomic for
    /// readers: the old file or the new one); the folder is not synced.
    ///
    /// - Throws: ``FileSystemError``; the temporary is removed.
    static func moveIntoPlace(_ temporary: String, _ path: String) throws(FileSystemError) {
        guard rename(temporary, path) == 0 else {
            let error = FileSystemError(operation: "rename into place", path: path, errno: errno)
            unlink(temporary)
            throw error
        }
    }

    /// The folder of `path` (`.` for a bare name).
    private static func folder(of path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    /// Writes all of `data` to `fd`, retrying short writes and `EINTR`.
    ///
    /// - Returns: 0, or the `errno` of the failed write.
    static func writeAll(_ data: Data, to fd: Int32) -> Int32 {
        data.withUnsafeBytes { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return 0 }
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(fd, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return 0
        }
    }

    /// Flushes a folder's entries to disk so that a rename survives a power cut.
    public static func syncFolder(_ folder: String) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// Renames `source` to `destination` without replacing an existing destination.
    ///
    /// Uses `renameat2(RENAME_NOREPLACE)` on Linux so that two processes moving
    /// files into one folder never overwrite each other's file.
    /// - Returns: `false` when `source` no longer exists (someone else moved it first).
    /// - Throws: ``FileSystemError`` for any other failure, including an existing destination.
    /// - Parameter durable: Whether the destination's folder is `fsync`ed after the rename; a
    ///   caller passing false makes the rename durable with a later flush (``FlushGroup``).
    @discardableResult
    public static func moveNoReplace(_ source: String, to destination: String, durable: Bool = true) throws(FileSystemError) -> Bool {
        var result = csluice_renameat2(AT_FDCWD, source, AT_FDCWD, destination, UInt32(CSLUICE_RENAME_NOREPLACE))
        if result != 0, errno == ENOSYS || errno == EINVAL {
            var info = stat()
            if lstat(source, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
                // Folders cannot be hard-linked; without RENAME_NOREPLACE check, then rename.
                if access(destination, F_OK) == 0 {
                    errno = EEXIST
                    result = -1
                } else {
                    result = rename(source, destination)
                }
            } else {
                // Filesystems without RENAME_NOREPLACE: link(2) also fails on an existing name.
                result = link(source, destination)
                if result == 0 { unlink(source) }
            }
        }
        if result == 0 {
            if durable { syncFolder((destination as NSString).deletingLastPathComponent) }
            return true
        }
        if errno == ENOENT, access(source, F_OK) != 0 { return false }
        throw FileSystemError(operation: "move to \(destination)", path: source, errno: errno)
    }

    /// Removes temporary files (and folders) left by a crash in `folder`.
    ///
    /// A temporary goes at once when its writer is provably gone (``TemporaryName/writerIsGone(_:)``:
    /// a process of this host that no longer runs), otherwise when it is older than `age`, so that
    /// a writer still running elsewhere keeps its temporary.
    /// - Parameters:
    ///   - folder: The folder to sweep (not its subfolders).
    ///   - age: How old a temporary of an unknown or possibly live writer must be to go.
    ///   - named: Only temporaries of this file name (`.tmp-<named>.…`), or all when nil; for
    ///     folders that hold operator files too, such as a workspace.
    public static func sweepTemporaries(in folder: String, olderThan age: TimeInterval = 3600, named: String? = nil) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        sweepTemporaries(names, in: folder, olderThan: age, named: named)
    }

    /// Removes the temporaries among `names`, a listing of `folder` the caller made anyway (so
    /// that a folder of 30,000 records is not listed twice), as ``sweepTemporaries(in:olderThan:named:)`` does.
    static func sweepTemporaries(_ names: [String], in folder: String, olderThan age: TimeInterval = 3600, named: String? = nil) {
        let cutoff = Date().addingTimeInterval(-age)
        let wanted = temporaryPrefix + (named.map { $0 + "." } ?? "")
        for name in names where name.hasPrefix(wanted) {
            let path = folder + "/" + name
            if TemporaryName.writerIsGone(name) {
                try? FileManager.default.removeItem(atPath: path)
                continue
            }
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            if let modified = attributes?[.modificationDate] as? Date, modified < cutoff {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
    }
}

/// A file-system call that failed, with the path and the system's reason.
public struct FileSystemError: Error, Sendable, CustomStringConvertible {
    /// What was being done ("create", "rename into place", ...).
    public var operation: String
    /// The path concerned.
    public var path: String
    /// The `errno` value.
    public var code: Int32

    /// Creates the error from an `errno` value.
    public init(operation: String, path: String, errno code: Int32) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    /// `cannot <operation> <path>: <strerror>`.
    public var description: String {
        "cannot \(operation) \(path): \(String(cString: strerror(code)))"
    }
}

private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, buffer, count)
    #else
    return Darwin.write(fd, buffer, count)
    #endif
}
