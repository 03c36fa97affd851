import Foundation
import Testing
import SluiceTestSupport

/// A small crash-point enumeration in the test suite: `scripts/crashpoints/run --quick` kills the
/// real binary (its calls counted across threads by the harness's shim, cross-checked by strace)
/// at every `renameat2` of `apply` (claims, tree rename, exchanges,
/// retentions), every `rename` of `apply` (atomic writes of attempts, stamps and outcomes; prune
/// renames), of `rollback` (its record) and of `reconcile` (pending files), recovers with one
/// clean run and checks every invariant of spec/README.md, including that no temporary file is
/// left (spec/lifecycle.md, "Crash-point enumeration").
///
/// The full enumeration (every class, `install`, injected errors, a full disk) is the script
/// without `--quick`; its figures are in the README.
@Suite struct CrashPointTests {
    /// Why the enumeration cannot run here, or nil: it needs strace, root (ptrace, tmpfs) and a C
    /// compiler for the shim (the Swift toolchain's clang).
    static let missing: String? = {
        if getuid() != 0 { return "crash-point enumeration skipped: it needs root (strace attaches with ptrace)" }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let found = path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/strace") }
        guard found else { return "crash-point enumeration skipped: strace is not installed (apt-get install strace)" }
        return compiler != nil ? nil : "crash-point enumeration skipped: no C compiler for scripts/crashpoints/shim.c"
    }()

    /// The first C compiler on `PATH` for the shim (the Swift toolchain's clang), or nil.
    static let compiler: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return ["clang", "cc", "gcc"].first { name in
            path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
        }
    }()

    @Test(.enabled(if: missing == nil, Comment(rawValue: missing ?? "")), .timeLimit(.minutes(5)))
    func quickEnumerationFindsNoViolation() async throws {
        let script = try CommandLineTests.repositoryRoot() + "/scripts/crashpoints/run"
        try await withTemporaryFolder { dir in
            let report = dir + "/crashpoints.json"
            let result = try await Shell.run(script, ["--quick", "--jobs", "2", "--sluice", Shell.sluiceBinary,
                                                "--work", dir + "/work", "--json", report])
            #expect(result.status == 0, "exit \(result.status)\n\(result.stdout.suffix(6000))\n\(result.stderr.suffix(2000))")
            #expect(result.stdout.contains(", violations: 0"), "\(result.stdout.suffix(3000))")
            let data = try Data(contentsOf: URL(fileURLWithPath: report))
            let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            // apply: 3 claims, the tree, 3 exchanges, 3 retentions (renameat2) and 12 renames;
            // rollback 1, reconcile 3 renames and 1 syncfs. The count is the sluice process's, across
            // its threads (the shim), so it does not depend on which pool thread made a call.
            let tried = json?["crash_points_tried"] as? Int ?? 0
            #expect(tried >= 27, "only \(tried) crash points were tried")
            for summary in json?["classes"] as? [[String: Any]] ?? [] {
                let what = "\(summary["operation"] ?? "?") \(summary["class"] ?? "?")"
                // Every call of the run where nothing was injected was a crash point in some run…
                #expect(summary["complete"] as? Bool == true, "\(what): stopped before a clean run")
                #expect(summary["sluice_sites_hit"] as? Int == summary["sluice_sites_in_clean_run"] as? Int,
                        "\(what): sites never killed: \(summary["sluice_sites_missed"] ?? [])")
                // …and strace saw no call on the root that the shim did not count.
                #expect(summary["calls_on_root_counted"] as? Int == summary["calls_on_root_traced"] as? Int,
                        "\(what): counted \(summary["calls_on_root_counted"] ?? "?") calls, strace saw \(summary["calls_on_root_traced"] ?? "?")")
            }
        }
    }
}
