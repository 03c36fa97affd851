import Crypto
import Foundation

/// Content digests of plugin trees: one per file, and one over the whole tree.
///
/// The tree digest is SHA-256 over one line per file, sorted by relative path (bytewise):
/// `<kind> <path length in bytes>:<path> <sha256 of content>\n`, where kind is `f` (regular
/// file), `x` (executable file) or `l` (symbolic link, whose content is its target). The length
/// prefix makes the encoding unambiguous (no two trees share the text), and the kind makes a
/// `chmod +x` a change. Folders are implied by paths; the stamp file itself is left out, so a
/// stamp never changes the digest it records.
public enum TreeDigest {
    /// One file's kind, content digest and size.
    public struct Entry: Sendable, Hashable {
        /// `f`, `x` or `l`.
        public var kind: Character
        /// Hex SHA-256 of the content (of the target for a link).
        public var digest: String
        /// Size in bytes.
        public var size: Int
    }

    /// Every file of `folder` by relative path, the stamp excluded.
    ///
    /// - Throws: ``FileSystemError`` when the tree cannot be read.
    public static func files(of folder: String) throws -> [String: Entry] {
        var result: [String: Entry] = [:]
        try walk(folder, relative: "") { relative, path, isLink in
            if isLink {
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? ""
                let data = Data(target.utf8)
                result[relative] = Entry(kind: "l", digest: hex(SHA256.hash(data: data)), size: data.count)
            } else {
                // The mode comes from the descriptor the content is read through.
                guard let file = WholeFile(path: path) else {
                    throw FileSystemError(operation: "read", path: path, errno: errno)
                }
                let executable = (file.mode & 0o111) != 0
                result[relative] = Entry(kind: executable ? "x" : "f", digest: hex(SHA256.hash(data: file.data)), size: file.data.count)
            }
        }
        return result
    }

    /// `sha256:<hex>` over the whole tree of `folder`.
    public static func digest(of folder: String) throws -> String {
        digest(of: try files(of: folder))
    }

    /// `sha256:<hex>` over already-read file entries.
    public static func digest(of files: [String: Entry]) -> String {
        var hasher = SHA256()
        for path in files.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            guard let entry = files[path] else { continue }
            hasher.update(data: Data("\(entry.kind) \(path.utf8.count):\(path) \(entry.digest)\n".utf8))
        }
        return "sha256:" + hex(hasher.finalize())
    }

    /// Lowercase hex of `digest`'s bytes.
    ///
    /// Written byte by byte rather than with `String(format:)`, which goes through Foundation's
    /// format parser for every byte: `status` takes two digests per live tree, and with
    /// `String(format:)` the hex text cost more than reading and hashing the files.
    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Visits every regular file and link under `folder` without following links.
    static func walk(_ folder: String, relative: String, _ visit: (String, String, Bool) throws -> Void) throws {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw FileSystemError(operation: "list", path: folder, errno: ENOENT)
        }
        for name in names.sorted() {
            let path = folder + "/" + name
            let rel = relative.isEmpty ? name : relative + "/" + name
            if relative.isEmpty, name == Stamp.fileName { continue }
            var info = stat()
            guard lstat(path, &info) == 0 else { throw FileSystemError(operation: "stat", path: path, errno: errno) }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: try walk(path, relative: rel, visit)
            case S_IFLNK: try visit(rel, path, true)
            case S_IFREG: try visit(rel, path, false)
            default: continue
            }
        }
    }
}
