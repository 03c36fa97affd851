import Foundation
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// The real binary killed (SIGKILL) between the steps of a durable batch, then run again: the
/// pass's batch of pending files (spec/lifecycle.md, "Durable batches") and the fan-out's shared
/// flush of staged trees. A SIGKILL is not a power cut, but it stops the process at exactly the
/// step named, with no chance to clean up.
@Suite struct DurableBatchCrashTests {
    /// The steps of a pass's batch, in order (`DurableBatch.commit`).
    static let passSteps = ["batch-written", "batch-synced", "batch-renaming", "batch-renamed"]
    /// The steps of the fan-out (`TreeInstaller.stage`, `TreeSwap.exchange`, `TreeInstaller.swapIn`).
    static let fanOutSteps = ["claims-synced", "after-stamp", "after-stage", "after-flush", "after-exchange", "after-swap", "outcome-synced"]

    static let workspaces = (0..<8).map { String(format: "fleet/ws%02d", $0) }

    /// Eight workspaces on v1.0.0 with v1.1.0 pending; two of those approved; then v1.2.0
    /// released and `ws07` put on hold, so the next pass replaces six files, queues two (beside
    /// the approved ones) and withdraws one.
    static func queuedRoot(_ dir: String) async throws -> (fixture: RootFixture, upstream: UpstreamRepository, v3: String, approved: [String: Data]) {
        let upstream = try await UpstreamRepository(in: dir, name: "review")
        let v1 = try await upstream.release("v1.0.0", ["SKILL.md": "one\n"])
        _ = try await upstream.release("v1.1.0", ["SKILL.md": "two\n"])
        let fixture = try RootFixture(in: dir, config: "sources:\n  transports: [file]\n")
        for workspace in workspaces {
            try fixture.workspace(workspace, RootFixture.manifest("review", source: upstream.url, track: "tag:latest"))
            try await fixture.install(workspace, "review", from: upstream, sha: v1, ref: "v1.0.0", track: "tag:latest")
        }
        try await fixture.reconcile()
        #expect(listFolder(fixture.folder(.pending)).count == workspaces.count)
        var approved: [String: Data] = [:]
        for name in listFolder(fixture.folder(.pending)).prefix(2) {
            try fixture.move(name, from: .pending, to: .approved)
            approved[name] = try Data(contentsOf: URL(fileURLWithPath: fixture.folder(.approved) + "/" + name))
        }
        let v3 = try await upstream.release("v1.2.0", ["SKILL.md": "three\n"])
        try fixture.workspace("fleet/ws07", RootFixture.manifest("review", source: upstream.url, track: "tag:latest", extra: "    hold: true\n"))
        return (fixture, upstream, v3, approved)
    }

    /// Every record file in `pending/` decodes whole; returns the records by file name.
    static func expectWholeRecords(_ fixture: RootFixture, sourceLocation: SourceLocation = #_sourceLocation) -> [String: UpdateRecord] {
        var records: [String: UpdateRecord] = [:]
        for name in listFolder(fixture.folder(.pending)) where QueueFileName.isRecord(name) {
            switch QueueStore.decode(file: fixture.folder(.pending) + "/" + name) {
            case .success(let record): records[name] = record
            case .failure(let problem): Issue.record("a half-written pending file is visible: \(problem)", sourceLocation: sourceLocation)
            }
        }
        return records
    }

    /// The temporary files in `folder` (hidden, so `listFolder` leaves them out).
    static func temporaries(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix(AtomicFile.temporaryPrefix) }
    }

    @Test(arguments: passSteps)
    func passKilledBetweenBatchStepsIsRecoveredByTheNextPass(step: String) async throws {
        try await withTemporaryFolder { dir in
            let (fixture, _, v3, approved) = try await Self.queuedRoot(dir)
            let before = Self.expectWholeRecords(fixture)

            let crashed = try await Shell.sluice(["reconcile", "--root", fixture.root], environment: ["SLUICE_FAILPOINT": step])
            #expect(crashed.reason == .uncaughtSignal, "\(crashed.stdout)\n\(crashed.stderr)")
            #expect(crashed.status == SIGKILL)

            // Right after the crash: only whole records under final names, and every workspace
            // still has a pending file (a replaced one is removed only after its successor is in place).
            let afterCrash = Self.expectWholeRecords(fixture)
            for workspace in Set(before.values.map(\.workspace)) {
                #expect(afterCrash.values.contains { $0.workspace == workspace }, "\(workspace) lost its pending file at \(step)")
            }
            let temporaries = Self.temporaries(in: fixture.folder(.pending))
            switch step {
            case "batch-written", "batch-synced":
                #expect(temporaries.count == Self.workspaces.count - 1)
                #expect(afterCrash == before)
            case "batch-renaming":
                #expect(temporaries.count == Self.workspaces.count - 2)
                #expect(afterCrash.values.filter { $0.to?.sha == v3 }.count == 1)
            default:
                #expect(temporaries.isEmpty)
                #expect(afterCrash.values.filter { $0.to?.sha == v3 }.count == Self.workspaces.count - 1)
            }

            let recovery = try await Shell.sluice(["reconcile", "--root", fixture.root])
            #expect(recovery.reason == .exit && recovery.status == 0, "\(recovery.stdout)\n\(recovery.stderr)")
            let recovered = Self.expectWholeRecords(fixture)
            // One pending file per workspace not on hold, each for v1.2.0; the held one withdrawn.
            #expect(recovered.count == Self.workspaces.count - 1)
            #expect(Set(recovered.values.map(\.workspace)) == Set(Self.workspaces.dropLast()))
            #expect(recovered.values.allSatisfy { $0.to?.sha == v3 })
            // Nothing approved is lost or changed.
            for (name, data) in approved {
                #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.folder(.approved) + "/" + name)) == data)
            }
            #expect(listFolder(fixture.folder(.approved)).count == approved.count)

            // The killed pass's temporaries name their writer, which is gone: the recovery pass
            // swept them at once, and never read one as a record.
            #expect(Self.temporaries(in: fixture.folder(.pending)).isEmpty, "left at \(step): \(temporaries)")
            #expect(Self.expectWholeRecords(fixture) == recovered)
        }
    }

    @Test(arguments: fanOutSteps)
    func fanOutKilledBetweenStepsIsRecoveredByTheNextApply(step: String) async throws {
        try await withTemporaryFolder { dir in
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            let v1 = try await upstream.release("v1.0.0", ApplyFixtures.v1Files)
            let v2 = try await upstream.release("v1.1.0", ["SKILL.md": "two\n", "skills/new/SKILL.md": "new\n"])
            let fixture = try RootFixture(in: dir, config: "sources:\n  transports: [file]\ngit:\n  concurrency: 4\n")
            for workspace in Self.workspaces {
                try fixture.workspace(workspace, RootFixture.manifest("review", source: upstream.url, track: "tag:latest"))
                try await fixture.install(workspace, "review", from: upstream, sha: v1, ref: "v1.0.0", track: "tag:latest")
            }
            try await fixture.reconcile()
            let names = try fixture.approveAll()
            #expect(names.count == Self.workspaces.count)

            let crashed = try await Shell.sluice(["apply", "--root", fixture.root], environment: ["SLUICE_FAILPOINT": step])
            #expect(crashed.reason == .uncaughtSignal, "\(crashed.stdout)\n\(crashed.stderr)")
            #expect(crashed.status == SIGKILL)
            // Right after the crash every live tree is whole: the old one or the new one, with its stamp.
            for workspace in Self.workspaces {
                let stamp = try fixture.stamp(workspace, "review")
                #expect(stamp.sha == v1 || stamp.sha == v2)
                #expect(stamp.digest == (try TreeDigest.digest(of: fixture.live(workspace, "review"))), "\(workspace) at \(step)")
            }

            let recovery = try await Shell.sluice(["apply", "--root", fixture.root])
            #expect(recovery.reason == .exit && recovery.status == 0, "\(recovery.stdout)\n\(recovery.stderr)")
            for workspace in Self.workspaces {
                try await ApplyFixtures.expectInstalled(fixture, workspace, "review", upstream, sha: v2)
                #expect(!FileManager.default.fileExists(atPath: fixture.staging(workspace, "review")))
                // The previous tree is kept, whole and labelled from its own stamp.
                let kept = listFolder(fixture.retained(workspace, "review"))
                #expect(kept.count == 1, "\(workspace): \(kept)")
                if let tree = kept.first {
                    #expect(try Stamp.read(pluginFolder: fixture.retained(workspace, "review") + "/" + tree)?.sha == v1)
                    #expect(TreeInstaller.verificationProblem(of: fixture.retained(workspace, "review") + "/" + tree) == nil)
                }
            }
            // Every approved file has exactly one outcome, applied.
            ApplyFixtures.expectQueue(fixture, applied: names)
            #expect(try fixture.records(.applied).values.allSatisfy { $0.outcome?.result == .applied })
        }
    }
}
