import Foundation
import Testing
@testable import SluiceKit

/// Temporaries as a killed writer leaves them (spec/layout.md, "Temporary files"), for the sweep tests.
package enum KilledWriter {
    /// A process id that no process has: Linux hands out ids below `pid_max` only.
    package static func deadProcess() throws -> pid_t {
        let text = try readFile("/proc/sys/kernel/pid_max").trimmingCharacters(in: .whitespacesAndNewlines)
        let pid = try #require(pid_t(text))
        #expect(kill(pid, 0) != 0 && errno == ESRCH)
        return pid
    }

    /// A temporary name as `pid` on this host would write it.
    package static func temporary(_ name: String, writer pid: pid_t, host: String = TemporaryName.hostTag) -> String {
        ".tmp-\(name).\(pid)-\(host).k3x9a"
    }
}
