import Foundation

/// Folder listing and file kinds straight from the C library, without `FileManager`.
///
/// `FileManager` builds URLs and attribute dictionaries; a pass over thousands of workspaces
/// lists folders and checks kinds often enough that `readdir(3)` and `lstat(2)` are what it can
/// afford. Nothing here knows what the files are.
package enum Directory {
    /// A folder entry and whether it is a real folder (not a link), as `readdir(3)` tells.
    package struct Entry: Sendable, Hashable {
        /// The name inside the folder.
        package var name: String
        /// Whether it is a folder; a symbolic link to a folder is not.
        package var isFolder: Bool
    }

    /// The entries of a folder with their kind from `d_type` (one `lstat` where the filesystem
    /// does not fill it in), without `.` and `..`; empty when the folder cannot be read.
    package static func entries(_ folder: String) -> [Entry] {
        var entries: [Entry] = []
        forEachEntry(folder) { name, type in
            let isFolder = type == UInt8(DT_UNKNOWN) ? Self.isFolder(folder + "/" + name) : type == UInt8(DT_DIR)
            entries.append(Entry(name: name, isFolder: isFolder))
        }
        return entries
    }

    /// The names in a folder through `readdir(3)`, without `.` and `..`; empty when the folder
    /// cannot be read.
    package static func names(_ folder: String) -> [String] {
        var names: [String] = []
        forEachEntry(folder) { name, _ in names.append(name) }
        return names
    }

    /// Whether `path` is a folder itself, not a link to one (`lstat`).
    package static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether `path` is a regular file itself, not a link to one (`lstat`).
    package static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Calls `body` with each entry's name and `d_type`, without `.` and `..`.
    private static func forEachEntry(_ folder: String, _ body: (String, UInt8) -> Void) {
        guard let directory = opendir(folder) else { return }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != ".", name != ".." { body(name, entry.pointee.d_type) }
        }
    }
}
