import Foundation
import Logging

/// The `apply.afterApply` command, run after each applied update with the update in its
/// environment. Its failure is recorded in the outcome; the install stays.
struct AfterApplyHook: Sendable {
    /// The root's layout (the command, and the working folder).
    let layout: RootLayout
    /// Where events go.
    let logger: Logger

    /// Runs the command, if one is configured.
    ///
    /// - Returns: a description of its failure, or nil (also when no command is configured).
    func run(_ record: UpdateRecord, verdict: Classifier.Verdict, previous: String?) async -> String? {
        guard let command = layout.config.afterApply else { return nil }
        let environment: [String: String?] = [
            "SLUICE_ROOT": layout.root,
            "SLUICE_WORKSPACE": layout.workspacePath(record.workspace),
            "SLUICE_WORKSPACE_PATH": record.workspace,
            "SLUICE_PLUGIN": record.plugin,
            "SLUICE_UPDATE_ID": record.id,
            "SLUICE_KIND": record.kind.rawValue,
            "SLUICE_FROM_SHA": previous ?? "",
            "SLUICE_TO_SHA": record.to?.sha ?? "",
            "SLUICE_VERDICT": verdict.rawValue,
        ]
        let hook = ProcessRunner(.path("/bin/sh"), ["-c", command], environment: environment, directory: layout.root,
                                 timeout: .seconds(120), gracePeriod: .seconds(2), output: .discard, errorLimit: 64 * 1024)
        let outcome: String?
        do {
            let result = try await hook.run()
            outcome = result.status == .exited(0) ? nil : "after-apply hook failed (\(result.status)): \(Git.trim(result.standardError))"
        } catch {
            switch error {
            case .timedOut: outcome = "after-apply hook timed out after 120 s and was stopped"
            case .cannotRun(let reason): outcome = "after-apply hook could not run: \(reason)"
            }
        }
        if let outcome {
            logger.warning("after-apply hook failed; the install stays", metadata: ["workspace.path": "\(record.workspace)", "plugin.name": "\(record.plugin)", "hook.error": "\(outcome)"])
        }
        return outcome
    }
}
