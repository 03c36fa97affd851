/// The path of each inotify watch descriptor, kept as UTF-8 bytes in one buffer.
///
/// `serve` on a large root holds one watch per workspace folder, `plugins/` folder and plugin
/// folder (about 120,000 for 10,000 workspaces of 10 plugins). A `[Int32: String]` costs a heap
/// allocation per path besides the table; here a path is 8 bytes of table value plus its bytes
/// in one shared buffer. A path removed or replaced leaves its bytes behind until they are more
/// than half the buffer, when the buffer is rebuilt from the live paths.
struct WatchedPaths {
    /// Where one path's bytes are in `bytes`.
    private struct Slice {
        var start: UInt32
        var count: UInt32
    }

    private var slices: [Int32: Slice] = [:]
    private var bytes: [UInt8] = []
    /// Bytes of `bytes` that belong to a live path.
    private var live = 0

    /// Bytes in the buffer, live or not (tests).
    var storedBytes: Int { bytes.count }

    /// How many descriptors have a path.
    var count: Int { slices.count }

    /// Whether `wd` has a path.
    func contains(_ wd: Int32) -> Bool { slices[wd] != nil }

    /// The path of `wd`, if it has one.
    subscript(_ wd: Int32) -> String? {
        guard let slice = slices[wd] else { return nil }
        return bytes.withUnsafeBufferPointer { buffer in
            String(decoding: buffer[Int(slice.start)..<Int(slice.start + slice.count)], as: UTF8.self)
        }
    }

    /// Gives `wd` the path `path` (kept as it is when `wd` already has that path).
    mutating func set(_ wd: Int32, _ path: String) {
        var path = path
        if let old = slices[wd] {
            let same = path.withUTF8 { utf8 in
                utf8.count == Int(old.count) && bytes.withUnsafeBufferPointer { buffer in
                    buffer[Int(old.start)..<Int(old.start + old.count)].elementsEqual(utf8)
                }
            }
            if same { return }
            remove(wd)
        }
        if bytes.count > 1 << 20, bytes.count - live > live { compact() }
        let start = bytes.count
        path.withUTF8 { bytes.append(contentsOf: $0) }
        slices[wd] = Slice(start: UInt32(start), count: UInt32(bytes.count - start))
        live += bytes.count - start
    }

    /// Forgets the path of `wd`.
    mutating func remove(_ wd: Int32) {
        guard let old = slices.removeValue(forKey: wd) else { return }
        live -= Int(old.count)
    }

    /// Rebuilds `bytes` from the live paths only.
    private mutating func compact() {
        var fresh: [UInt8] = []
        fresh.reserveCapacity(live)
        var moved: [Int32: Slice] = [:]
        moved.reserveCapacity(slices.count)
        for (wd, slice) in slices {
            let start = fresh.count
            fresh.append(contentsOf: bytes[Int(slice.start)..<Int(slice.start + slice.count)])
            moved[wd] = Slice(start: UInt32(start), count: slice.count)
        }
        bytes = fresh
        slices = moved
    }
}
