import Foundation
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// The canary gate of `sluice approve`, its rollout display, and `apply --force <id>` from failed/.
@Suite struct CanaryGateTests {
    static func entry(_ workspace: String, sha: String = String(repeating: "a", count: 40), folder: QueueFolder = .pending, outcome: Outcome? = nil) -> (folder: QueueFolder, entry: QueueEntry) {
        var record = UpdateRecord(
            id: UpdateRecord.makeID(workspace: workspace, plugin: "review", targetSHA: sha), workspace: workspace, plugin: "review",
            kind: .update, source: "https://git.example.com/review.git", subpath: nil, track: "tag:latest", from: nil,
            to: RefPoint(ref: "v1.1.0", sha: sha), warning: nil, detected: "2026-01-01T00:00:00Z",
            basis: Basis(installed: InstalledBasis(state: .absent), manifest: nil))
        record.outcome = outcome
        return (folder, QueueEntry(fileName: record.fileName, record: record))
    }

    static func outcome(_ result: Outcome.Result, at: String) -> Outcome {
        var outcome = Outcome(result: result, at: at)
        if result == .failed { outcome.reason = "boom" }
        return outcome
    }

    @Test func fanOutWithoutAnyCanaryIsRefusedButASingleApprovalIsTheCanary() {
        let pending = ["ws0", "ws1", "ws2"].map { Self.entry($0).entry }
        let now = Date()
        let all = CanaryGate.refusals(selected: pending, pending: pending, canary: nil, soak: 0, now: now) { _, _ in [] }
        #expect(all.count == 1)
        #expect(all.first?.message.contains("no canary has been applied") == true)
        #expect(all.first?.message.contains("--force") == true)
        #expect(CanaryGate.refusals(selected: [pending[0]], pending: pending, canary: nil, soak: 0, now: now) { _, _ in [] }.isEmpty)
        #expect(CanaryGate.refusals(selected: pending, pending: pending, canary: 1, soak: 0, now: now) { _, _ in [] }.isEmpty)
    }

    @Test func fanOutWaitsForTheCanaryToBeAppliedNotFailedAndSoaked() async throws {
        let pending = ["ws1", "ws2"].map { Self.entry($0).entry }
        let now = try Date("2026-01-02T00:00:00Z", strategy: .iso8601)
        func refusal(_ history: [(folder: QueueFolder, entry: QueueEntry)], canary: Int? = nil, soak: Int = 0) -> String? {
            CanaryGate.refusals(selected: pending, pending: pending, canary: canary, soak: soak, now: now) { _, _ in history }.first?.message
        }
        #expect(refusal([Self.entry("ws0", folder: .approved)])?.contains("approved but not applied yet") == true)
        let failed = [Self.entry("ws0", folder: .failed, outcome: Self.outcome(.failed, at: "2026-01-01T10:00:00Z"))]
        #expect(refusal(failed)?.contains("failed at 2026-01-01T10:00:00Z: boom") == true)
        #expect(refusal(failed, canary: 1)?.contains("--canary again would pick another workspace") == true)
        let applied = [Self.entry("ws0", folder: .applied, outcome: Self.outcome(.applied, at: "2026-01-01T23:30:00Z"))]
        #expect(refusal(applied) == nil)
        #expect(refusal(applied, soak: 3600)?.contains("apply.canarySoak is 1h; fan out from 2026-01-02T00:30:00Z on") == true)
        #expect(refusal(applied, soak: 1800) == nil)
        // A retry that succeeded after a failure opens the gate; the last attempt is what counts.
        let retried = failed + [Self.entry("ws0", folder: .applied, outcome: Self.outcome(.applied, at: "2026-01-01T11:00:00Z"))]
        #expect(refusal(retried) == nil)
        #expect(Rollout(history: retried, waiting: 0).stage == .fannedOut)
        #expect(Rollout(history: retried, waiting: 2).stage == .canaryApplied)
    }

    @Test func canarySoakIsADurationWithLocatedErrors() async throws {
        let config = try SluiceConfig.parse("apply:\n  canarySoak: 72h\n", file: "sluice.yaml")
        #expect(config.canarySoak == 72 * 3600)
        #expect(try SluiceConfig.parse("apply:\n  canarySoak: 0\n", file: "sluice.yaml").canarySoak == 0)
        #expect(try SluiceConfig.parse("apply:\n  canarySoak: 7d\n", file: "sluice.yaml").canarySoak == 7 * 86400)
        #expect(SluiceConfig.standard.canarySoak == 0)
        let error = #expect(throws: ValidationError.self) { try SluiceConfig.parse("apply:\n  canarySoak: soon\n", file: "sluice.yaml") }
        #expect(error?.diagnostics.first?.line == 2)
        #expect(error?.diagnostics.first?.column == 15)
        #expect(error?.diagnostics.first?.message.contains("apply.canarySoak must be a duration such as 0, 90s, 30m, 72h or 7d") == true)
    }

    /// End to end: refused fan-out, canary, failed canary (modified locally), the real next step,
    /// then the fan-out.
    @Test func approveRefusesFanOutUntilTheCanaryIsAppliedAndSaysHowToOverride() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, _, v11) = try await OperatorExperienceTests.queuedRoot(dir, count: 3)
            let root = ["--root", fixture.root]

            let early = try await Shell.sluice(["approve", "--plugin", "review", "--to", "v1.1.0"] + root)
            #expect(early.status == 1)
            #expect(early.stderr.contains("no canary has been applied"))
            #expect(early.stderr.contains("--force"))
            #expect(try fixture.records(.approved).isEmpty)

            #expect(try await Shell.sluice(["approve", "--plugin", "review", "--to", "v1.1.0", "--canary", "1"] + root).status == 0)
            let pendingText = try await Shell.sluice(["pending"] + root)
            #expect(pendingText.stdout.contains("rollout: canary pending in team/ws0"))
            #expect(pendingText.stdout.contains("sluice approve"))
            let notYet = try await Shell.sluice(["approve", "--plugin", "review"] + root)
            #expect(notYet.status == 1)
            #expect(notYet.stderr.contains("approved but not applied yet"))

            // The canary fails: its live tree was edited in place.
            try writeFile(fixture.live("team/ws0", "review") + "/local.txt", "edit\n")
            let status = try await Shell.sluice(["status", "--json"] + root)
            struct Status: Decodable { struct W: Decodable { var path: String; var plugins: [P] }; struct P: Decodable { var name: String; var state: String; var modified: Bool? }; var workspaces: [W] }
            let parsed = try JSONDecoder().decode(Status.self, from: Data(status.stdout.utf8))
            #expect(parsed.workspaces.first { $0.path == "team/ws0" }?.plugins.first { $0.name == "review" }?.state == "modified")
            let diff = try await Shell.sluice(["diff", "team/ws0", "review"] + root)
            #expect(diff.stdout.contains("modified: plugins/review no longer matches its stamp"), "\(diff.stdout)\(diff.stderr)")
            let applied = try await Shell.sluice(["apply"] + root)
            #expect(applied.status == 1)
            let id = UpdateRecord.makeID(workspace: "team/ws0", plugin: "review", targetSHA: v11)
            #expect(applied.stdout.contains("next: 'sluice apply --force \(id)'"))

            let again = try await Shell.sluice(["approve", "--plugin", "review", "--canary", "1"] + root)
            #expect(again.status == 1)
            #expect(again.stderr.contains("--canary again would pick another workspace"))
            let fanOut = try await Shell.sluice(["approve", "--plugin", "review", "--json"] + root)
            #expect(fanOut.status == 1)
            #expect(fanOut.stdout.contains("\"stage\" : \"canary-failed\""))
            #expect(try await Shell.sluice(["pending"] + root).stdout.contains("rollout: canary failed"))

            // The real next step, as printed: apply --force takes the update back from failed/.
            let forced = try await Shell.sluice(["apply", "--force", id] + root)
            #expect(forced.status == 0, "\(forced.stdout)\(forced.stderr)")
            #expect(try fixture.stamp("team/ws0", "review").sha == v11)

            let rest = try await Shell.sluice(["approve", "--plugin", "review"] + root)
            #expect(rest.status == 0, "\(rest.stderr)")
            #expect(try fixture.records(.approved).count == 2)
        }
    }

    @Test func soakAndForce() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, _, _) = try await OperatorExperienceTests.queuedRoot(dir, count: 3)
            try writeFile(fixture.root + "/sluice.yaml", "sources:\n  transports: [file, git, https, ssh]\napply:\n  canarySoak: 1h\n")
            let root = ["--root", fixture.root]
            #expect(try await Shell.sluice(["approve", "--plugin", "review", "--canary", "1"] + root).status == 0)
            #expect(try await Shell.sluice(["apply"] + root).status == 0)
            let soaking = try await Shell.sluice(["approve", "--plugin", "review"] + root)
            #expect(soaking.status == 1)
            #expect(soaking.stderr.contains("apply.canarySoak is 1h"))
            let status = try await Shell.sluice(["status"] + root)
            #expect(status.stdout.contains("canary applied"))
            let forced = try await Shell.sluice(["approve", "--plugin", "review", "--force"] + root)
            #expect(forced.status == 0, "\(forced.stderr)")
            #expect(try fixture.records(.approved).count == 2)
        }
    }
}
