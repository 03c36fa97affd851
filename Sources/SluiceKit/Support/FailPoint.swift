import Foundation

/// Test-only crash injection: `SLUICE_FAILPOINT=<name>` kills the process with SIGKILL there.
///
/// Crash recovery can only be shown by crashing at the exact step that matters (after staging,
/// right after the swap); a SIGKILL gives the process no chance to clean up, as a power cut
/// would not. Unset in production, where each check is one `getenv` (not a copy of the whole
/// environment, which `ProcessInfo.environment` makes: 4% of a fan-out's CPU time).
enum FailPoint {
    static func hit(_ name: String) {
        guard let value = getenv("SLUICE_FAILPOINT"), String(cString: value) == name else { return }
        kill(getpid(), SIGKILL)
    }
}
