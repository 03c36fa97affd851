import Foundation
import Testing
import SluiceTestSupport

/// The README's "operator's daily flow" block, run line by line on a fresh demo, so that the
/// README cannot drift from what the commands do (issue #12, item 1).
@Suite struct ReadmeFlowTests {
    /// The shell lines of the first `sh` block after `heading`.
    static func flowLines(under heading: String = "## The operator's daily flow") throws -> [String] {
        let readme = try String(contentsOfFile: try CommandLineTests.repositoryRoot() + "/README.md", encoding: .utf8)
        guard let heading = readme.range(of: heading),
              let open = readme.range(of: "```sh\n", range: heading.upperBound..<readme.endIndex),
              let close = readme.range(of: "```", range: open.upperBound..<readme.endIndex) else {
            throw ShellError(message: "README.md has no sh block under \"\(heading)\"")
        }
        return readme[open.upperBound..<close.lowerBound].split(separator: "\n").map(String.init)
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.hasPrefix("#") }
    }

    @Test func everyCommandOfTheDailyFlowSucceedsInOrderOnTheDemo() async throws {
        try await withTemporaryFolder { dir in
            let examples = try CommandLineTests.repositoryRoot() + "/examples"
            let demo = try await Shell.sluice(["demo", "--examples", examples, "--into", dir + "/sluice-demo"])
            #expect(demo.status == 0, "\(demo.stderr)")
            let lines = try Self.flowLines()
            #expect(lines.count >= 12, "\(lines)")
            // `sluice` is the binary under test; each line must succeed, in order, as written.
            var script = "set -e\nsluice() { \"$SLUICE\" \"$@\"; }\ncd \"$DEMO_DIR\"\n"
            // Echoed in single quotes: the comments hold backticks that double quotes would run.
            for line in lines { script += "echo '+ \(line.replacingOccurrences(of: "'", with: "'\\''"))'\n" + line + "\n" }
            let result = try await Shell.run("/bin/bash", ["-c", script],
                                             environment: ["SLUICE": Shell.sluiceBinary, "DEMO_DIR": dir, "NO_COLOR": "1"])
            #expect(result.status == 0, "the README flow stopped:\n\(result.stdout.suffix(3000))\n\(result.stderr.suffix(2000))")
            #expect(result.stdout.contains("rolled back five-axis-review in team-a/reno-stars"))
        }
    }

    /// The README's "Review in git" block: the demo's root made a git repository, an operator's
    /// clone approving with `git mv`, `sluice sync` applying it (issue #14).
    @Test func theReviewInGitSectionRunsAsWrittenOnTheDemo() async throws {
        try await withTemporaryFolder { dir in
            let examples = try CommandLineTests.repositoryRoot() + "/examples"
            let demo = try await Shell.sluice(["demo", "--examples", examples, "--into", dir + "/sluice-demo"])
            #expect(demo.status == 0, "\(demo.stderr)")
            let lines = try Self.flowLines(under: "## Review in git")
            #expect(lines.count >= 10, "\(lines)")
            var script = "set -e\nsluice() { \"$SLUICE\" \"$@\"; }\ncd \"$DEMO_DIR\"\n"
            for line in lines { script += "echo '+ \(line.replacingOccurrences(of: "'", with: "'\\''"))'\n" + line + "\n" }
            let result = try await Shell.run("/bin/bash", ["-c", script], environment: [
                "SLUICE": Shell.sluiceBinary, "DEMO_DIR": dir, "NO_COLOR": "1",
                "GIT_AUTHOR_NAME": "Olga Operator", "GIT_AUTHOR_EMAIL": "olga@example.com",
                "GIT_COMMITTER_NAME": "Olga Operator", "GIT_COMMITTER_EMAIL": "olga@example.com",
            ])
            #expect(result.status == 0, "the README git flow stopped:\n\(result.stdout.suffix(3000))\n\(result.stderr.suffix(2000))")
            #expect(result.stdout.contains("via: git"), "\(result.stdout.suffix(2000))")
            #expect(result.stdout.contains("author: Olga Operator <olga@example.com>"))
            #expect(FileManager.default.fileExists(atPath: dir + "/sluice-demo/root/team-a/canary/plugins/five-axis-review"))
        }
    }
}
