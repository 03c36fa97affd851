import CSluice
import Foundation

/// A claim's attempt token kept as an extended attribute of the claim file
/// (`user.sluice.attempt`), so that tagging a claim neither writes a new file nor frees the old one.
///
/// Rewriting the claim (a temporary renamed over it) allocated one inode and freed another per
/// update. On a filesystem mounted with `discard`, each freed file waits for the device to
/// discard its blocks: in a fan-out to 1,000 workspaces, the 2,000 frees (this rewrite and the
/// claim's delete) were most of the time the update threads spent blocked (`perf` sched
/// stacks). The attribute is inode metadata: set in place, atomically, made durable by the same
/// flush as the rewrite was. Where it cannot be set (a filesystem without user attributes,
/// `ENOTSUP`, or any other error), the caller rewrites the claim as before; the new file has no
/// attribute, so the two ways never disagree (spec/lifecycle.md, "3. Lock").
enum ClaimAttempt {
    /// The attribute's name.
    static let attribute = "user.sluice.attempt"

    /// Sets the attempt on the file at `path`, not following a link; with `durable`, `fsync`s it.
    ///
    /// Only a regular file with one link is tagged in place: an attribute belongs to the inode,
    /// and a claim hard-linked from elsewhere (`ln` instead of `mv`) would carry its attempt into
    /// the other name. Such a claim is rewritten, which gives it an inode of its own.
    ///
    /// - Returns: whether it is set (and synced when asked); false leaves the file as it was or
    ///   with an attribute that the caller's rewrite then replaces with a new file.
    static func set(_ attempt: String, on path: String, durable: Bool) -> Bool {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_nlink == 1 else { return false }
        let set = attempt.withCString { csluice_fsetxattr(fd, attribute, $0, UInt(strlen($0))) } == 0
        FailPoint.hit("attempt-attribute-set")
        return set && (!durable || fsync(fd) == 0)
    }
}
