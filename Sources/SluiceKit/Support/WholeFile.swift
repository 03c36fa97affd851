import CSluice
import Foundation

/// A file read whole through one descriptor, with the identity of what was read.
///
/// `FileManager.contents(atPath:)` opens, `fstat`s and reads as well, but the identity it
/// takes is lost; a cache that keys content by ``FileIdentity`` would `stat` the path again,
/// one more path walk per file. Here the identity comes from the `fstat` of the open
/// descriptor, taken before the read, so it is the identity of the very file read: a file
/// changed during or after the read has another identity when it is next looked at.
package struct WholeFile: Sendable {
    /// The content.
    package var data: Data
    /// The identity of the file, taken before its content was read.
    package var identity: FileIdentity
    /// Its mode bits (`st_mode`) from the same `fstat`.
    package var mode: mode_t
    /// The value of the extended attribute asked for, read from the same descriptor; nil when
    /// none was asked for, or the file has none (or it is not UTF-8).
    package var attribute: String?

    /// Reads `path` (following links), and the extended attribute named `attribute` when one
    /// is given; nil when it cannot be opened or read, with `errno` set.
    package init?(path: String, attribute: String? = nil) {
        self.init(name: path, in: AT_FDCWD, attribute: attribute)
    }

    /// Reads `name` in the open folder `directory` (following links), as `openat(2)` finds it:
    /// one lookup in the folder instead of a walk of the whole path. An absolute `name`, or
    /// `AT_FDCWD` for `directory`, reads as ``init(path:)`` does. Nil when it cannot be opened
    /// or read, with `errno` set.
    package init?(name: String, in directory: Int32, attribute: String? = nil) {
        let fd = openat(directory, name, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR else { return nil }
        identity = FileIdentity(info)
        mode = info.st_mode
        self.attribute = attribute.flatMap { Self.attribute($0, of: fd) }
        // One byte more than the size, so that a file that grew is seen to need another read.
        var capacity = max(Int(info.st_size), 0) + 1
        var buffer = Data(count: capacity)
        var filled = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { bytes -> Int in
                guard let base = bytes.baseAddress else { return -1 }
                return read(fd, base + filled, capacity - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { break }
            filled += count
            // A regular file that gave exactly the size its `fstat` reported (the buffer holds one
            // byte more, so the read asked for more) is read to its end: a short read of a regular
            // file stops only there. The read that would return 0 is spared (one system call per
            // file: 30,000 in a pass over a 30,000-file queue). Anything else is read on until a
            // read returns 0, as before.
            if filled == Int(info.st_size), (info.st_mode & S_IFMT) == S_IFREG { break }
            if filled == capacity {
                capacity *= 2
                buffer.count = capacity
            }
        }
        buffer.count = filled
        data = buffer
    }

    /// The value of the extended attribute `name` of the open file `fd` (at most 255 bytes),
    /// or nil when it has none, it is longer, or it is not UTF-8.
    private static func attribute(_ name: String, of fd: Int32) -> String? {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { csluice_fgetxattr(fd, name, $0.baseAddress, UInt($0.count)) }
        guard count >= 0, count < buffer.count else { return nil }
        return String(validating: buffer[..<count], as: UTF8.self)
    }
}
