import Foundation
import Testing
import SluiceTestSupport

/// `scripts/install.sh` lays out a prefix that a binary user can run from anywhere.
@Suite struct InstallScriptTests {
    @Test func installedBinaryRunsTheDemoFromAnotherFolder() async throws {
        try await withTemporaryFolder { dir in
            let repository = try CommandLineTests.repositoryRoot()
            let prefix = dir + "/prefix"
            let install = try await Shell.run("/bin/bash", [repository + "/scripts/install.sh", "--prefix", prefix, "--binary", Shell.sluiceBinary])
            #expect(install.status == 0, "\(install.stderr)")
            for file in ["bin/sluice", "share/sluice/examples/demo.yaml", "share/man/man1/sluice.1", "share/man/man1/sluice.apply.1",
                         "share/bash-completion/completions/sluice", "share/zsh/site-functions/_sluice",
                         "share/fish/vendor_completions.d/sluice.fish", "share/doc/sluice/spec/README.md"] {
                #expect(FileManager.default.fileExists(atPath: prefix + "/" + file), "\(file) missing")
            }
            // From a folder without examples/: the installed copy is found next to the binary.
            let elsewhere = dir + "/elsewhere"
            try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
            let demo = try await Shell.run(prefix + "/bin/sluice", ["demo", "--into", elsewhere + "/demo"], in: elsewhere)
            #expect(demo.status == 0, "\(demo.stderr)")
            #expect(listFolder(elsewhere + "/demo/root/updates/pending").count == 4)
            #expect(demo.stdout.contains("  sluice pending --root "), "\(demo.stdout)")
            #expect(!demo.stdout.contains("swift run"))
        }
    }
}
