import Foundation
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// Temporaries left by a killed writer (spec/layout.md, "Temporary files"): the next run that
/// sweeps their folder removes them at once when their writer is provably gone, and keeps those
/// of a writer that may still be running until they are an hour old.
@Suite struct TemporarySweepTests {
    /// Every entry of a folder, hidden ones included.
    static func entries(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    }

    @Test func aNameSaysItsWriter() {
        let name = TemporaryName.make(for: "a.b.yaml")
        #expect(name.hasPrefix(".tmp-a.b.yaml."))
        #expect(TemporaryName.localWriter(of: name) == getpid())
        #expect(TemporaryName.writerIsGone(name) == false)
        #expect(TemporaryName.localWriter(of: name + ".index") == getpid(), "git's index beside a temporary export")
        #expect(TemporaryName.localWriter(of: ".tmp-a.yaml.1234-00000000.x") == nil, "another host's tag")
        #expect(TemporaryName.localWriter(of: ".tmp-a.yaml.k3x9a8s7d6") == nil, "an untagged name (older sluice)")
    }

    @Test func theSweepRemovesTemporariesOfGoneWritersAtOnceAndKeepsTheRestForAnHour() async throws {
        try await withTemporaryFolder { dir in
            let gone = try KilledWriter.deadProcess()
            let removed = [KilledWriter.temporary("x.yaml", writer: gone)]
            let kept = [
                KilledWriter.temporary("y.yaml", writer: getpid()),                 // this process: still writing
                KilledWriter.temporary("z.yaml", writer: 1),                        // a running process
                KilledWriter.temporary("w.yaml", writer: gone, host: "0badc0de"),   // another host: cannot tell
                ".tmp-v.yaml.k3x9a8s7d6",                                   // untagged: cannot tell
                "plain.yaml",
            ]
            for name in removed + kept { try writeFile(dir + "/" + name, "partial") }
            try writeFile(dir + "/.tmp-old.yaml.k3x9a8s7d6", "partial")
            var old = [timeval(tv_sec: time(nil) - 7200, tv_usec: 0), timeval(tv_sec: time(nil) - 7200, tv_usec: 0)]
            #expect(utimes(dir + "/.tmp-old.yaml.k3x9a8s7d6", &old) == 0)
            AtomicFile.sweepTemporaries(in: dir)
            #expect(try Self.entries(dir) == kept.sorted())
        }
    }

    @Test func aSweepNamedForOneFileLeavesOtherTemporariesAlone() async throws {
        try await withTemporaryFolder { dir in
            let gone = try KilledWriter.deadProcess()
            let manifest = KilledWriter.temporary("plugins.yaml", writer: gone)
            let other = KilledWriter.temporary("notes.txt", writer: gone)
            try writeFile(dir + "/" + manifest, "partial")
            try writeFile(dir + "/" + other, "operator's")
            AtomicFile.sweepTemporaries(in: dir, named: "plugins.yaml")
            #expect(try Self.entries(dir) == [other])
        }
    }

    @Test func applySweepsTheQueueTemporariesOfAKilledRunAtOnce() async throws {
        try await withTemporaryFolder { dir in
            let update = try await ApplyFixtures.update(dir)
            let gone = try KilledWriter.deadProcess()
            let left = [QueueFolder.applying, .applied, .failed].map { update.fixture.folder($0) + "/" + KilledWriter.temporary("ws+review+abc.yaml", writer: gone) }
            let tree = update.fixture.root + "/.sluice/trees/" + KilledWriter.temporary("0123abcd", writer: gone)
            let cache = update.fixture.root + "/.sluice/cache/" + KilledWriter.temporary("cache", writer: gone)
            for path in left { try writeFile(path, "format: 1\n") }
            try FileManager.default.createDirectory(atPath: tree + "/sub", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
            try await update.fixture.apply()
            for path in left + [tree, cache] {
                #expect(!FileManager.default.fileExists(atPath: path), "\(path) is still there")
            }
        }
    }

    /// A reconcile pass sweeps `pending/` from the listing it reads the folder with: a killed
    /// writer's temporary goes, a live writer's stays, and `status` (which writes nothing) sweeps nothing.
    @Test func reconcileSweepsPendingFromTheListingItReadsAndStatusDoesNot() async throws {
        try await withTemporaryFolder { dir in
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("ws", "plugins: {}\n")
            try await fixture.reconcile()
            let gone = try KilledWriter.deadProcess()
            let dead = fixture.folder(.pending) + "/" + KilledWriter.temporary("ws+a+abc.yaml", writer: gone)
            let live = fixture.folder(.pending) + "/" + KilledWriter.temporary("ws+b+abc.yaml", writer: getpid())
            for path in [dead, live] { try writeFile(path, "format: 1\n") }
            _ = await SnapshotReader(layout: try fixture.layout(), git: fixture.git).read()
            #expect(FileManager.default.fileExists(atPath: dead), "status swept pending/")
            try await fixture.reconcile()
            #expect(!FileManager.default.fileExists(atPath: dead))
            #expect(FileManager.default.fileExists(atPath: live))
        }
    }
}
