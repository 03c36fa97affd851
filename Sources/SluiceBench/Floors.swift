import Foundation
import SluiceKit

/// The I/O floors a pass is measured against, taken in the same run: what the pass must read
/// and write, done with no parsing, no planning and the least syncing the guarantees allow.
enum Floors {
    /// Seconds to read every file in `paths` once (open, read, close).
    static func read(_ paths: [String]) -> Double {
        let start = ContinuousClock.now
        var bytes = 0
        for path in paths { bytes += FileManager.default.contents(atPath: path)?.count ?? 0 }
        precondition(bytes > 0 || paths.isEmpty)
        return start.secondsElapsed
    }

    /// Seconds to list `folder` and read every `.yaml` file in it: what reading a queue folder
    /// costs at least.
    static func readQueue(_ folder: String) -> Double {
        let start = ContinuousClock.now
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        var bytes = 0
        for name in names where name.hasSuffix(".yaml") { bytes += FileManager.default.contents(atPath: folder + "/" + name)?.count ?? 0 }
        precondition(bytes > 0 || names.isEmpty)
        return start.secondsElapsed
    }

    /// Seconds to read every file of every tree in `folders` (listing each folder, reading each
    /// file once; the stamp at the top of each tree left out): what `status` must read at least
    /// to compare each live tree with its stamp's digest.
    static func readTrees(_ folders: [String]) -> Double {
        let start = ContinuousClock.now
        var bytes = 0
        func visit(_ folder: String, top: Bool) {
            for entry in Directory.entries(folder) where !(top && entry.name == Stamp.fileName) {
                let path = folder + "/" + entry.name
                if entry.isFolder {
                    visit(path, top: false)
                } else {
                    bytes += FileManager.default.contents(atPath: path)?.count ?? 0
                }
            }
        }
        for folder in folders { visit(folder, top: true) }
        precondition(bytes > 0 || folders.isEmpty)
        return start.secondsElapsed
    }

    /// Seconds to write `count` files of `size` bytes into `folder`, each by a temporary file
    /// renamed into place, and make them durable with one `syncfs` at the end.
    static func write(count: Int, size: Int, into folder: String) throws -> Double {
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let body = [UInt8](repeating: UInt8(ascii: "x"), count: max(1, size - 1)) + [UInt8(ascii: "\n")]
        try settle(folder)
        let start = ContinuousClock.now
        for index in 0..<count {
            let path = folder + "/f\(index).yaml"
            let temporary = folder + "/.f\(index).tmp"
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else { throw BenchError("cannot create \(temporary)") }
            let written = body.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            close(fd)
            guard written == body.count, rename(temporary, path) == 0 else { throw BenchError("cannot write \(path)") }
        }
        try syncFilesystem(of: folder)
        return start.secondsElapsed
    }

    /// Seconds to copy `tree` `count` times under `folder`, with one `syncfs` at the end when
    /// `sync` is set.
    static func copy(_ tree: String, count: Int, into folder: String, sync: Bool) throws -> Double {
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try settle(folder)
        let start = ContinuousClock.now
        for index in 0..<count {
            try FileManager.default.copyItem(atPath: tree, toPath: folder + "/copy-\(index)")
        }
        if sync { try syncFilesystem(of: folder) }
        return start.secondsElapsed
    }

    /// Seconds for what a fan-out of one update to `count` workspaces must do at least, per
    /// workspace: read its old tree (the check that it was not edited), copy the new tree, write
    /// the stamp into the copy and the outcome record beside it (each by a temporary renamed into
    /// place, plain `open`/`write`), and delete the approved file the outcome replaces (an update
    /// is consumed: its file leaves `approved/`, and its outcome, other bytes, is in `applied/`);
    /// then one `syncfs`. `oldTrees` are the live trees, one per workspace, all holding the same
    /// files.
    static func fanOut(_ tree: String, oldTrees: [String], into folder: String, stamp: Data, record: Data) throws -> Double {
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder + "/records", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/approved", withIntermediateDirectories: true)
        for index in oldTrees.indices {
            guard FileManager.default.createFile(atPath: folder + "/approved/r\(index).yaml", contents: record) else { throw BenchError("cannot write an approved file") }
        }
        func write(_ data: Data, _ path: String) throws {
            let temporary = (path as NSString).deletingLastPathComponent + "/.tmp-" + (path as NSString).lastPathComponent
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else { throw BenchError("cannot create \(temporary)") }
            let written = data.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            close(fd)
            guard written == data.count, rename(temporary, path) == 0 else { throw BenchError("cannot write \(path)") }
        }
        // The old trees' files, listed once (they are alike): the floor reads, it does not walk.
        var files: [String] = []
        if let old = oldTrees.first, let walk = FileManager.default.enumerator(atPath: old) {
            for case let file as String in walk {
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: old + "/" + file, isDirectory: &isFolder), !isFolder.boolValue { files.append(file) }
            }
        }
        try settle(folder)
        let start = ContinuousClock.now
        var bytes = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        for (index, old) in oldTrees.enumerated() {
            for file in files {
                let fd = open(old + "/" + file, O_RDONLY)
                guard fd >= 0 else { throw BenchError("cannot read \(old)/\(file)") }
                bytes += buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
                close(fd)
            }
            let copy = folder + "/copy-\(index)"
            try FileManager.default.copyItem(atPath: tree, toPath: copy)
            try write(stamp, copy + "/.sluice-stamp.yaml")
            try write(record, folder + "/records/r\(index).yaml")
            guard unlink(folder + "/approved/r\(index).yaml") == 0 else { throw BenchError("cannot delete an approved file") }
        }
        try syncFilesystem(of: folder)
        precondition(bytes > 0 || oldTrees.isEmpty)
        return start.secondsElapsed
    }

    /// Makes what earlier steps left dirty durable before a clock starts (the delete of a
    /// floor's previous run, a fan-out's set-up), so that a measure pays only for its own writes.
    static func settle(_ path: String) throws {
        try syncFilesystem(of: path)
    }
}
