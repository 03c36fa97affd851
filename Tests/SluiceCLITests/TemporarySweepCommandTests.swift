import Foundation
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// The sweeps of `rollback` and `install` through the built binary (spec/layout.md, "Temporary
/// files"); the engine's sweeps are in `TemporarySweepTests`.
@Suite struct TemporarySweepCommandTests {
    @Test func rollbackSweepsTemporariesOfAKilledRollbackRecord() async throws {
        try await withTemporaryFolder { dir in
            let update = try await ApplyFixtures.update(dir)
            let v2 = try await update.upstream.release("v2.0.0", ApplyFixtures.v1Files.merging(["NEW.md": "new\n"]) { $1 })
            try await ApplyFixtures.queueAndApprove(update.fixture, sha: v2)
            try await update.fixture.apply()
            let left = update.fixture.folder(.applied) + "/" + KilledWriter.temporary("ws+review+rollback-20260101T000000Z.yaml", writer: try KilledWriter.deadProcess())
            try writeFile(left, "format: 1\n")
            let result = try await Shell.sluice(["rollback", "ws", "review", "--root", update.fixture.root])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: left))
        }
    }

    @Test func installSweepsTheManifestTemporaryOfAKilledInstall() async throws {
        try await withTemporaryFolder { dir in
            let update = try await ApplyFixtures.update(dir, installV1: false)
            let gone = try KilledWriter.deadProcess()
            let left = update.fixture.root + "/ws/" + KilledWriter.temporary("plugins.yaml", writer: gone)
            let operatorFile = update.fixture.root + "/ws/" + KilledWriter.temporary("notes.md", writer: gone)
            let record = update.fixture.folder(.approved) + "/" + KilledWriter.temporary("ws+other+abc.yaml", writer: gone)
            try writeFile(left, "plugins:\n")
            try writeFile(operatorFile, "mine")
            try writeFile(record, "format: 1\n")
            let result = try await Shell.sluice(["install", "ws", "other", "--source", update.upstream.url, "--ref", "v1.0.0",
                                                 "--root", update.fixture.root])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: left))
            #expect(!FileManager.default.fileExists(atPath: record), "the approved record's write cut short")
            #expect(FileManager.default.fileExists(atPath: operatorFile), "only plugins.yaml temporaries are Sluice's")
        }
    }
}
