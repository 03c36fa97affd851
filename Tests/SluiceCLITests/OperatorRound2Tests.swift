import Foundation
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// Issue 12: 80-column tables, hold/unhold, narrowed passes, install's message, completions,
/// the reconcile summary.
@Suite struct OperatorRound2Tests {
    /// Runs the binary on a pseudo-terminal through script(1), `COLUMNS` columns wide.
    static func onTerminal(_ arguments: [String], columns: Int = 80) async throws -> String {
        let command = ([Shell.sluiceBinary] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let result = try await Shell.run("script", ["-qec", command, "/dev/null"], environment: ["COLUMNS": "\(columns)", "NO_COLOR": "1"])
        return result.stdout.replacingOccurrences(of: "\r", with: "")
    }

    @Test func tablesFitEightyColumnsOnATerminalAndWideShowsEverything() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, _, _) = try await OperatorExperienceTests.queuedRoot(dir, count: 3)
            // A long workspace path and an unreachable source with a long error.
            try fixture.workspace("team/a-workspace-with-a-really-rather-long-name-for-tables",
                                  RootFixture.manifest("broken", source: "file://" + dir + "/nowhere/" + String(repeating: "x", count: 80), track: "tag:latest"))
            try await fixture.reconcile()
            for arguments in [["pending"], ["status"], ["approve", "--plugin", "review", "--canary", "1", "--dry-run"], ["apply", "--dry-run"]] {
                let text = try await Self.onTerminal(arguments + ["--root", fixture.root])
                #expect(!text.isEmpty)
                for line in text.split(separator: "\n") {
                    #expect(TextTable.visibleWidth(String(line)) <= 80, "\(arguments): \(line.count) columns: \(line)")
                }
            }
            let status = try await Self.onTerminal(["status", "--root", fixture.root])
            #expect(status.contains("…"))
            let wide = try await Self.onTerminal(["status", "-o", "wide", "--root", fixture.root])
            #expect(wide.split(separator: "\n").contains { $0.count > 80 })
            #expect(wide.contains("a-workspace-with-a-really-rather-long-name-for-tables"))
            // Piped output is never cut.
            let piped = try await Shell.sluice(["status", "--root", fixture.root], environment: ["COLUMNS": "80"])
            #expect(piped.stdout.contains("a-workspace-with-a-really-rather-long-name-for-tables"))
        }
    }

    @Test func truncationKeepsColoursBalancedAndNotesWrap() {
        let cut = TextTable.truncate("\u{1B}[31mfailed-to-do-something\u{1B}[0m", to: 6)
        #expect(TextTable.visibleWidth(cut) == 6)
        #expect(cut.hasSuffix("…\u{1B}[0m"))
        var table = TextTable(["A", "B"])
        table.add(["x", "y"], note: String(repeating: "word ", count: 40))
        let lines = table.render(width: 40).split(separator: "\n")
        #expect(lines.count > 3)
        #expect(lines.allSatisfy { $0.count <= 40 })
    }

    @Test func holdAndUnholdEditOnlyTheHoldValueAndKeepComments() async throws {
        try await withTemporaryFolder { dir in
            let fixture = try RootFixture(in: dir)
            let text = """
            # team manifest
            plugins:
              review:   # the reviewer
                source: https://git.example.com/review.git
                track: tag:latest   # follow releases
              other:
                source: https://git.example.com/other.git
                track: tag:latest
                hold: false  # was held once

            """
            try fixture.workspace("team/a", text)
            let held = try await Shell.sluice(["hold", "team/a", "review", "--root", fixture.root])
            #expect(held.status == 0, "\(held.stderr)")
            let after = try String(contentsOfFile: fixture.root + "/team/a/plugins.yaml", encoding: .utf8)
            #expect(after == text.replacingOccurrences(of: "    track: tag:latest   # follow releases\n", with: "    track: tag:latest   # follow releases\n    hold: true\n"))
            #expect(try await Shell.sluice(["hold", "team/a", "other", "--root", fixture.root]).status == 0)
            let both = try String(contentsOfFile: fixture.root + "/team/a/plugins.yaml", encoding: .utf8)
            #expect(both.contains("    hold: true  # was held once\n"))
            #expect(try await Shell.sluice(["unhold", "team/a", "review", "--root", fixture.root]).status == 0)
            let lifted = try String(contentsOfFile: fixture.root + "/team/a/plugins.yaml", encoding: .utf8)
            #expect(lifted.contains("    track: tag:latest   # follow releases\n    hold: false\n"))
            #expect(lifted.hasPrefix("# team manifest\n"))
            let missing = try await Shell.sluice(["hold", "team/a", "nope", "--root", fixture.root])
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("'nope' is not in team/a/plugins.yaml"))
        }
    }

    @Test func reconcileNarrowsToAWorkspacePatternOrASourceAndLeavesTheRestAlone() async throws {
        try await withTemporaryFolder { dir in
            let review = try await UpstreamRepository(in: dir, name: "review")
            try await review.release("v1.0.0")
            let other = try await UpstreamRepository(in: dir, name: "other")
            try await other.release("v2.0.0")
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("team-a/x", RootFixture.manifest("review", source: review.url, track: "tag:latest"))
            try fixture.workspace("team-b/y", RootFixture.manifest("review", source: review.url, track: "tag:latest")
                                  + "  other:\n    source: \(other.url)\n    track: tag:latest\n")
            let narrowed = try await Shell.sluice(["reconcile", "--workspace", "team-a/*", "--root", fixture.root])
            #expect(narrowed.status == 0, "\(narrowed.stderr)")
            #expect(Set(try fixture.records(.pending).values.map(\.workspace)) == ["team-a/x"])
            #expect(narrowed.stdout.contains("reconcile: 1 workspace, 1 subscription, 1 source (0 in sync, 1 queued"))
            let bySource = try await Shell.sluice(["reconcile", "--source", other.url, "--root", fixture.root])
            #expect(bySource.status == 0)
            #expect(Set(try fixture.records(.pending).values.map { "\($0.workspace) \($0.plugin)" }) == ["team-a/x review", "team-b/y other"])
            // The team-a pending file is not withdrawn by a pass that did not cover it.
            let other2 = try await Shell.sluice(["reconcile", "--workspace", "team-b/*", "--root", fixture.root])
            #expect(other2.status == 0)
            #expect(try fixture.records(.pending).count == 3)
            let full = try await Shell.sluice(["reconcile", "--root", fixture.root])
            #expect(full.stdout.contains("(0 in sync, 0 queued, 0 replaced, 3 unchanged, 0 suppressed)"))
            #expect(full.stdout.contains("unchanged: already pending for the same target"))
        }
    }

    @Test func installAtARefSaysItRecordedTrackNoneAndHowToFollow() async throws {
        try await withTemporaryFolder { dir in
            let review = try await UpstreamRepository(in: dir, name: "review")
            try await review.release("v1.0.0")
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("team/a", "plugins: {}\n")
            let result = try await Shell.sluice(["install", "team/a", "review", "--source", review.url, "--ref", "v1.0.0", "--root", fixture.root])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("with 'track: none': installed at v1.0.0 and never updated"))
            #expect(result.stdout.contains("change its track there"))
            let help = try await Shell.sluice(["install", "--help"])
            #expect(!help.stdout.contains("POST /workspaces"))
            #expect(help.stdout.components(separatedBy: "default").count - 1 <= 1 || !help.stdout.contains("(default none)"))
        }
    }

    @Test func completionsCompleteValues() async throws {
        let bash = try await Shell.sluice(["--generate-completion-script", "bash"])
        #expect(bash.status == 0)
        #expect(bash.stdout.contains("'trace'$'\\n''debug'"))
        #expect(bash.stdout.contains("---completion approve -- positional@0"))
        #expect(bash.stdout.contains("---completion apply -- positional@0"))
        #expect(bash.stdout.contains("---completion reconcile -- --workspace"))
        #expect(bash.stdout.contains("hold"))
        let fish = try await Shell.sluice(["--generate-completion-script", "fish"])
        #expect(fish.stdout.contains("logfmt json"))
    }

    @Test func completionOfQueueIDsReadsPending() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, _, _) = try await OperatorExperienceTests.queuedRoot(dir, count: 2)
            let ids = try await Shell.sluice(["---completion", "approve", "--", "positional@0", "4", "8", "sluice", "approve", "--root", fixture.root, "team~ws0"])
            #expect(ids.stdout.contains("team~ws0+review+"), "\(ids.stdout) \(ids.stderr)")
        }
    }
}
