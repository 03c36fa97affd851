import Foundation
import Logging
import Testing
@testable import SluiceKit

/// A root kept in git for tests: a bare "origin", an operator's clone, and the service's working
/// copy (at `<dir>/service/root`, so that `RootFixture(in: dir + "/service")` names it), with an
/// upstream plugin released at v1.0.0.
package struct GitRoot: Sendable {
    package let origin: String
    package let operatorClone: String
    package let service: String
    package let upstream: UpstreamRepository

    /// The text of the root's `sluice.yaml` with `config` appended.
    package static func configText(_ config: String) -> String { "sources:\n  transports: [file]\n" + config }

    package init(in dir: String, config: String = "") async throws {
        upstream = try await UpstreamRepository(in: dir, name: "review")
        try await upstream.release("v1.0.0", ["SKILL.md": "one"])
        origin = dir + "/root.git"
        operatorClone = dir + "/operator"
        service = dir + "/service/root"
        try await Shell.git(["init", "--quiet", "--bare", "--initial-branch=main", origin])
        try await Shell.git(["clone", "--quiet", origin, operatorClone])
        try await Shell.git(["checkout", "--quiet", "-b", "main"], in: operatorClone)
        try writeFile(operatorClone + "/sluice.yaml", Self.configText(config))
        let initialized = try await Shell.sluice(["init", "--git", "--root", operatorClone])
        #expect(initialized.status == 0, "\(initialized.stderr)")
        try writeFile(operatorClone + "/ws/plugins.yaml", "plugins:\n  review:\n    source: \(upstream.url)\n    track: none\n")
        try await Shell.git(["add", "--all", "."], in: operatorClone)
        try await Shell.git(["commit", "--quiet", "-m", "root"], in: operatorClone)
        try await Shell.git(["push", "--quiet", "-u", "origin", "main"], in: operatorClone)
        try await Shell.git(["clone", "--quiet", origin, service])
    }

    /// The operator edits, commits and pushes (pulling first).
    package func operatorCommits(_ message: String, _ change: () throws -> Void) async throws {
        try await Shell.git(["pull", "--quiet", "--rebase"], in: operatorClone)
        try change()
        try await Shell.git(["add", "--all", "."], in: operatorClone)
        try await Shell.git(["commit", "--quiet", "-m", message], in: operatorClone)
        try await Shell.git(["push", "--quiet"], in: operatorClone)
    }

    /// The operator subscribes ws to review with tag:latest, the service queues it without
    /// applying; returns the pending file's name as the operator's clone has it.
    package func followReview() async throws -> String {
        try await operatorCommits("follow review") {
            try writeFile(operatorClone + "/ws/plugins.yaml", "plugins:\n  review:\n    source: \(upstream.url)\n    track: tag:latest\n")
        }
        let synced = try await sync(["--no-apply"])
        #expect(synced.status == 0, "\(synced.stderr)")
        return try #require(try await remoteFiles(.pending).first)
    }

    /// The operator moves `file` between queue folders with `git mv`, commits (with extra
    /// `git` options, for signing) and pushes.
    package func operatorMoves(_ file: String, from: QueueFolder = .pending, to: QueueFolder = .approved, message: String = "approve",
                       options: [String] = [], environment: [String: String] = [:]) async throws {
        try await Shell.git(["mv", "updates/\(from.rawValue)/" + file, "updates/\(to.rawValue)/" + file], in: operatorClone)
        try await Shell.git(options + ["commit", "--quiet"] + (options.isEmpty ? [] : ["-S"]) + ["-m", message], in: operatorClone, environment: environment)
        try await Shell.git(["push", "--quiet"], in: operatorClone)
    }

    /// The service's `RootSync`, for driving a cycle step by step.
    package func serviceSync() throws -> RootSync {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return RootSync(git: Git(transports: [.file]), layout: try RootLayout.load(root: service), logger: logger)
    }

    package func sync(_ extra: [String] = []) async throws -> Shell.Result {
        try await Shell.sluice(["sync", "--root", service] + extra)
    }

    /// Files in a queue folder of the operator's clone after `git pull`.
    package func remoteFiles(_ folder: QueueFolder) async throws -> [String] {
        try await Shell.git(["pull", "--quiet", "--rebase"], in: operatorClone)
        return listFolder(operatorClone + "/updates/" + folder.rawValue).filter { $0.hasSuffix(".yaml") }.sorted()
    }
}
