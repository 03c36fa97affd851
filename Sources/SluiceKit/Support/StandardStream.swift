import Foundation
import Synchronization

/// Writes to standard output and standard error without ever trapping.
///
/// `FileHandle.write(_:)` traps when the write fails (a full disk, a closed pipe, `EIO`), which
/// killed `sluice apply` mid-update at its first log line. Here a write that fails is counted
/// and dropped, and the caller decides what that means: a log line is lost, the work goes on.
public enum StandardStream {
    /// Standard output or standard error.
    public enum Stream: Sendable {
        case output, error

        var descriptor: Int32 { self == .output ? STDOUT_FILENO : STDERR_FILENO }
    }

    private static let failures = Mutex<[Stream: Int]>([:])

    /// Writes all of `text`, retrying short writes and interruptions.
    ///
    /// - Returns: whether every byte was written; a failed write is counted, never thrown.
    @discardableResult
    public static func write(_ text: String, to stream: Stream) -> Bool {
        // A native string's own bytes are written, without a copy (a listing can be megabytes).
        var text = text
        let written = text.withUTF8 { buffer -> Bool in
            guard let base = buffer.baseAddress else { return true }
            var offset = 0
            while offset < buffer.count {
                let count = Foundation.write(stream.descriptor, base + offset, buffer.count - offset)
                if count > 0 {
                    offset += count
                } else if count < 0, errno == EINTR || errno == EAGAIN {
                    continue
                } else {
                    return false
                }
            }
            return true
        }
        if !written { failures.withLock { $0[stream, default: 0] += 1 } }
        return written
    }

    /// How many writes to `stream` failed in this process.
    public static func failedWrites(_ stream: Stream) -> Int {
        failures.withLock { $0[stream] ?? 0 }
    }
}
