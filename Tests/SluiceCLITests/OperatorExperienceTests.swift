import Foundation
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// check, approve/reject selectors and canaries, diff, init, JSON and colour, through the binary.
@Suite struct OperatorExperienceTests {
    /// A root with `count` workspaces subscribed to `review` (tag:latest) and, in the first
    /// three, `careful` too; v1.0.0 of review is installed everywhere and v1.1.0 is upstream.
    static func queuedRoot(_ dir: String, count: Int = 5) async throws -> (fixture: RootFixture, review: UpstreamRepository, v11: String) {
        let review = try await UpstreamRepository(in: dir, name: "review")
        let v1 = try await review.release("v1.0.0", ["plugin.yaml": "name: review\n", "skills/review/SKILL.md": "one\n"])
        let careful = try await UpstreamRepository(in: dir, name: "careful")
        try await careful.release("v2.0.0")
        let fixture = try RootFixture(in: dir)
        for index in 0..<count {
            let name = "team/ws\(index)"
            var manifest = RootFixture.manifest("review", source: review.url, track: "tag:latest")
            if index < 3 { manifest += "  careful:\n    source: \(careful.url)\n    track: tag:latest\n" }
            try fixture.workspace(name, manifest)
            try await fixture.install(name, "review", from: review, sha: v1, ref: "v1.0.0", track: "tag:latest")
        }
        let v11 = try await review.release("v1.1.0", ["skills/review/SKILL.md": "two\n"])
        try await fixture.reconcile()
        return (fixture, review, v11)
    }

    @Test func selectorsAndCanaryMoveExactlyTheNamedFiles() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, _, v11) = try await Self.queuedRoot(dir)
            #expect(listFolder(fixture.folder(.pending)).count == 8)

            let canary = try await Shell.sluice(["approve", "--root", fixture.root, "--plugin", "review", "--to", "v1.1.0", "--canary", "2", "--json"])
            #expect(canary.status == 0, "\(canary.stderr)")
            struct Report: Decodable { var folder: String; var dryRun: Bool; var moved: [QueueMover.Moved]; var vanished: [String] }
            let report = try JSONDecoder().decode(Report.self, from: Data(canary.stdout.utf8))
            #expect(report.folder == "approved" && !report.dryRun && report.vanished.isEmpty)
            let moved = report.moved
            #expect(moved.map(\.workspace) == ["team/ws0", "team/ws1"])
            #expect(Set(try fixture.records(.approved).values.map(\.workspace)) == ["team/ws0", "team/ws1"])
            #expect(try fixture.records(.approved).values.allSatisfy { $0.plugin == "review" && $0.to?.sha == v11 })
            #expect(listFolder(fixture.folder(.pending)).count == 6)

            let byWorkspace = try await Shell.sluice(["reject", "--root", fixture.root, "--workspace", "team/ws[34]", "--to", String(v11.prefix(9))])
            #expect(byWorkspace.status == 0)
            #expect(Set(try fixture.records(.rejected).values.map(\.workspace)) == ["team/ws3", "team/ws4"])
            #expect(try fixture.records(.rejected).values.allSatisfy { $0.plugin == "review" })

            // The canaries are approved, not applied: the fan-out passes the gate only with --force.
            let rest = try await Shell.sluice(["approve", "--root", fixture.root, "--plugin", "review", "--force"])
            #expect(rest.status == 0)
            #expect(rest.stdout.contains("1 approved"))
            #expect(try fixture.records(.approved).count == 3)
            let remaining = try fixture.records(.pending)
            #expect(remaining.count == 3)
            #expect(remaining.values.allSatisfy { $0.plugin == "careful" })

            let byID = try #require(remaining.values.min { $0.workspace < $1.workspace })
            let one = try await Shell.sluice(["approve", "--root", fixture.root, byID.id])
            #expect(one.status == 0)
            #expect(try fixture.records(.pending).count == 2)
            #expect(try fixture.records(.approved)[byID.fileName] != nil)

            let none = try await Shell.sluice(["approve", "--root", fixture.root])
            #expect(none.status == 64)
            #expect(none.stderr.contains("choose what to move"))
        }
    }

    @Test func rejectThenANewerTagQueuesTheNewerTarget() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, review, v11) = try await Self.queuedRoot(dir, count: 1)
            let reject = try await Shell.sluice(["reject", "--root", fixture.root, "--plugin", "review", "--all"])
            #expect(reject.status == 0)
            try await fixture.reconcile()
            #expect(try fixture.record(.pending, workspace: "team/ws0", plugin: "review") == nil)
            let v12 = try await review.release("v1.2.0")
            try await fixture.reconcile()
            let record = try #require(try fixture.record(.pending, workspace: "team/ws0", plugin: "review"))
            #expect(record.to?.sha == v12)
            #expect(record.to?.sha != v11)
        }
    }

    @Test func approveWithGitStagesTheMove() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, _, _) = try await Self.queuedRoot(dir, count: 1)
            try await Shell.git(["init", "--quiet"], in: fixture.root)
            try await Shell.git(["add", "updates/pending"], in: fixture.root)
            try await Shell.git(["commit", "--quiet", "-m", "queue"], in: fixture.root)
            let result = try await Shell.sluice(["approve", "--root", fixture.root, "--plugin", "review", "--git"])
            #expect(result.status == 0, "\(result.stderr)")
            let staged = try await Shell.git(["diff", "--cached", "--name-status", "-M"], in: fixture.root)
            #expect(staged.hasPrefix("R100\tupdates/pending/team~ws0+review+"))
            #expect(staged.contains("\tupdates/approved/team~ws0+review+"))
        }
    }

    @Test func checkReportsSeveralErrorsWithLineAndColumn() async throws {
        try await withTemporaryFolder { dir in
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("ok", "plugins:\n  a:\n    source: https://git.example.com/a.git\n    track: tag:latest\n")
            try fixture.workspace("bad", "plugins:\n  a:\n    source: https://git.example.com/a.git\n    track: v1.2.3\n    hold: maybe\n  B:\n    source: https://git.example.com/b.git\n")
            let result = try await Shell.sluice(["check", "--root", fixture.root])
            #expect(result.status == 1)
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines.filter { $0.hasPrefix("bad/plugins.yaml:") }.map { $0.split(separator: ":").prefix(3).joined(separator: ":") }
                    == ["bad/plugins.yaml:4:12", "bad/plugins.yaml:5:11", "bad/plugins.yaml:6:3"])
            #expect(lines.last?.contains("3 problem(s) in 1 of 3 file(s)") == true)

            let github = try await Shell.sluice(["check", "--root", fixture.root, "--format", "github", fixture.root + "/bad/plugins.yaml"])
            #expect(github.status == 1)
            #expect(github.stdout.contains("::error file=\(fixture.root)/bad/plugins.yaml,line=4,col=12,title=sluice check::"))

            let clean = try await Shell.sluice(["check", fixture.root + "/ok/plugins.yaml", "--root", fixture.root])
            #expect(clean.status == 0)
            #expect(clean.stdout.contains("ok: 1 file(s) checked"))
        }
    }

    @Test func diffSaysHotForSkillOnlyAndRestartForPluginYaml() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, review, _) = try await Self.queuedRoot(dir, count: 1)
            let hot = try await Shell.sluice(["diff", "--root", fixture.root, "team/ws0", "review", "--json", "--patch"])
            #expect(hot.status == 0, "\(hot.stderr)")
            let hotDiff = try JSONDecoder().decode(UpdateDiff.self, from: Data(hot.stdout.utf8))
            #expect(hotDiff.verdict == "hot")
            #expect(hotDiff.changes.modified == ["skills/review/SKILL.md"])
            #expect(hotDiff.patch?.contains("-one\n+two") == true)
            #expect(hotDiff.patch?.contains(Stamp.fileName) == false)

            try await review.release("v1.2.0", ["plugin.yaml": "name: review\nversion: 1.2.0\n"])
            try await fixture.reconcile()
            let restart = try await Shell.sluice(["diff", "--root", fixture.root, "team/ws0", "review"])
            #expect(restart.status == 0)
            #expect(restart.stdout.contains("verdict: restart (plugin.yaml changed and is not a hot-reload file)"))
            #expect(restart.stdout.contains("  M plugin.yaml"))
        }
    }

    @Test func initLaysOutARootThatChecksClean() async throws {
        try await withTemporaryFolder { dir in
            let root = dir + "/new"
            let result = try await Shell.sluice(["init", "--root", root])
            #expect(result.status == 0)
            for folder in QueueFolder.allCases { #expect(FileManager.default.fileExists(atPath: root + "/updates/" + folder.rawValue + "/.gitkeep")) }
            #expect(try readFile(root + "/.gitignore").contains(".sluice/"))
            let config = try SluiceConfig.load(root: root)
            #expect(config == SluiceConfig.standard)
            try writeFile(root + "/sluice.yaml", "# mine\n")
            let again = try await Shell.sluice(["init", "--root", root])
            #expect(again.stdout.contains("sluice.yaml exists and was left as it is"))
            #expect(try readFile(root + "/sluice.yaml") == "# mine\n")
        }
    }

    @Test func noColourWhenNoColorIsSetOrOutputIsNotATerminal() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, _, _) = try await Self.queuedRoot(dir, count: 1)
            let piped = try await Shell.sluice(["pending", "--root", fixture.root])
            #expect(piped.status == 0)
            #expect(!piped.stdout.contains("\u{1B}["))
            // A real terminal through script(1): colour on, unless NO_COLOR is set.
            let binary = Shell.sluiceBinary
            let tty = try await Shell.run("/usr/bin/script", ["-qec", "\(binary) status --root \(fixture.root)", "/dev/null"], environment: ["NO_COLOR": ""])
            #expect(tty.stdout.contains("\u{1B}[33mpending\u{1B}[0m"))
            let noColor = try await Shell.run("/usr/bin/script", ["-qec", "\(binary) status --root \(fixture.root)", "/dev/null"], environment: ["NO_COLOR": "1"])
            #expect(noColor.stdout.contains("pending"))
            #expect(!noColor.stdout.contains("\u{1B}[33m"))
        }
    }

    @Test func jsonOutputsDecodeIntoTheirDocumentedSchemas() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, _, _) = try await Self.queuedRoot(dir, count: 2)
            let reconcile = try await Shell.sluice(["reconcile", "--root", fixture.root, "--json"])
            let report = try JSONDecoder().decode(ReconcileReport.self, from: Data(reconcile.stdout.utf8))
            #expect(report.unchanged == 4)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(reconcile.stdout.utf8)) as? [String: Any])
            #expect(Set(object.keys) == ["workspaces", "subscriptions", "sources", "queued", "replaced", "withdrawn", "unchanged", "suppressed",
                                         "inSync", "workspaceFailures", "sourceFailures", "subscriptionFailures", "queueProblems", "soaking", "seconds", "phases"])
            let status = try await Shell.sluice(["status", "--root", fixture.root, "--json"])
            let states = try JSONDecoder().decode(StatusReport.self, from: Data(status.stdout.utf8))
            #expect(states.workspaces.flatMap(\.plugins).map(\.state).sorted { $0.rawValue < $1.rawValue } == [.pending, .pending, .pending, .pending])
            let pending = try await Shell.sluice(["pending", "--root", fixture.root, "--json"])
            #expect(try JSONDecoder().decode(PendingReport.self, from: Data(pending.stdout.utf8)).total == 4)
            try await Shell.sluice(["approve", "--root", fixture.root, "--all", "--force"])
            let apply = try await Shell.sluice(["apply", "--root", fixture.root, "--json"])
            let applied = try JSONDecoder().decode(ApplyReport.self, from: Data(apply.stdout.utf8))
            #expect(applied.items.map(\.result) == ["applied", "applied", "applied", "applied"])
            #expect(applied.fetches == 2)
        }
    }

    @Test func committedCompletionScriptsAreCurrent() async throws {
        let root = try CommandLineTests.repositoryRoot()
        for shell in ["bash", "zsh", "fish"] {
            let generated = try await Shell.sluice(["--generate-completion-script", shell]).stdout
            #expect(try readFile(root + "/docs/completions/sluice.\(shell)") == generated, "run scripts/generate-docs.sh")
        }
        #expect(FileManager.default.fileExists(atPath: root + "/docs/man/sluice.approve.1"))
    }
}
