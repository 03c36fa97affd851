import CSluice
import Foundation

/// Resolves folders below the root without following a symbolic link anywhere below it.
///
/// Every folder Sluice writes into (a workspace's `plugins/` and `.sluice/` folders, the queue
/// folders, the state folder) is checked with this before the write: the root is opened, then
/// the rest of the path is resolved with `openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)`, the
/// approach of systemd's `chase()`. Where the kernel has no `openat2` (Linux before 5.6,
/// `ENOSYS`), each component is opened in turn with `openat(O_NOFOLLOW | O_DIRECTORY)` on the
/// descriptor of the one before. The root itself may be a link: it is the operator's choice.
///
/// A missing tail is not an error for ``check(_:)``: ``makeFolders(_:)`` creates it with
/// `mkdirat` on the descriptor of the last folder that exists, so a created folder is never
/// reached through a link either.
struct ConfinedPath: Sendable {
    /// The root, absolute, without a trailing slash.
    let root: String

    /// Checks that every existing component of `path` below the root is a real folder.
    ///
    /// - Throws: ``ConfinementError`` naming the first component that is a link or not a folder.
    func check(_ path: String) throws(ConfinementError) {
        let parts = try components(of: path)
        guard !parts.isEmpty else { return }
        let rootFD = try openRoot()
        defer { close(rootFD) }
        let fd = csluice_openat2(rootFD, parts.joined(separator: "/"), UInt64(O_RDONLY | O_DIRECTORY | O_CLOEXEC), 0,
                                 UInt64(CSLUICE_RESOLVE_BENEATH | CSLUICE_RESOLVE_NO_SYMLINKS))
        if fd >= 0 {
            close(fd)
            return
        }
        // ENOSYS: no openat2. ELOOP, EXDEV, ENOTDIR, ENOENT: walk the components to name the one
        // at fault (or to find that only a tail is missing).
        if let opened = try walk(rootFD, parts, create: false) { close(opened) }
    }

    /// Opens the folder at `path`, which must exist, reached from the root without following a link.
    ///
    /// Writes made relative to the descriptor (`openat`, `renameat`) land in the checked folder
    /// even if a link is swapped in for it afterwards.
    /// - Returns: a descriptor of the folder (`O_RDONLY | O_DIRECTORY`); the caller closes it.
    /// - Throws: ``ConfinementError`` naming the first component that is a link, not a folder, or missing.
    func openFolder(_ path: String) throws(ConfinementError) -> Int32 {
        let parts = try components(of: path)
        let rootFD = try openRoot()
        guard !parts.isEmpty else { return rootFD }
        defer { close(rootFD) }
        let fd = csluice_openat2(rootFD, parts.joined(separator: "/"), UInt64(O_RDONLY | O_DIRECTORY | O_CLOEXEC), 0,
                                 UInt64(CSLUICE_RESOLVE_BENEATH | CSLUICE_RESOLVE_NO_SYMLINKS))
        if fd >= 0 { return fd }
        guard let opened = try walk(rootFD, parts, create: false) else {
            throw ConfinementError(path: path, kind: .system(ENOENT))
        }
        return opened
    }

    /// Creates the missing folders of `path`, each with `mkdirat` on its parent's descriptor.
    ///
    /// - Throws: ``ConfinementError`` when a component is a link or not a folder, or cannot be created.
    func makeFolders(_ path: String) throws(ConfinementError) {
        let parts = try components(of: path)
        guard !parts.isEmpty else { return }
        let rootFD = try openRoot()
        defer { close(rootFD) }
        if let opened = try walk(rootFD, parts, create: true) { close(opened) }
    }

    private func openRoot() throws(ConfinementError) -> Int32 {
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw ConfinementError(path: root, kind: .system(errno)) }
        return fd
    }

    /// The components of `path` below the root; `.`, `..` and empty parts are refused.
    private func components(of path: String) throws(ConfinementError) -> [String] {
        guard path == root || path.hasPrefix(root + "/") else { throw ConfinementError(path: path, kind: .outsideRoot(root)) }
        let parts = path.dropFirst(root.count).split(separator: "/").map(String.init)
        if parts.contains(where: { $0 == "." || $0 == ".." }) { throw ConfinementError(path: path, kind: .outsideRoot(root)) }
        return parts
    }

    /// Opens each component in turn; returns a descriptor of the last one (the caller closes
    /// it), or nil when a component is missing and `create` is false.
    private func walk(_ rootFD: Int32, _ parts: [String], create: Bool) throws(ConfinementError) -> Int32? {
        var fd = dup(rootFD)
        guard fd >= 0 else { throw ConfinementError(path: root, kind: .system(errno)) }
        defer { if fd >= 0 { close(fd) } }
        var current = root
        for part in parts {
            current += "/" + part
            var next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if next < 0, errno == ENOENT {
                guard create else { return nil }
                if mkdirat(fd, part, 0o755) != 0, errno != EEXIST { throw ConfinementError(path: current, kind: .system(errno)) }
                next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            if next < 0 {
                let code = errno
                var info = stat()
                if fstatat(fd, part, &info, AT_SYMLINK_NOFOLLOW) == 0 {
                    if (info.st_mode & S_IFMT) == S_IFLNK { throw ConfinementError(path: current, kind: .symbolicLink) }
                    if (info.st_mode & S_IFMT) != S_IFDIR { throw ConfinementError(path: current, kind: .notFolder) }
                }
                throw ConfinementError(path: current, kind: code == ELOOP ? .symbolicLink : .system(code))
            }
            close(fd)
            fd = next
        }
        let last = fd
        fd = -1
        return last
    }
}

/// A path Sluice would write through that is not a real folder below the root.
struct ConfinementError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the path.
    enum Kind: Sendable, Hashable {
        /// The component is a symbolic link.
        case symbolicLink
        /// The component exists and is not a folder.
        case notFolder
        /// The path is not below this root.
        case outsideRoot(String)
        /// The component cannot be opened or created (`errno`).
        case system(Int32)
    }

    /// The first component at fault, absolute.
    var path: String
    /// What is wrong with it.
    var kind: Kind

    var description: String {
        switch kind {
        case .symbolicLink:
            return "\(path) is a symbolic link; Sluice does not write through links. Replace it with a real folder"
        case .notFolder:
            return "\(path) is not a folder; Sluice writes only into real folders below the root. Replace it with a folder"
        case .outsideRoot(let root):
            return "\(path) is not a plain path below the root \(root); Sluice writes only below the root"
        case .system(let code):
            return "cannot open \(path) as a folder: \(String(cString: strerror(code)))"
        }
    }
}
