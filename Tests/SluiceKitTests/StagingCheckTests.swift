import Foundation
import Logging
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// Staging checks the copied tree against the exported tree's digest before any swap (found by
/// the crash-point enumeration: with `EMFILE` on opening the exported tree, its listing came back
/// empty and apply swapped an empty tree in under a stamp naming the full one, exiting 0).
@Suite struct StagingCheckTests {
    @Test func aCopyThatDoesNotMatchTheExportedTreeFailsBeforeTheSwap() async throws {
        try await withTemporaryFolder { dir in
            let update = try await ApplyFixtures.update(dir)
            let layout = try update.fixture.layout()
            let v2 = try await update.upstream.release("v2.0.0", ApplyFixtures.v1Files.merging(["NEW.md": "new\n"]) { $1 })
            let record = try await ApplyFixtures.queueAndApprove(update.fixture, sha: v2)
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let installer = TreeInstaller(layout: layout, logger: logger, now: { Date() })
            let paths = PluginPaths(workspace: layout.workspacePath("ws"), plugin: "review")
            let exported = try TreeDigest.digest(of: update.fixture.live("ws", "review"))
            // The exported tree cannot be listed (here: it is gone), though its digest is known.
            let tree = (path: dir + "/unlistable", digest: exported)
            await #expect(throws: InstallError.self) {
                try await installer.stage(record, target: RefPoint(ref: "v2.0.0", sha: v2), tree: tree, paths: paths)
            }
            // The live tree is untouched.
            try await ApplyFixtures.expectInstalled(update.fixture, "ws", "review", update.upstream, sha: update.v1)
        }
    }
}
