import Foundation
import Logging
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// The root as a git working copy: a bare "origin", an operator's clone, and the service's
/// working copy that `sluice sync` runs in; real git and the real binary throughout.
@Suite struct GitOpsTests {
    @Test func aManifestPushedByTheOperatorIsQueuedAndThePendingFileReachesTheirClone() async throws {
        try await withTemporaryFolder { dir in
            let setup = try await GitRoot(in: dir)
            try await setup.operatorCommits("follow review") {
                try writeFile(setup.operatorClone + "/ws/plugins.yaml", "plugins:\n  review:\n    source: \(setup.upstream.url)\n    track: tag:latest\n")
            }
            let synced = try await setup.sync()
            #expect(synced.status == 0, "\(synced.stdout)\(synced.stderr)")
            let pending = try await setup.remoteFiles(.pending)
            #expect(pending.count == 1)
            let log = try await Shell.git(["log", "-1", "--format=%an|%s"], in: setup.operatorClone)
            #expect(log.hasPrefix("Sluice|sluice: 1 queued"), "\(log)")
            // plugins/ and the state folder never reach git.
            let tracked = try await Shell.git(["ls-files"], in: setup.operatorClone)
            #expect(!tracked.contains("plugins/") && !tracked.contains(".sluice/"))
        }
    }

    @Test func anApprovalPushedByTheOperatorIsAppliedAndAttributedToTheirCommit() async throws {
        try await withTemporaryFolder { dir in
            let setup = try await GitRoot(in: dir)
            try await setup.operatorCommits("follow review") {
                try writeFile(setup.operatorClone + "/ws/plugins.yaml", "plugins:\n  review:\n    source: \(setup.upstream.url)\n    track: tag:latest\n")
            }
            #expect(try await setup.sync().status == 0)
            let file = try #require(try await setup.remoteFiles(.pending).first)
            try await setup.operatorMoves(file, message: "approve review", environment: ["GIT_AUTHOR_NAME": "Olga Operator", "GIT_AUTHOR_EMAIL": "olga@example.com"])
            let approval = try await Shell.git(["rev-parse", "HEAD"], in: setup.operatorClone)
            let synced = try await setup.sync()
            #expect(synced.status == 0, "\(synced.stdout)\(synced.stderr)")
            #expect(FileManager.default.fileExists(atPath: setup.service + "/ws/plugins/review/SKILL.md"))
            #expect(try await setup.remoteFiles(.applied) == [file])
            #expect(try await setup.remoteFiles(.approved).isEmpty)
            let record = try QueueStore.decode(file: setup.operatorClone + "/updates/applied/" + file).get()
            #expect(record.approvedBy?.via == .git)
            #expect(record.approvedBy?.commit == approval)
            #expect(record.approvedBy?.author == "Olga Operator <olga@example.com>")
            #expect(record.approvedBy?.signature == "none")
            // status shows who approved what is installed.
            let status = try await Shell.sluice(["status", "--root", setup.service, "--json"])
            let report = try JSONDecoder().decode(StatusReport.self, from: Data(status.stdout.utf8))
            #expect(report.workspaces.first?.plugins.first?.approvedBy?.commit == approval)
        }
    }

    @Test func serveWithGitAppliesAnApprovalPushedByTheOperatorWithinSeconds() async throws {
        try await withTemporaryFolder { dir in
            let setup = try await GitRoot(in: dir)
            try await setup.operatorCommits("follow review") {
                try writeFile(setup.operatorClone + "/ws/plugins.yaml", "plugins:\n  review:\n    source: \(setup.upstream.url)\n    track: tag:latest\n")
            }
            let layout = try RootLayout.load(root: setup.service)
            let (_, result) = try await Shell.withRunning(Shell.sluiceBinary, ["serve", "--git", "--root", setup.service, "--listen", "127.0.0.1:0", "--interval", "1"]) { process in
                for _ in 0..<120 where !FileManager.default.fileExists(atPath: layout.state + "/serve.port") {
                    try await Task.sleep(for: .milliseconds(250))
                }
                var pending: [String] = []
                for _ in 0..<60 where pending.isEmpty {
                    try await Task.sleep(for: .milliseconds(500))
                    pending = try await setup.remoteFiles(.pending)
                }
                let file = try #require(pending.first, "the pending file never reached the remote: \(process.standardError)")
                try await setup.operatorMoves(file)
                let approved = ContinuousClock.now
                var applied: [String] = []
                for _ in 0..<60 where applied.isEmpty {
                    try await Task.sleep(for: .milliseconds(500))
                    applied = try await setup.remoteFiles(.applied)
                }
                #expect(applied == [file], "stderr: \(process.standardError)")
                #expect(ContinuousClock.now - approved < .seconds(20))
                process.signal(SIGTERM)
            }
            #expect(result.status == 0, "\(result.stderr)")
            #expect(FileManager.default.fileExists(atPath: setup.service + "/ws/plugins/review/SKILL.md"))
            let record = try QueueStore.decode(file: setup.operatorClone + "/updates/applied/" + (listFolder(setup.operatorClone + "/updates/applied").first { $0.hasSuffix(".yaml") } ?? "")).get()
            #expect(record.approvedBy?.via == .git)
        }
    }

    @Test func concurrentOperatorPushesAndServiceCommitsLoseNoRecord() async throws {
        try await withTemporaryFolder { dir in
            let setup = try await GitRoot(in: dir)
            let second = try await UpstreamRepository(in: dir, name: "other")
            try await second.release("v2.0.0")
            try await setup.operatorCommits("follow both") {
                try writeFile(setup.operatorClone + "/ws/plugins.yaml", "plugins:\n  review:\n    source: \(setup.upstream.url)\n    track: tag:latest\n  other:\n    source: \(second.url)\n    track: tag:latest\n")
            }
            #expect(try await setup.sync(["--no-apply"]).status == 0)
            let pending = try await setup.remoteFiles(.pending)
            #expect(pending.count == 2)
            // The operator approves one and rejects the other while the service works on a
            // stale copy: its pull happened, then the operator pushed, then it publishes.
            let layout = try RootLayout.load(root: setup.service)
            let git = Git(transports: [.file])
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let sync = try setup.serviceSync()
            _ = try await sync.pull()
            try await setup.upstream.release("v1.1.0", ["SKILL.md": "two"])
            try await Reconciler(layout: layout, git: git, logger: logger).run()
            let other = try #require(pending.first { $0.contains("+other+") })
            let review = try #require(pending.first { $0.contains("+review+") })
            try await Shell.git(["mv", "updates/pending/" + other, "updates/rejected/" + other], in: setup.operatorClone)
            try await Shell.git(["commit", "--quiet", "-m", "reject other"], in: setup.operatorClone)
            try await Shell.git(["push", "--quiet"], in: setup.operatorClone)
            let published = try await sync.publish(after: "reconcile")
            #expect(published.committed)
            guard case .followed = published.status else { Issue.record("\(published.status)"); return }
            // Everything is in the remote exactly once: the operator's rejection and Sluice's
            // replacement of review's pending file (v1.0.0 -> v1.1.0).
            let nowPending = try await setup.remoteFiles(.pending)
            #expect(try await setup.remoteFiles(.rejected) == [other])
            #expect(nowPending.count == 1 && nowPending[0].contains("+review+") && nowPending[0] != review, "\(nowPending)")
            let status = try await Shell.git(["status", "--porcelain"], in: setup.service)
            #expect(status.isEmpty, "\(status)")
        }
    }

    @Test func theOperatorsMoveWinsOverSluicesRewriteOfTheSameFile() async throws {
        try await withTemporaryFolder { dir in
            let setup = try await GitRoot(in: dir)
            let file = try await setup.followReview()
            let original = try String(contentsOfFile: setup.operatorClone + "/updates/pending/" + file, encoding: .utf8)
            // Sluice rewrites the pending file in its copy (same name, new content) ...
            try writeFile(setup.service + "/updates/pending/" + file, original.replacingOccurrences(of: "kind: install", with: "kind: install\nwarning: rewritten"))
            // ... while the operator approves it.
            try await setup.operatorMoves(file)
            _ = try await setup.serviceSync().publish(after: "reconcile")
            #expect(try await setup.remoteFiles(.pending).isEmpty)
            #expect(try await setup.remoteFiles(.approved) == [file])
            #expect(try String(contentsOfFile: setup.operatorClone + "/updates/approved/" + file, encoding: .utf8) == original, "the approved file is the operator's")
        }
    }

    @Test func aForcePushedRemoteStopsTheFollowingAndNothingIsApplied() async throws {
        try await withTemporaryFolder { dir in
            let setup = try await GitRoot(in: dir)
            let file = try await setup.followReview()
            // History rewritten: the operator resets to the first commit, approves there, force-pushes.
            let first = try await Shell.git(["rev-list", "--max-parents=0", "HEAD"], in: setup.operatorClone)
            try await Shell.git(["reset", "--quiet", "--hard", first], in: setup.operatorClone)
            try writeFile(setup.operatorClone + "/updates/approved/" + file, try String(contentsOfFile: setup.service + "/updates/pending/" + file, encoding: .utf8))
            try writeFile(setup.operatorClone + "/ws/plugins.yaml", "plugins:\n  review:\n    source: \(setup.upstream.url)\n    track: tag:latest\n")
            try await Shell.git(["add", "--all", "."], in: setup.operatorClone)
            try await Shell.git(["commit", "--quiet", "-m", "rewritten"], in: setup.operatorClone)
            try await Shell.git(["push", "--quiet", "--force"], in: setup.operatorClone)
            let synced = try await setup.sync()
            #expect(synced.status == 1)
            #expect(synced.stderr.contains("rewrote history") || synced.stderr.contains("rewritten"), "\(synced.stderr)")
            #expect(!FileManager.default.fileExists(atPath: setup.service + "/ws/plugins/review"))
            // It stays stopped, and says so, until an operator resolves it.
            let again = try await setup.sync(["--json"])
            #expect(again.status == 1)
            #expect(again.stdout.contains("\"stopped\""))
            let status = try await Shell.sluice(["status", "--root", setup.service])
            #expect(status.stdout.contains("git: following the root's remote branch stopped"), "\(status.stdout)")
        }
    }

    @Test func anUnsignedApprovalIsRefusedUnderRequireSigned() async throws {
        try await withTemporaryFolder { dir in
            let key = dir + "/approver"
            _ = try await Shell.run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "olga@example.com", "-f", key])
            let publicKey = try String(contentsOfFile: key + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            let setup = try await GitRoot(in: dir, config: "approvals:\n  require-signed: true\n  allowed-signers: keys/approvers\n")
            try await setup.operatorCommits("follow review, trust olga") {
                try writeFile(setup.operatorClone + "/keys/approvers", "olga@example.com \(publicKey)\n")
                try writeFile(setup.operatorClone + "/ws/plugins.yaml", "plugins:\n  review:\n    source: \(setup.upstream.url)\n    track: tag:latest\n")
            }
            #expect(try await setup.sync(["--no-apply"]).status == 0)
            let file = try #require(try await setup.remoteFiles(.pending).first)
            try await setup.operatorMoves(file, message: "approve, unsigned")
            let synced = try await setup.sync()
            #expect(synced.status == 1)
            #expect(try await setup.remoteFiles(.failed) == [file])
            let record = try QueueStore.decode(file: setup.operatorClone + "/updates/failed/" + file).get()
            #expect(record.outcome?.reason?.contains("approvals.require-signed") == true, "\(record.outcome?.reason ?? "")")
            #expect(!FileManager.default.fileExists(atPath: setup.service + "/ws/plugins/review"))
            // A signed approval of the same update goes through.
            try await setup.operatorMoves(file, from: .failed, message: "approve, signed", options: ["-c", "gpg.format=ssh", "-c", "user.signingkey=" + key])
            let signed = try await setup.sync()
            #expect(signed.status == 0, "\(signed.stdout)\(signed.stderr)")
            #expect(try await setup.remoteFiles(.applied) == [file])
            let applied = try QueueStore.decode(file: setup.operatorClone + "/updates/applied/" + file).get()
            #expect(applied.approvedBy?.signature == "good")
            #expect(applied.approvedBy?.signer == "olga@example.com")
        }
    }

    @Test func localApprovalsSayWhatCanBeKnown() async throws {
        try await withTemporaryFolder { dir in
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            try await upstream.release("v1.0.0")
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("a", RootFixture.manifest("review", source: upstream.url, track: "tag:latest"))
            try fixture.workspace("b", RootFixture.manifest("review", source: upstream.url, track: "tag:latest"))
            try await fixture.reconcile()
            let a = try #require(try fixture.record(.pending, workspace: "a", plugin: "review"))
            let b = try #require(try fixture.record(.pending, workspace: "b", plugin: "review"))
            let approved = try await Shell.sluice(["approve", a.id, "--root", fixture.root, "--force"])
            #expect(approved.status == 0, "\(approved.stderr)")
            try fixture.move(b.fileName, from: .pending, to: .approved)
            _ = try await fixture.apply()
            let byCommand = try #require(try fixture.record(.applied, workspace: "a", plugin: "review")?.approvedBy)
            #expect(byCommand.via == .sluiceApprove)
            #expect(byCommand.user?.isEmpty == false)
            #expect(try fixture.record(.applied, workspace: "b", plugin: "review")?.approvedBy?.via == .unattributed)
        }
    }

    @Test func minApproversCountsDistinctSignersOfTheApprovalAndItsMerge() async throws {
        try await withTemporaryFolder { dir in
            var keys: [String: String] = [:]
            var signers = ""
            for name in ["alice", "bob"] {
                keys[name] = dir + "/" + name
                _ = try await Shell.run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", dir + "/" + name])
                signers += "\(name)@example.com " + (try String(contentsOfFile: dir + "/" + name + ".pub", encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines) + "\n"
            }
            let setup = try await GitRoot(in: dir, config: "approvals:\n  min-approvers: 2\n  allowed-signers: keys/approvers\n")
            try await setup.operatorCommits("follow review") {
                try writeFile(setup.operatorClone + "/keys/approvers", signers)
                try writeFile(setup.operatorClone + "/ws/plugins.yaml", "plugins:\n  review:\n    source: \(setup.upstream.url)\n    track: tag:latest\n")
            }
            #expect(try await setup.sync(["--no-apply"]).status == 0)
            let file = try #require(try await setup.remoteFiles(.pending).first)
            let sign = { (name: String) in ["-c", "gpg.format=ssh", "-c", "user.signingkey=" + (keys[name] ?? "")] }
            // Alice approves on a branch with a signed commit; Bob merges it with a signed merge.
            try await Shell.git(["checkout", "--quiet", "-b", "approve"], in: setup.operatorClone)
            try await Shell.git(["mv", "updates/pending/" + file, "updates/approved/" + file], in: setup.operatorClone)
            try await Shell.git(sign("alice") + ["commit", "--quiet", "-S", "-m", "approve"], in: setup.operatorClone)
            try await Shell.git(["checkout", "--quiet", "main"], in: setup.operatorClone)
            try await Shell.git(sign("bob") + ["merge", "--quiet", "--no-ff", "-S", "-m", "merge approval", "approve"], in: setup.operatorClone)
            try await Shell.git(["push", "--quiet"], in: setup.operatorClone)
            let synced = try await setup.sync()
            #expect(synced.status == 0, "\(synced.stdout)\(synced.stderr)")
            #expect(try await setup.remoteFiles(.applied) == [file])
            let record = try QueueStore.decode(file: setup.operatorClone + "/updates/applied/" + file).get()
            #expect(record.approvedBy?.signers == ["alice@example.com", "bob@example.com"])
            // A release approved by Alice alone (fast-forward, no merge) is refused.
            try await setup.upstream.release("v1.1.0", ["SKILL.md": "two"])
            #expect(try await setup.sync(["--no-apply"]).status == 0)
            let next = try #require(try await setup.remoteFiles(.pending).first)
            try await setup.operatorMoves(next, message: "approve alone", options: sign("alice"))
            #expect(try await setup.sync().status == 1)
            let failed = try #require(try await setup.remoteFiles(.failed).first)
            let refused = try QueueStore.decode(file: setup.operatorClone + "/updates/failed/" + failed).get()
            #expect(refused.outcome?.reason?.contains("approvals.min-approvers: 2 distinct allowed signers") == true, "\(refused.outcome?.reason ?? "")")
        }
    }
}
