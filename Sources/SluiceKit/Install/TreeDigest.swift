import Crypto
import Foundation

/// Content digests of plugin trees: one per file, and one over the whole tree.
///
/// The tree digest is the platform's pin format: SHA-256 over, for every regular file sorted by
/// its relative path (bytewise), `relative-path NUL content`; a symbolic link contributes
/// `relative-path NUL "link:" target`. The stamp file itself is left out, so a stamp never
/// changes the digest it records.
public enum TreeDigest {
    /// A file's kind and content digest.
    public struct Entry: Sendable, Hashable {
        /// `sha256:<hex>` of the content (or of `link:<target>` for a link).
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
                let data = Data(("link:" + target).utf8)
                result[relative] = Entry(digest: hex(SHA256.hash(data: data)), size: data.count)
            } else {
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw FileSystemError(operation: "read", path: path, errno: errno)
                }
                result[relative] = Entry(digest: hex(SHA256.hash(data: data)), size: data.count)
            }
        }
        return result
    }

    /// `sha256:<hex>` over the whole tree of `folder`.
    public static func digest(of folder: String) throws -> String {
        var paths: [(String, String, Bool)] = []
        try walk(folder, relative: "") { relative, path, isLink in paths.append((relative, path, isLink)) }
        paths.sort { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
        var hasher = SHA256()
        for (relative, path, isLink) in paths {
            hasher.update(data: Data(relative.utf8))
            hasher.update(data: Data([0]))
            if isLink {
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? ""
                hasher.update(data: Data(("link:" + target).utf8))
            } else {
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw FileSystemError(operation: "read", path: path, errno: errno)
                }
                hasher.update(data: data)
            }
        }
        return hex(hasher.finalize())
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        "sha256:" + digest.map { String(format: "%02x", $0) }.joined()
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
