import CSluice
import Foundation

extension ChangeWatcher {
    /// `statfs(2)` `f_type` values of filesystems where another machine (or a FUSE daemon) can
    /// change a file without this kernel generating an inotify event: NFS, SMB/CIFS (both magic
    /// numbers), FUSE, Ceph, AFS, Coda, 9P, GFS2, OCFS2, Lustre, NCP.
    static let remoteFilesystemTypes: Set<UInt64> = [
        0x6969, 0x517B, 0xFF53_4D42, 0xFE53_4D42, 0x6573_5546, 0x00C3_6400, 0x5346_414F, 0x7375_7245,
        0x0102_1997, 0x0116_1970, 0x7461_636F, 0x0BD0_0BD0, 0x564C,
    ]

    /// Whether inotify sees every change of files on the filesystem of `path` (a local
    /// filesystem): false for the network and FUSE filesystems of ``remoteFilesystemTypes``,
    /// and when `statfs` fails.
    package static func isLocalFilesystem(_ path: String) -> Bool {
        var type: UInt64 = 0
        guard csluice_filesystem_type(path, &type) == 0 else { return false }
        return isLocalFilesystem(type: type & 0xFFFF_FFFF)
    }

    /// Whether a filesystem of `statfs` type `type` is local (see ``isLocalFilesystem(_:)``).
    package static func isLocalFilesystem(type: UInt64) -> Bool {
        !remoteFilesystemTypes.contains(type)
    }
}
