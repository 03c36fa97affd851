import Testing
@testable import SluiceKit

/// ``WatchedPaths``: the watcher's descriptor-to-path table kept in one byte buffer.
@Suite struct WatchedPathsTests {
    @Test func pathsAreSetReplacedAndRemoved() {
        var paths = WatchedPaths()
        paths.set(1, "/root/ws-a")
        paths.set(2, "/root/ws-a/plugins/é-plugin")
        #expect(paths[1] == "/root/ws-a" && paths[2] == "/root/ws-a/plugins/é-plugin")
        paths.set(1, "/root/ws-a")                       // the same path again: unchanged
        paths.set(2, "/root/moved")                      // another path for the descriptor
        #expect(paths[2] == "/root/moved" && paths.count == 2)
        paths.remove(1)
        #expect(paths[1] == nil && !paths.contains(1) && paths.contains(2) && paths.count == 1)
        paths.remove(7)                                  // unknown: nothing happens
        #expect(paths.count == 1)
    }

    @Test func replacedPathsAreCompactedAwayAndEveryLivePathSurvives() {
        var paths = WatchedPaths()
        let long = String(repeating: "x", count: 200)
        // 20,000 replacements of 1,000 descriptors write 4 MB of path bytes in all; the buffer
        // is rebuilt whenever dead bytes pass half of it, and every live path reads back.
        for round in 0..<20 {
            for wd in Int32(0)..<1000 { paths.set(wd, "/\(round)/\(wd)/" + long) }
        }
        #expect(paths.count == 1000)
        for wd in Int32(0)..<1000 { #expect(paths[wd] == "/19/\(wd)/" + long) }
        #expect(paths.storedBytes < 2 * (1 << 20) + 1000 * 210, "the buffer holds \(paths.storedBytes) bytes")
    }
}
