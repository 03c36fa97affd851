import Foundation
import Testing
@testable import SluiceKit
@testable import SluiceService
import SluiceTestSupport

/// The real `sluice serve` binary: signals, exit statuses and files.
@Suite struct ServeCommandLineTests {
    @Test func sigtermDuringAPassExitsZeroWithNoPartialFile() async throws {
        try await withTemporaryFolder { dir in
            var upstreams: [UpstreamRepository] = []
            for index in 0..<4 {
                let upstream = try await UpstreamRepository(in: dir, name: "plugin\(index)")
                try await upstream.release("v1.0.0")
                upstreams.append(upstream)
            }
            // A source whose server never answers keeps the pass in flight until it is stopped.
            let silent = try SilentListener()
            let fixture = try RootFixture(in: dir)
            for index in 0..<200 {
                let upstream = upstreams[index % upstreams.count]
                try fixture.workspace(String(format: "team%02d/ws%03d", index % 10, index), """
                    plugins:
                      review:
                        source: \(upstream.url)
                        track: tag:latest
                      stalled:
                        source: git://127.0.0.1:\(silent.port)/stalled.git
                        track: tag:latest

                    """)
            }
            let layout = try fixture.layout()
            let (signalled, result) = try await Shell.withRunning(Shell.sluiceBinary, ["serve", "--root", fixture.root, "--listen", "127.0.0.1:0", "--log-level", "info"]) { process in
                _ = try await ServeHarness.waitForPortFile(layout)
                let listing = await eventually(within: 10) { process.standardError.contains("Server started") }
                #expect(listing)
                try await Task.sleep(for: .seconds(2))
                #expect(!process.standardError.contains("serve pass done"), "the pass ended before SIGTERM: \(process.standardError)")
                process.signal(SIGTERM)
                return ContinuousClock.now
            }
            #expect(ContinuousClock.now - signalled < .seconds(10), "serve took more than 10 s to stop after SIGTERM")
            #expect(result.reason == .exit && result.status == 0, "\(result.reason) \(result.status); stderr: \(result.stderr)")
            #expect(result.stderr.contains("pass.result=interrupted"))
            #expect(result.stderr.contains("msg=\"serve stopped\""))

            let pending = fixture.folder(.pending)
            let names = try FileManager.default.contentsOfDirectory(atPath: pending)
            #expect(!names.contains { $0.hasPrefix(AtomicFile.temporaryPrefix) })
            // The listings that had finished are planned and written whole: one file per workspace.
            #expect(names.count == 200, "stderr: \(result.stderr)")
            for name in names {
                let record = try QueueStore.decode(file: pending + "/" + name).get()
                #expect(record.plugin == "review")
            }
            // A cancelled listing is not the source's failure: the stalled source does not back off.
            let status2 = try #require(ServeStatus.read(layout: layout))
            #expect(status2.sources.isEmpty)
            #expect(status2.lastPass?.result == "interrupted")
        }
    }

    @Test func badOptionsExit64AndUnreadableSecretsOrABusyPortExitNonZero() async throws {
        try await withTemporaryFolder { dir in
            let fixture = try RootFixture(in: dir)
            let listen = try await Shell.sluice(["serve", "--root", fixture.root, "--listen", "8735"])
            #expect(listen.status == 64)
            #expect(listen.stderr.contains("--listen '8735' is not host:port"))
            let interval = try await Shell.sluice(["serve", "--root", fixture.root, "--interval", "0"])
            #expect(interval.status == 64)

            let secret = try await Shell.sluice(["serve", "--root", fixture.root, "--listen", "127.0.0.1:0", "--webhook-secret-file", dir + "/missing"])
            #expect(secret.status == 2)
            #expect(secret.stderr.contains("cannot read the secret file '\(dir)/missing' (no such file)"))
            let empty = try await Shell.sluice(["serve", "--root", fixture.root, "--listen", "127.0.0.1:0"], environment: ["SLUICE_ADMIN_TOKEN": ""])
            #expect(empty.status == 2)
            #expect(empty.stderr.contains("SLUICE_ADMIN_TOKEN is empty"))

            let busy = try SilentListener()
            let taken = try await Shell.sluice(["serve", "--root", fixture.root, "--listen", "127.0.0.1:\(busy.port)"])
            #expect(taken.status == 1)
            #expect(taken.stderr.contains("cannot listen on 127.0.0.1:\(busy.port)"))
        }
    }
}

extension ServeCommandLineTests {
    @Test func statusShowsTheSourcesTheServiceIsBackingOff() async throws {
        try await withTemporaryFolder { dir in
            let fixture = try RootFixture(in: dir)
            let missing = "file://\(dir)/missing.git"
            try fixture.workspace("ws", RootFixture.manifest("gone", source: missing, track: "tag:latest"))
            let before = try await Shell.sluice(["status", "--root", fixture.root, "--json"])
            #expect(try JSONDecoder().decode(StatusReport.self, from: Data(before.stdout.utf8)).service == nil)
            #expect(!before.stdout.contains("\"service\""))

            try await ServeHarness.run(fixture, configuration: ServeHarness.configuration { $0.apply = false }) { _, server in
                try await ServeHarness.waitForPasses(server, 1)
            }
            let text = try await Shell.sluice(["status", "--root", fixture.root])
            #expect(text.status == 1)
            #expect(text.stdout.contains("serve: source \(missing) failed 1 time(s) in a row; scheduled passes skip it until "))
            let json = try await Shell.sluice(["status", "--root", fixture.root, "--json"])
            let service = try #require(try JSONDecoder().decode(StatusReport.self, from: Data(json.stdout.utf8)).service)
            #expect(service.sources.map(\.source) == [missing])
            #expect(service.passes == 1)
            #expect(service.ready)
        }
    }

    /// A client that sends a request head and part of its body, then nothing, is closed after
    /// the idle timeout, so SIGTERM still stops the service (issue #10, defect 6).
    @Test func sigtermStopsServeWhileAClientHoldsAPartialBody() async throws {
        try await withTemporaryFolder { dir in
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("ws", "plugins: {}\n")
            let layout = try fixture.layout()
            let ((signalled, sockets), result) = try await Shell.withRunning(Shell.sluiceBinary, ["serve", "--root", fixture.root, "--listen", "127.0.0.1:0", "--idle-timeout", "2"],
                                                                              environment: ["SLUICE_WEBHOOK_SECRET": "s3cret"]) { process in
                let port = try await ServeHarness.waitForPortFile(layout)
                var sockets: [Int32] = []
                for _ in 0..<20 {
                    let fd = try Loopback.connect(port)
                    let head = "POST /hooks/gitea HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"ref\":"
                    _ = head.withCString { write(fd, $0, strlen($0)) }
                    sockets.append(fd)
                }
                try await Task.sleep(for: .milliseconds(300))
                process.signal(SIGTERM)
                return (ContinuousClock.now, sockets)
            }
            // The stalled clients were open until the service ended: only its timeout closed them.
            for fd in sockets { close(fd) }
            #expect(ContinuousClock.now - signalled < .seconds(15), "serve took \(ContinuousClock.now - signalled) to stop with stalled clients")
            #expect(result.reason == .exit && result.status == 0, "\(result.reason) \(result.status); stderr: \(result.stderr)")
        }
    }
}

extension ServeCommandLineTests {
    /// One line at the default log level says where serve listens (the real port for `:0`), on
    /// which root and shard, how often, and which endpoints are off (issue #12, item 5).
    @Test func serveAnnouncesItsAddressRootShardIntervalAndDisabledEndpoints() async throws {
        try await withTemporaryFolder { dir in
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("ws", "plugins: {}\n")
            let layout = try fixture.layout()
            let (port, result) = try await Shell.withRunning(Shell.sluiceBinary, ["serve", "--root", fixture.root, "--listen", "127.0.0.1:0", "--interval", "120", "--shard", "1/2"],
                                                             environment: ["SLUICE_WEBHOOK_SECRET": nil, "SLUICE_ADMIN_TOKEN": nil]) { process in
                let port = try await ServeHarness.waitForPortFile(layout)
                _ = await eventually(within: 10) { process.standardError.contains("listening on") }
                process.signal(SIGTERM)
                return port
            }
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("sluice serve: listening on") }
            #expect(lines.count == 1, "\(result.stderr)")
            #expect(lines.first == """
                sluice serve: listening on http://127.0.0.1:\(port), root \(fixture.root), shard 1/2, interval 120 s, apply on; \
                disabled: webhooks (no secret: /hooks/* answer 503), admin API (no token: /admin/* answer 503)
                """)
            // Nothing else is printed at the default level.
            #expect(!result.stderr.contains("level="), "\(result.stderr)")
        }
    }

    /// A status file whose service is gone is shown as stale, in text and JSON (issue #12, item 6).
    @Test func statusMarksTheServiceDataOfAStoppedServiceStale() async throws {
        try await withTemporaryFolder { dir in
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("ws", "plugins: {}\n")
            let layout = try fixture.layout()
            // The pid of a process that has exited.
            let shell = try await Shell.run("/bin/sh", ["-c", "echo $$"])
            let dead = try #require(Int32(shell.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
            let now = Timestamp.string(Date())
            try ServeStatus(pid: dead, started: now, updated: now, listen: "127.0.0.1:8735", ready: true, apply: true, intervalSeconds: 300, passes: 3,
                            lastPass: nil, sources: [ServeStatus.Source(source: "file:///gone.git", failures: 2, retryAt: now, reason: "gone")]).write(layout: layout)
            let text = try await Shell.sluice(["status", "--root", fixture.root])
            #expect(text.stdout.contains("serve: stale status file (the service (pid \(dead)) is not running; its last update was at \(now)); what follows is from then"), "\(text.stdout)")
            let json = try await Shell.sluice(["status", "--root", fixture.root, "--json"])
            let service = try #require(try JSONDecoder().decode(StatusReport.self, from: Data(json.stdout.utf8)).service)
            #expect(service.stale == true)
            #expect(service.staleReason?.contains("pid \(dead)) is not running") == true)

            // A live process whose file is older than two intervals is stale too; a fresh one is not.
            let old = Timestamp.string(Date().addingTimeInterval(-700))
            try ServeStatus(pid: getpid(), started: old, updated: old, listen: "127.0.0.1:8735", ready: true, apply: true, intervalSeconds: 300, passes: 3,
                            lastPass: nil, sources: []).write(layout: layout)
            let late = try JSONDecoder().decode(StatusReport.self, from: Data(try await Shell.sluice(["status", "--root", fixture.root, "--json"]).stdout.utf8))
            #expect(late.service?.stale == true)
            #expect(late.service?.staleReason == "not updated since \(old), more than two intervals (2 × 300 s) ago")
            try ServeStatus(pid: getpid(), started: now, updated: now, listen: "127.0.0.1:8735", ready: true, apply: true, intervalSeconds: 300, passes: 3,
                            lastPass: nil, sources: []).write(layout: layout)
            let fresh = try await Shell.sluice(["status", "--root", fixture.root, "--json"])
            let current = try #require(try JSONDecoder().decode(StatusReport.self, from: Data(fresh.stdout.utf8)).service)
            #expect(current.stale == false)
            #expect(current.staleReason == nil)
            #expect(fresh.stdout.contains("\"stale\" : false"))
        }
    }
}

extension ServeCommandLineTests {
    /// With an idle timeout far away, a client that holds a partial body open while SIGTERM
    /// arrives is dropped at the shutdown deadline: serve exits 0 within it (issue #10, item 6).
    @Test func sigtermDropsAPartialRequestAtTheShutdownDeadlineAndExitsZero() async throws {
        try await withTemporaryFolder { dir in
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("ws", "plugins: {}\n")
            let layout = try fixture.layout()
            let ((signalled, sockets), result) = try await Shell.withRunning(
                Shell.sluiceBinary, ["serve", "--root", fixture.root, "--listen", "127.0.0.1:0", "--idle-timeout", "600", "--shutdown-timeout", "2", "--log-level", "info"],
                environment: ["SLUICE_WEBHOOK_SECRET": "s3cret"]
            ) { process in
                let port = try await ServeHarness.waitForPortFile(layout)
                var sockets: [Int32] = []
                for _ in 0..<5 {
                    let fd = try Loopback.connect(port)
                    let head = "POST /hooks/gitea HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"ref\":"
                    _ = head.withCString { write(fd, $0, strlen($0)) }
                    sockets.append(fd)
                }
                try await Task.sleep(for: .milliseconds(500))
                process.signal(SIGTERM)
                return (ContinuousClock.now, sockets)
            }
            for fd in sockets { close(fd) }
            let took = ContinuousClock.now - signalled
            #expect(took >= .seconds(1), "serve stopped before the deadline with requests open: \(took)")
            #expect(took < .seconds(12), "serve took \(took) to stop; the deadline is 2 s")
            #expect(result.reason == .exit && result.status == 0, "\(result.reason) \(result.status); stderr: \(result.stderr)")
            #expect(result.stderr.contains("shutdown deadline passed"))
            #expect(result.stderr.contains("msg=\"serve stopped\""))
        }
    }

    @Test func maxConnectionsAndShutdownTimeoutAreChecked() async throws {
        try await withTemporaryFolder { dir in
            let fixture = try RootFixture(in: dir)
            let connections = try await Shell.sluice(["serve", "--root", fixture.root, "--max-connections", "0"])
            #expect(connections.status == 64)
            #expect(connections.stderr.contains("--max-connections 0 is out of range"))
            let shutdown = try await Shell.sluice(["serve", "--root", fixture.root, "--shutdown-timeout", "-1"])
            #expect(shutdown.status == 64)
        }
    }
}

extension ServeCommandLineTests {
    /// SIGTERM while an admin apply runs (its after-apply hook takes 3 s) with a 1 s shutdown
    /// deadline: the request is past its deadline, yet the apply finishes and is recorded
    /// before serve exits 0 (issue #10, item 6).
    @Test func sigtermDuringAnAdminApplyFinishesTheApplyBeforeExiting() async throws {
        try await withTemporaryFolder { dir in
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            let v1 = try await upstream.release("v1.0.0", ApplyFixtures.v1Files)
            let config = "sources:\n  transports: [file]\napply:\n  afterApply: \"sleep 3; echo $SLUICE_TO_SHA > hook.out\"\n"
            let fixture = try RootFixture(in: dir, config: config)
            try fixture.workspace("ws", RootFixture.manifest("review", source: upstream.url, track: "tag:latest"))
            try await fixture.install("ws", "review", from: upstream, sha: v1, ref: "v1.0.0", track: "tag:latest")
            let v2 = try await upstream.release("v1.1.0", ["SKILL.md": "# Review\nRead the diff twice.\n"])
            try await fixture.reconcile()
            let pending = try #require(try fixture.record(.pending, workspace: "ws", plugin: "review"))
            let layout = try fixture.layout()
            let (signalled, result) = try await Shell.withRunning(
                Shell.sluiceBinary, ["serve", "--root", fixture.root, "--listen", "127.0.0.1:0", "--shutdown-timeout", "1", "--no-apply", "--log-level", "info"],
                environment: ["SLUICE_ADMIN_TOKEN": ServeHarness.adminToken]
            ) { process in
                let port = try await ServeHarness.waitForPortFile(layout)
                let fd = try Loopback.connect(port)
                defer { close(fd) }
                let request = "POST /admin/plugin-updates/\(pending.id)/apply HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(ServeHarness.adminToken)\r\nContent-Length: 0\r\n\r\n"
                _ = request.withCString { write(fd, $0, strlen($0)) }
                // The apply has started once its record is claimed (the hook then sleeps 3 s).
                _ = await eventually(within: 20) { !listFolder(fixture.folder(.applying)).isEmpty || !listFolder(fixture.folder(.applied)).isEmpty }
                process.signal(SIGTERM)
                return ContinuousClock.now
            }
            #expect(result.reason == .exit && result.status == 0, "\(result.reason) \(result.status); stderr: \(result.stderr)")
            #expect(ContinuousClock.now - signalled < .seconds(30))
            #expect(listFolder(fixture.folder(.applied)) == [pending.fileName], "stderr: \(result.stderr)")
            #expect(listFolder(fixture.folder(.applying)).isEmpty)
            #expect(try fixture.records(.applied)[pending.fileName]?.outcome?.result == .applied)
            #expect(try readFile(fixture.root + "/hook.out") == v2 + "\n")
            try await ApplyFixtures.expectInstalled(fixture, "ws", "review", upstream, sha: v2)
        }
    }
}
