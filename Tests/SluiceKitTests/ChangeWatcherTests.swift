import Foundation
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// ``ChangeWatcher`` on its own, over real folders and real inotify.
@Suite struct ChangeWatcherTests {
    @Test func drainReportsTheFoldersWithEvents() async throws {
        try await withTemporaryFolder { dir in
            try writeFile(dir + "/a/file", "one")
            try FileManager.default.createDirectory(atPath: dir + "/b", withIntermediateDirectories: true)
            let watcher = try ChangeWatcher()
            #expect(watcher.watch(dir + "/a") && watcher.watch(dir + "/b"))
            #expect(watcher.drain() == .none)

            // Content written in place: a changed, its entries did not.
            try writeFile(dir + "/a/file", "two")
            #expect(watcher.drain() == .folders(changed: [dir + "/a"], entries: []))
            #expect(watcher.drain() == .none)

            // A new entry in b.
            try writeFile(dir + "/b/new", "x")
            guard case .folders(let changed, let entries) = watcher.drain() else { Issue.record("events lost"); return }
            #expect(changed == [dir + "/b"] && entries == [dir + "/b"])

            // b removed: reported, and its watch is gone.
            try FileManager.default.removeItem(atPath: dir + "/b")
            guard case .folders(let removed, _) = watcher.drain() else { Issue.record("events lost"); return }
            #expect(removed == [dir + "/b"])
            #expect(watcher.count == 1)
        }
    }

    @Test func aFolderReplacedAtTheSamePathIsStillReported() async throws {
        try await withTemporaryFolder { dir in
            try FileManager.default.createDirectory(atPath: dir + "/a", withIntermediateDirectories: true)
            let watcher = try ChangeWatcher()
            #expect(watcher.watch(dir + "/a"))
            // a replaced by a new folder (a new inode) before the events are drained: watching
            // the new one gives a new descriptor, and both report under the same path.
            try FileManager.default.moveItem(atPath: dir + "/a", toPath: dir + "/old")
            try FileManager.default.createDirectory(atPath: dir + "/a", withIntermediateDirectories: true)
            #expect(watcher.watch(dir + "/a"))
            guard case .folders(let changed, _) = watcher.drain() else { Issue.record("events lost"); return }
            #expect(changed == [dir + "/a"])
            #expect(watcher.count == 1)                  // the moved folder's watch is gone
            try writeFile(dir + "/old/file", "not watched any more")
            try writeFile(dir + "/a/file", "new")
            #expect(watcher.drain() == .folders(changed: [dir + "/a"], entries: [dir + "/a"]))
        }
    }

    @Test func linksAndMissingFoldersAreNotWatched() async throws {
        try await withTemporaryFolder { dir in
            try FileManager.default.createDirectory(atPath: dir + "/real", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: dir + "/link", withDestinationPath: dir + "/real")
            let watcher = try ChangeWatcher()
            #expect(!watcher.watch(dir + "/link"))
            #expect(!watcher.watch(dir + "/missing"))
            #expect(watcher.watch(dir + "/real"))
        }
    }

    @Test func anOverflowReportsEverything() async throws {
        try await withTemporaryFolder { dir in
            let watcher = try ChangeWatcher()
            #expect(watcher.watch(dir))
            let limit = Int((try? readFile("/proc/sys/fs/inotify/max_queued_events"))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 16384
            for index in 0..<(limit + 100) {
                #expect(FileManager.default.createFile(atPath: dir + "/f\(index)", contents: nil))
            }
            #expect(watcher.drain() == .everything)
            #expect(watcher.drain() == .none)
        }
    }

    @Test func theWatchLimitRefusesNewFoldersOnly() async throws {
        try await withTemporaryFolder { dir in
            for name in ["a", "b"] { try FileManager.default.createDirectory(atPath: dir + "/" + name, withIntermediateDirectories: true) }
            let watcher = try ChangeWatcher(limit: 1)
            #expect(watcher.watch(dir + "/a"))
            #expect(!watcher.watch(dir + "/b"))
            #expect(watcher.watch(dir + "/a"))
            #expect(watcher.takeFailure()?.contains("watch limit") == true)
            #expect(watcher.takeFailure() == nil)
        }
    }

    @Test(arguments: [(UInt64(0x6969), false), (0xFF53_4D42, false), (0xFE53_4D42, false), (0x6573_5546, false), (0xEF53, true), (0x0102_1994, true), (0x5846_5342, true)])
    func networkAndFuseFilesystemsAreNotLocal(type: UInt64, local: Bool) {
        #expect(ChangeWatcher.isLocalFilesystem(type: type) == local)
    }

    @Test func theTemporaryFolderIsLocal() async throws {
        try await withTemporaryFolder { dir in
            #expect(ChangeWatcher.isLocalFilesystem(dir))
            #expect(!ChangeWatcher.isLocalFilesystem(dir + "/missing"))
        }
    }
}
