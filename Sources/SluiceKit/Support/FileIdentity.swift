import Foundation

/// What `stat(2)` says about a file; equal values mean an unchanged file.
///
/// "Unchanged" means the same device, inode, size, modification time and change time. Every
/// usual way to replace a file (rename into place, write in place) changes at least one of them,
/// and one `stat` costs a fraction of reading the file, which is what makes caches keyed by it
/// worth having.
package struct FileIdentity: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modified: Int64
    var modifiedNanos: Int
    var changed: Int64
    var changedNanos: Int

    /// The identity of `path` (following links), or nil when it does not exist.
    package init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }

    /// The identity of `name` in the open folder `directory` (following links, as
    /// `fstatat(2)` finds it), or nil when it does not exist.
    package init?(name: String, in directory: Int32) {
        var info = stat()
        guard fstatat(directory, name, &info, 0) == 0 else { return nil }
        self.init(info)
    }

    /// The identity in what `stat(2)` or `fstat(2)` filled in.
    package init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec)
        modifiedNanos = Int(info.st_mtim.tv_nsec)
        changed = Int64(info.st_ctim.tv_sec)
        changedNanos = Int(info.st_ctim.tv_nsec)
    }
}
