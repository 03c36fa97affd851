import Foundation
import Testing
import SluiceTestSupport

/// A retained tree that cannot be pruned is kept, and the operator is told: an I/O error there is
/// housekeeping, not a failed update, but it is the first sign of a failing disk.
///
/// The error is injected into the real binary by the crash-point shim (scripts/crashpoints/shim.c,
/// `LD_PRELOAD`): the first `rename` to a `.prune-` name fails with `EIO`.
@Suite struct PruneFailureTests {
    @Test(.enabled(if: CrashPointTests.compiler != nil, "no C compiler for scripts/crashpoints/shim.c"))
    func aPruneThatFailsKeepsTheTreeAndSaysSo() async throws {
        try await withTemporaryFolder { dir in
            let shim = dir + "/shim.so"
            let root = try CommandLineTests.repositoryRoot()
            let built = try await Shell.run(try #require(CrashPointTests.compiler), ["-O2", "-shared", "-fPIC", "-o", shim, root + "/scripts/crashpoints/shim.c", "-ldl"])
            #expect(built.status == 0, "\(built.stderr)")
            // retain: 0 prunes the tree that was live at once, through a rename to `.prune-<name>`.
            let (fixture, _, _, v2) = try await ApplyFixtures.queued(dir, config: "sources:\n  transports: [file]\napply:\n  retain: 0\n")
            _ = try fixture.approveAll()
            let binary = URL(fileURLWithPath: Shell.sluiceBinary).resolvingSymlinksInPath().path
            let applied = try await Shell.sluice(["apply", "--root", fixture.root], environment: [
                "LD_PRELOAD": shim, "CRASHPOINT_EXE": binary, "CRASHPOINT_CALL": "rename",
                "CRASHPOINT_SITE": "*.prune-*", "CRASHPOINT_ERRNO": "5", "CRASHPOINT_K": "0", "CRASHPOINT_LOG": dir + "/shim.log",
            ])
            // The shim failed the prune's rename (and nothing else).
            let injected = try readFile(dir + "/shim.log").split(separator: "\n").filter { $0.hasPrefix("INJECTED ") }
            #expect(injected.count == 1 && injected.allSatisfy { $0.contains("/.prune-") }, "\(injected)")
            // The update itself is applied: exit 0, the new tree live.
            #expect(applied.status == 0, "\(applied.stderr)")
            #expect(try fixture.stamp("ws", "review").sha == v2)
            // The old tree is kept under its retained name, and the log says why and where.
            let kept = listFolder(fixture.retained("ws", "review"))
            #expect(kept.count == 1 && kept.allSatisfy { !$0.hasPrefix(".") }, "\(kept) \(applied.stderr)")
            let warning = applied.stderr.split(separator: "\n").first { $0.contains("cannot prune") }
            #expect(warning?.contains("Input/output error") == true, "\(applied.stderr)")
            #expect(warning?.contains(kept.first ?? "?") == true, "\(applied.stderr)")
        }
    }
}
