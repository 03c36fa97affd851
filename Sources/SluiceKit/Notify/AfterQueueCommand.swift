import Foundation
import Logging

/// The `notify.afterQueue` command: run with `/bin/sh -c` after a pass that changed the queue,
/// the ``NotificationPayload`` as JSON on its standard input and the counts in its environment.
///
/// Its failure or timeout is logged; the pass and its exit status stay as they are.
struct AfterQueueCommand: Sendable {
    /// The command line.
    let command: String
    /// How long it may run before its process group is stopped.
    let timeout: Duration
    /// The root (the working folder, and `SLUICE_ROOT`).
    let root: String
    /// Where events go.
    let logger: Logger

    /// The variables the command gets besides the inherited environment.
    static func environment(_ payload: NotificationPayload) -> [String: String?] {
        [
            "SLUICE_ROOT": payload.root,
            "SLUICE_EVENT": payload.event.rawValue,
            "SLUICE_TEXT": payload.text,
            "SLUICE_QUEUED": "\(payload.counts["queued", default: 0])",
            "SLUICE_REPLACED": "\(payload.counts["replaced", default: 0])",
            "SLUICE_WITHDRAWN": "\(payload.counts["withdrawn", default: 0])",
        ]
    }

    /// Runs the command to its end or its timeout. The command line is not logged: it may
    /// hold a token.
    ///
    /// - Returns: Why it failed, or nil when it exited 0.
    @discardableResult
    func run(_ payload: NotificationPayload) async -> String? {
        let failure: String?
        do {
            let input = Array(try payload.json()) + [UInt8(ascii: "\n")]
            let runner = ProcessRunner(.path("/bin/sh"), ["-c", command], environment: Self.environment(payload), directory: root,
                                       timeout: timeout, gracePeriod: .seconds(2), output: .discard, errorLimit: 64 * 1024, input: input)
            let result = try await runner.run()
            failure = result.status == .exited(0) ? nil : "exited with \(result.status): \(Git.trim(result.standardError))"
        } catch let error as ProcessRunner.Failure {
            failure = "\(error)"
        } catch {
            failure = "cannot encode the payload: \(error)"
        }
        if let failure {
            logger.warning("after-queue command failed; the pass is not affected", metadata: ["notify.event": "\(payload.event.rawValue)", "notify.error": "\(failure)"])
        } else {
            logger.info("after-queue command done", metadata: ["notify.event": "\(payload.event.rawValue)"])
        }
        return failure
    }
}
