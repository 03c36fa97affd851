import CSluice
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Many small files of one folder written atomically and durably at the cost of one flush.
///
/// ``AtomicFile/write(_:to:mode:)`` pays two journal commits per file (`fsync` of the file, then
/// of its folder). A batch writes every file as a temporary (`.tmp-<name>.<random>`, the
/// ``AtomicFile`` convention, so scanners skip it and the sweep removes a leftover), then makes
/// all of them durable with one `syncfs(2)`, then renames each over its final name, then
/// `fsync`s the folder once. A reader still sees the old file or the new one, never a part:
/// each rename is atomic, and no rename happens before the data it exposes is on disk.
///
/// Every call is relative to one descriptor of the folder, opened (without following a link,
/// ``ConfinedPath``) before the first temporary is written: the writes cannot be diverted by a
/// link swapped in later, and `syncfs` on that descriptor reports any write-back error of the
/// filesystem since it was opened (Linux 5.8 and later).
///
/// The steps, each a test failpoint (``FailPoint``): `batch-written` (the temporaries are
/// complete in the page cache, not durable), `batch-synced` (they are durable, none renamed),
/// `batch-renaming` (after the first rename), `batch-renamed` (all renamed, the folder not yet
/// synced). See spec/lifecycle.md, "Durable batches".
final class DurableBatch {
    /// The number of files after which a caller should commit: it bounds how long a written
    /// file stays invisible and how much the batch holds (two names per file; no descriptor is
    /// kept open per file).
    static let defaultLimit = 1024

    /// The folder, absolute.
    let folder: String
    /// The most files one batch holds before ``isFull``.
    let limit: Int
    private let descriptor: Int32
    private var staged: [(temporary: String, name: String)] = []

    /// Opens `folder` for a batch of writes.
    ///
    /// - Parameters:
    ///   - folder: The destination folder, absolute; it must exist.
    ///   - root: The root it lies below; the folder is opened without following a link below it.
    ///   - limit: See ``limit``.
    /// - Throws: ``ConfinementError`` when the folder is missing, is a link or is reached through one.
    init(folder: String, root: String, limit: Int = defaultLimit) throws(ConfinementError) {
        self.folder = folder
        self.limit = max(1, limit)
        descriptor = try ConfinedPath(root: root).openFolder(folder)
    }

    deinit {
        for entry in staged { unlinkat(descriptor, entry.temporary, 0) }
        close(descriptor)
    }

    /// How many files are written and not yet committed.
    var count: Int { staged.count }

    /// Whether the batch holds ``limit`` files and should be committed.
    var isFull: Bool { staged.count >= limit }

    /// Writes `data` as a temporary file for `name`; nothing is visible under `name` until ``commit()``.
    ///
    /// - Returns: the file's index in this batch, which ``commit()``'s results follow.
    /// - Throws: ``FileSystemError`` when the temporary cannot be created or written (it is removed).
    @discardableResult
    func add(_ data: Data, as name: String, mode: mode_t = 0o644) throws(FileSystemError) -> Int {
        let temporary = TemporaryName.make(for: name)
        let fd = openat(descriptor, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw FileSystemError(operation: "create", path: folder + "/" + temporary, errno: errno) }
        let code = AtomicFile.writeAll(data, to: fd)
        close(fd)
        if code != 0 {
            unlinkat(descriptor, temporary, 0)
            throw FileSystemError(operation: "write", path: folder + "/" + temporary, errno: code)
        }
        staged.append((temporary, name))
        return staged.count - 1
    }

    /// Makes every written file durable with one `syncfs`, renames each into place, then
    /// `fsync`s the folder once; the batch is empty afterwards.
    ///
    /// - Returns: one result per file, in the order they were added. When the flush fails no
    ///   file is renamed and each fails with its error; a failed rename fails that file only.
    ///   Every temporary that was not renamed is removed.
    func commit() -> [Result<Void, FileSystemError>] {
        guard !staged.isEmpty else { return [] }
        let entries = staged
        staged = []
        FailPoint.hit("batch-written")
        if csluice_syncfs(descriptor) != 0 {
            let error = FileSystemError(operation: "sync the filesystem of", path: folder, errno: errno)
            for entry in entries { unlinkat(descriptor, entry.temporary, 0) }
            return entries.map { _ in .failure(error) }
        }
        FailPoint.hit("batch-synced")
        var results: [Result<Void, FileSystemError>] = []
        results.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            if renameat(descriptor, entry.temporary, descriptor, entry.name) == 0 {
                results.append(.success(()))
            } else {
                results.append(.failure(FileSystemError(operation: "rename into place", path: folder + "/" + entry.name, errno: errno)))
                unlinkat(descriptor, entry.temporary, 0)
            }
            if index == 0 { FailPoint.hit("batch-renaming") }
        }
        FailPoint.hit("batch-renamed")
        fsync(descriptor)
        return results
    }
}
