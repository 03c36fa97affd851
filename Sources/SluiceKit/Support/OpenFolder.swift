import Foundation

/// A folder held open by a descriptor, so that its files are opened with `openat(2)`: one
/// lookup in the folder instead of a walk of the whole path per file.
///
/// Reading 30,000 queue files by absolute path makes the kernel walk every component of the
/// path 30,000 times. Opening relative to the folder's descriptor does the same lookup of the
/// last component only, and follows links exactly as `open(2)` of the whole path would. When
/// the folder cannot be opened, names are given as whole paths from the current directory
/// (`AT_FDCWD`), which is what reading by path did before.
package struct OpenFolder: Sendable {
    /// The descriptor to pass to `openat(2)` and `fstatat(2)`, or `AT_FDCWD`.
    package let descriptor: Int32
    /// The folder's path; nil for ``none``, whose names are whole paths already.
    private let path: String?
    /// Whether ``descriptor`` is this value's own, to be closed by ``close()``.
    private let owned: Bool

    /// Opens `path` (following links); when it cannot be opened, names are read as paths below it.
    package init(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        self.descriptor = fd >= 0 ? fd : AT_FDCWD
        self.path = path
        self.owned = fd >= 0
    }

    private init(none: Void) {
        descriptor = AT_FDCWD
        path = nil
        owned = false
    }

    /// No folder: every name is a path, as `open(2)` takes it.
    package static let none = OpenFolder(none: ())

    /// What to pass with ``descriptor`` to reach the file `name` in the folder.
    package func target(_ name: String) -> String {
        owned ? name : path(of: name)
    }

    /// The path of the file `name` in the folder, for messages.
    package func path(of name: String) -> String {
        path.map { $0 + "/" + name } ?? name
    }

    /// Closes the descriptor, if it was opened.
    package func close() {
        if owned { _ = Foundation.close(descriptor) }
    }
}
