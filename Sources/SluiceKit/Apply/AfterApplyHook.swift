import Foundation
import Logging
import Subprocess

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
        let environment: [Environment.Key: String?] = [
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
        var options = PlatformOptions()
        options.createSession = true
        options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: .seconds(2))]
        let configuration = Configuration(executable: .path("/bin/sh"), arguments: ["-c", command],
                                          environment: .inherit.updating(environment), workingDirectory: .init(layout.root), platformOptions: options)
        let outcome: String? = await withTaskGroup(of: String??.self) { group in
            group.addTask {
                do {
                    let result = try await Subprocess.run(configuration, output: .discarded, error: .string(limit: 64 * 1024))
                    if case .exited(0) = result.terminationStatus { return .some(nil) }
                    return .some("after-apply hook failed (\(result.terminationStatus)): \(Git.trim(result.standardError))")
                } catch {
                    return .some("after-apply hook could not run: \(error)")
                }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(120))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? "after-apply hook timed out after 120 s and was stopped"
        }
        if let outcome {
            logger.warning("after-apply hook failed; the install stays", metadata: ["workspace.path": "\(record.workspace)", "plugin.name": "\(record.plugin)", "hook.error": "\(outcome)"])
        }
        return outcome
    }
}
