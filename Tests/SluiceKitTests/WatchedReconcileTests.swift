import Foundation
import Logging
import Synchronization
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// One Reconciler across passes with inotify, as `serve` runs it under `watch: auto`: an
/// unchanged workspace, discovery and queue folder are reused without a `stat`, and every change
/// a fresh process would see is seen by the next pass. Real files, real inotify.
@Suite struct WatchedReconcileTests {
    static func reconciler(_ fixture: RootFixture, watcher: ChangeWatcher?) throws -> Reconciler {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return Reconciler(layout: try fixture.layout(), git: fixture.git, logger: logger, watcher: watcher)
    }

    /// A root with workspaces `names`, each subscribed to `review` at `tag:latest` with v1.0.0
    /// installed while upstream has v1.1.0: the first pass queues one update per workspace.
    static func root(in dir: String, _ names: [String]) async throws -> (RootFixture, UpstreamRepository, v1: String, v2: String) {
        let upstream = try await UpstreamRepository(in: dir, name: "review")
        let v1 = try await upstream.release("v1.0.0")
        let v2 = try await upstream.release("v1.1.0")
        let fixture = try RootFixture(in: dir)
        for name in names {
            try fixture.workspace(name, RootFixture.manifest("review", source: upstream.url, track: "tag:latest"))
            try await fixture.install(name, "review", from: upstream, sha: v1, ref: "v1.0.0", track: "tag:latest")
        }
        return (fixture, upstream, v1, v2)
    }

    /// Whether the reconciler reuses workspace `name` on its watch alone (no `stat`).
    static func trusted(_ reconciler: Reconciler, _ name: String) -> Bool {
        reconciler.cache.workspaces.watchedWorkspace(reconciler.layout.workspacePath(name)) != nil
    }

    /// A stamp of `sha` for `review`, written in place (no rename), as an editor would.
    static func rewriteStamp(_ fixture: RootFixture, _ workspace: String, upstream: UpstreamRepository, sha: String, ref: String) throws {
        let stamp = Stamp(plugin: "review", source: upstream.url, subpath: nil, track: "tag:latest", ref: ref, sha: sha,
                          digest: "sha256:" + String(repeating: "0", count: 64), installed: "2026-01-02T00:00:00Z")
        try writeFile(fixture.root + "/" + workspace + "/plugins/review/" + Stamp.fileName, try stamp.encoded())
    }

    @Test func watchedPassesSeeManifestStampAndNewPluginFolder() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, upstream, _, v2) = try await Self.root(in: dir, ["a", "b"])
            try fixture.workspace("c", RootFixture.manifest("review", source: upstream.url, track: "tag:latest"))
            try FileManager.default.createDirectory(atPath: fixture.root + "/c/plugins", withIntermediateDirectories: true)
            let reconciler = try Self.reconciler(fixture, watcher: try ChangeWatcher())
            let first = try await reconciler.run()
            #expect(first.queued.count == 3)
            let unchanged = try await reconciler.run()
            #expect(unchanged.unchanged == 3 && unchanged.queued.isEmpty && unchanged.withdrawn.isEmpty)
            #expect(Self.trusted(reconciler, "a") && Self.trusted(reconciler, "b") && Self.trusted(reconciler, "c"))

            // a's manifest edited in place to hold the plugin: its pending file is withdrawn.
            let a = try #require(try fixture.record(.pending, workspace: "a", plugin: "review"))
            try writeFile(fixture.root + "/a/plugins.yaml", RootFixture.manifest("review", source: upstream.url, track: "tag:latest", extra: "    hold: true\n"))
            // b's stamp rewritten in place to the target: its pending file is withdrawn.
            let b = try #require(try fixture.record(.pending, workspace: "b", plugin: "review"))
            try Self.rewriteStamp(fixture, "b", upstream: upstream, sha: v2, ref: "v1.1.0")
            // A new plugin folder in c (installed at the target): its install is withdrawn.
            let c = try #require(try fixture.record(.pending, workspace: "c", plugin: "review"))
            try await fixture.install("c", "review", from: upstream, sha: v2, ref: "v1.1.0", track: "tag:latest")
            #expect(Self.trusted(reconciler, "a") && Self.trusted(reconciler, "b") && Self.trusted(reconciler, "c"))

            let changed = try await reconciler.run()
            #expect(Set(changed.withdrawn) == [a.fileName, b.fileName, c.fileName])
            #expect(try fixture.records(.pending).isEmpty)
            let after = try await reconciler.run()
            #expect(after.withdrawn.isEmpty && after.queued.isEmpty)
            #expect(Self.trusted(reconciler, "a") && Self.trusted(reconciler, "b") && Self.trusted(reconciler, "c"))
        }
    }

    @Test func watchedPassesSeeATreeSwappedAsApplyDoes() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, upstream, v1, v2) = try await Self.root(in: dir, ["a"])
            let reconciler = try Self.reconciler(fixture, watcher: try ChangeWatcher())
            #expect(try await reconciler.run().queued.count == 1)
            let a = try #require(try fixture.record(.pending, workspace: "a", plugin: "review"))
            // The new tree staged beside the live one (outside plugins/, as apply's staging is).
            let staged = fixture.root + "/a/.sluice/staging/review"
            let stamp = Stamp(plugin: "review", source: upstream.url, subpath: nil, track: "tag:latest", ref: "v1.1.0", sha: v2,
                              digest: "sha256:" + String(repeating: "0", count: 64), installed: "2026-01-02T00:00:00Z")
            try writeFile(staged + "/" + Stamp.fileName, try stamp.encoded())
            #expect(try await reconciler.run().unchanged == 1)
            #expect(Self.trusted(reconciler, "a"))
            // Exchanged with the live tree in one renameat2, as apply does: the update is installed.
            try TreeSwap.exchange(staged, fixture.root + "/a/plugins/review")
            #expect(try await reconciler.run().withdrawn == [a.fileName])
            #expect(Self.trusted(reconciler, "a"))
            // The tree now live is watched where it is: an edit of its stamp in place is seen.
            try Self.rewriteStamp(fixture, "a", upstream: upstream, sha: v1, ref: "v1.0.0")
            #expect(try await reconciler.run().queued.count == 1)
        }
    }

    @Test func watchedPassesSeeNewAndRemovedWorkspaces() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, upstream, _, _) = try await Self.root(in: dir, ["team/a", "team/b"])
            let reconciler = try Self.reconciler(fixture, watcher: try ChangeWatcher())
            #expect(try await reconciler.run().queued.count == 2)
            #expect(try await reconciler.run().unchanged == 2)
            #expect(reconciler.cache.listings.discovered == ["team/a", "team/b"])

            // A new workspace two levels down, and a removed one.
            let a = try #require(try fixture.record(.pending, workspace: "team/a", plugin: "review"))
            try FileManager.default.removeItem(atPath: fixture.root + "/team/a")
            try fixture.workspace("team/c", RootFixture.manifest("review", source: upstream.url, track: "tag:latest"))
            let changed = try await reconciler.run()
            #expect(changed.withdrawn == [a.fileName])
            #expect(changed.queued.count == 1 && changed.workspaces == 2)
            #expect(try fixture.record(.pending, workspace: "team/c", plugin: "review") != nil)

            // A workspace in a new folder at the top.
            _ = try await reconciler.run()
            #expect(reconciler.cache.listings.discovered == ["team/b", "team/c"])
            try fixture.workspace("other/d", RootFixture.manifest("review", source: upstream.url, track: "tag:latest"))
            let added = try await reconciler.run()
            #expect(added.queued.count == 1 && added.workspaces == 3)
        }
    }

    @Test func watchedPassesSeeQueueMoves() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, _, _, _) = try await Self.root(in: dir, ["a", "b"])
            let reconciler = try Self.reconciler(fixture, watcher: try ChangeWatcher())
            #expect(try await reconciler.run().queued.count == 2)
            #expect(try await reconciler.run().unchanged == 2)
            #expect(reconciler.cache.listings.records(in: fixture.folder(.pending))?.count == 2)

            // The operator approves a's update with `mv`: suppressed, not kept as pending.
            let a = try #require(try fixture.record(.pending, workspace: "a", plugin: "review"))
            try fixture.move(a.fileName, from: .pending, to: .approved)
            let approved = try await reconciler.run()
            #expect(approved.suppressed == 1 && approved.unchanged == 1 && approved.queued.isEmpty)
            // ... then rejects b's: not queued again.
            let b = try #require(try fixture.record(.pending, workspace: "b", plugin: "review"))
            try fixture.move(b.fileName, from: .pending, to: .rejected)
            let rejected = try await reconciler.run()
            #expect(rejected.suppressed == 2 && rejected.queued.isEmpty)
            // `pass` (what serve runs) reads pending/ again after its own writes.
            try fixture.move(a.fileName, from: .approved, to: .pending)
            let (report, snapshot) = try await reconciler.pass()
            #expect(report.suppressed == 1 && report.unchanged == 1)
            #expect(snapshot.pending.map(\.fileName) == [a.fileName])
        }
    }

    @Test func lostEventsFallBackToStat() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, upstream, _, v2) = try await Self.root(in: dir, ["a", "b"])
            let reconciler = try Self.reconciler(fixture, watcher: try ChangeWatcher())
            #expect(try await reconciler.run().queued.count == 2)
            #expect(try await reconciler.run().unchanged == 2)
            #expect(Self.trusted(reconciler, "b"))

            // More events than the kernel queues (max_queued_events) in a's folder, then a change
            // in b whose event is lost in the overflow.
            let limit = Int((try? readFile("/proc/sys/fs/inotify/max_queued_events"))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 16384
            for index in 0..<(limit + 100) {
                #expect(FileManager.default.createFile(atPath: fixture.root + "/a/flood-\(index)", contents: nil))
            }
            let b = try #require(try fixture.record(.pending, workspace: "b", plugin: "review"))
            try Self.rewriteStamp(fixture, "b", upstream: upstream, sha: v2, ref: "v1.1.0")
            let afterOverflow = try await reconciler.run()
            #expect(afterOverflow.withdrawn == [b.fileName])
            // The stat check found the rest unchanged and trusts it again.
            #expect(Self.trusted(reconciler, "a") && Self.trusted(reconciler, "b"))
        }
    }

    @Test func workspacesWithoutAllTheirWatchesAreCheckedByStat() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, upstream, _, v2) = try await Self.root(in: dir, ["a", "b"])
            // Discovery takes the root, a and b; a's read takes a/plugins and a/plugins/review;
            // then the limit is reached: b/plugins and its plugin folder are not watched.
            let reconciler = try Self.reconciler(fixture, watcher: try ChangeWatcher(limit: 5))
            #expect(try await reconciler.run().queued.count == 2)
            #expect(try await reconciler.run().unchanged == 2)
            #expect(Self.trusted(reconciler, "a") && !Self.trusted(reconciler, "b"))
            #expect(reconciler.cache.watcher?.takeFailure() == nil)  // logged by the pass already

            let b = try #require(try fixture.record(.pending, workspace: "b", plugin: "review"))
            try Self.rewriteStamp(fixture, "b", upstream: upstream, sha: v2, ref: "v1.1.0")
            #expect(try await reconciler.run().withdrawn == [b.fileName])
        }
    }

    @Test func aPluginFolderThatIsALinkIsCheckedByStat() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, upstream, _, v2) = try await Self.root(in: dir, ["a"])
            // a's plugins/ is a link to a folder elsewhere: a write there makes no event in a.
            try FileManager.default.moveItem(atPath: fixture.root + "/a/plugins", toPath: dir + "/a-plugins")
            try FileManager.default.createSymbolicLink(atPath: fixture.root + "/a/plugins", withDestinationPath: dir + "/a-plugins")
            let reconciler = try Self.reconciler(fixture, watcher: try ChangeWatcher())
            #expect(try await reconciler.run().queued.count == 1)
            #expect(try await reconciler.run().unchanged == 1)
            #expect(!Self.trusted(reconciler, "a"))
            let a = try #require(try fixture.record(.pending, workspace: "a", plugin: "review"))
            try Self.rewriteStamp(fixture, "a", upstream: upstream, sha: v2, ref: "v1.1.0")
            #expect(try await reconciler.run().withdrawn == [a.fileName])
        }
    }

    @Test func aChangeDuringTheReadIsSeenNextPass() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, upstream, _, v2) = try await Self.root(in: dir, ["a", "b"])
            // Right after the first pass read a (and before it trusts what it read), a's stamp
            // is rewritten in place to the target.
            let armed = Mutex(true)
            let root = fixture.root
            let watcher = try ChangeWatcher(read: { folder in
                guard folder == root + "/a", armed.withLock({ $0 }) else { return }
                armed.withLock { $0 = false }
                try? Self.rewriteStamp(fixture, "a", upstream: upstream, sha: v2, ref: "v1.1.0")
            })
            let reconciler = try Self.reconciler(fixture, watcher: watcher)
            let during = try await reconciler.run()
            #expect(!armed.withLock { $0 })
            // The pass read a before the change: a's update is queued...
            #expect(during.queued.count == 2)
            #expect(Self.trusted(reconciler, "a") && Self.trusted(reconciler, "b"))
            // ... and the next pass sees the change.
            let a = try #require(try fixture.record(.pending, workspace: "a", plugin: "review"))
            #expect(try await reconciler.run().withdrawn == [a.fileName])
            #expect(try await reconciler.run().withdrawn.isEmpty)
        }
    }

    @Test func watchStatInSluiceYamlForcesTheStatCheck() async throws {
        try await withTemporaryFolder { dir in
            let fixture = try RootFixture(in: dir, config: "sources:\n  transports: [file]\nwatch: stat\n")
            let layout = try fixture.layout()
            #expect(layout.config.watch == .stat)
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            #expect(Reconciler(layout: layout, git: fixture.git, logger: logger, watchesChanges: true).cache.watcher == nil)
            let auto = try RootFixture(in: dir + "/auto")
            #expect(Reconciler(layout: try auto.layout(), git: auto.git, logger: logger, watchesChanges: true).cache.watcher != nil)
            #expect(Reconciler(layout: try auto.layout(), git: auto.git, logger: logger).cache.watcher == nil)
        }
    }

    @Test func watchModeIsParsedAndChecked() throws {
        #expect(try SluiceConfig.parse("watch: auto\n", file: "sluice.yaml").watch == .auto)
        #expect(try SluiceConfig.parse("watch: stat\n", file: "sluice.yaml").watch == .stat)
        #expect(SluiceConfig.standard.watch == .auto)
        #expect(throws: ValidationError.self) { try SluiceConfig.parse("watch: inotify\n", file: "sluice.yaml") }
    }
}
