import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Names of temporary files and folders, which say who wrote them.
///
/// `.tmp-<name>.<pid>-<host>.<random>`: `<host>` is 8 hex digits of a hash of the host name and
/// (on Linux) the process's pid namespace, so that a process id is only ever interpreted on the
/// host and in the namespace where it was taken. A sweep removes a temporary at once when its
/// writer is provably gone (same host tag, and no process has that id), and otherwise only after
/// an hour, so that a writer that may still be running (on another host over shared storage, in
/// another container, or one whose process id was reused) never loses its temporary mid-write.
public enum TemporaryName {
    /// The prefix of temporary names; every scanner in Sluice skips names starting with it.
    public static let prefix = ".tmp-"

    /// A fresh temporary name for `name`, tagged with this process.
    public static func make(for name: String) -> String {
        prefix + name + "." + ownerTag + "." + String(UInt64.random(in: 0...UInt64.max), radix: 36)
    }

    /// Whether the writer of the temporary `name` is provably gone: the name carries this host's
    /// tag and a process id that is not this process and names no running process.
    ///
    /// A name without a tag (written by an older Sluice), with another host's tag, or whose
    /// process id is in use (maybe reused) is not proof; such temporaries wait for the age rule.
    public static func writerIsGone(_ name: String) -> Bool {
        guard let pid = localWriter(of: name), pid != getpid() else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    /// The process id in `name`'s owner tag when the tag is this host's.
    ///
    /// The tag is the last dot-separated part of the form `<digits>-<this host's tag>`, so that
    /// names derived from a temporary (git's private index `<temporary>.index` beside an export)
    /// are recognised too.
    static func localWriter(of name: String) -> pid_t? {
        guard name.hasPrefix(prefix) else { return nil }
        for part in name.dropFirst(prefix.count).split(separator: ".").reversed() {
            let owner = part.split(separator: "-")
            if owner.count == 2, owner[1] == hostTag, let pid = pid_t(owner[0]), pid > 0 { return pid }
        }
        return nil
    }

    /// `<pid>-<host>` of this process.
    static let ownerTag = "\(getpid())-\(hostTag)"

    /// 8 hex digits naming this host and pid namespace.
    static let hostTag: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        var identity = gethostname(&buffer, buffer.count) == 0 ? String(cString: buffer) : "unknown-host"
        if let namespace = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/pid") {
            identity += "\n" + namespace
        }
        return SHA256.hash(data: Data(identity.utf8)).prefix(4).map { String(format: "%02x", $0) }.joined()
    }()
}
