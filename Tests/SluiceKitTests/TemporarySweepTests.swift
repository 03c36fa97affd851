import Foundation
import Testing
@testable import SluiceKit

/// Temporaries left by a killed writer (spec/layout.md, "Temporary files"): the next run that
/// sweeps their folder removes them at once when their writer is provably gone, and keeps those
/// of a writer that may still be running until they are an hour old.
@Suite struct TemporarySweepTests {
    /// A process id that no process has: Linux hands out ids below `pid_max` only.
    static func deadProcess() throws -> pid_t {
        let text = try readFile("/proc/sys/kernel/pid_max").trimmingCharacters(in: .whitespacesAndNewlines)
        let pid = try #require(pid_t(text))
        #expect(kill(pid, 0) != 0 && errno == ESRCH)
        return pid
    }

    /// Every entry of a folder, hidden ones included.
    static func entries(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    }

    /// A temporary name as `pid` on this host would write it.
    static func temporary(_ name: String, writer pid: pid_t, host: String = TemporaryName.hostTag) -> String {
        ".tmp-\(name).\(pid)-\(host).k3x9a"
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
            let gone = try Self.deadProcess()
            let removed = [Self.temporary("x.yaml", writer: gone)]
            let kept = [
                Self.temporary("y.yaml", writer: getpid()),                 // this process: still writing
                Self.temporary("z.yaml", writer: 1),                        // a running process
                Self.temporary("w.yaml", writer: gone, host: "0badc0de"),   // another host: cannot tell
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
            let gone = try Self.deadProcess()
            let manifest = Self.temporary("plugins.yaml", writer: gone)
            let other = Self.temporary("notes.txt", writer: gone)
            try writeFile(dir + "/" + manifest, "partial")
            try writeFile(dir + "/" + other, "operator's")
            AtomicFile.sweepTemporaries(in: dir, named: "plugins.yaml")
            #expect(try Self.entries(dir) == [other])
        }
    }

    @Test func applySweepsTheQueueTemporariesOfAKilledRunAtOnce() async throws {
        try await withTemporaryFolder { dir in
            let update = try await ApplyTests.update(dir)
            let gone = try Self.deadProcess()
            let left = [QueueFolder.applying, .applied, .failed].map { update.fixture.folder($0) + "/" + Self.temporary("ws+review+abc.yaml", writer: gone) }
            let tree = update.fixture.root + "/.sluice/trees/" + Self.temporary("0123abcd", writer: gone)
            let cache = update.fixture.root + "/.sluice/cache/" + Self.temporary("cache", writer: gone)
            for path in left { try writeFile(path, "format: 1\n") }
            try FileManager.default.createDirectory(atPath: tree + "/sub", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
            try await update.fixture.apply()
            for path in left + [tree, cache] {
                #expect(!FileManager.default.fileExists(atPath: path), "\(path) is still there")
            }
        }
    }

    @Test func rollbackSweepsTemporariesOfAKilledRollbackRecord() async throws {
        try await withTemporaryFolder { dir in
            let update = try await ApplyTests.update(dir)
            let v2 = try await update.upstream.release("v2.0.0", ApplyTests.v1Files.merging(["NEW.md": "new\n"]) { $1 })
            try await ApplyTests.queueAndApprove(update.fixture, sha: v2)
            try await update.fixture.apply()
            let left = update.fixture.folder(.applied) + "/" + Self.temporary("ws+review+rollback-20260101T000000Z.yaml", writer: try Self.deadProcess())
            try writeFile(left, "format: 1\n")
            let result = try await Shell.sluice(["rollback", "ws", "review", "--root", update.fixture.root])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: left))
        }
    }

    @Test func installSweepsTheManifestTemporaryOfAKilledInstall() async throws {
        try await withTemporaryFolder { dir in
            let update = try await ApplyTests.update(dir, installV1: false)
            let gone = try Self.deadProcess()
            let left = update.fixture.root + "/ws/" + Self.temporary("plugins.yaml", writer: gone)
            let operatorFile = update.fixture.root + "/ws/" + Self.temporary("notes.md", writer: gone)
            let record = update.fixture.folder(.approved) + "/" + Self.temporary("ws+other+abc.yaml", writer: gone)
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
