import Foundation
import Testing
@testable import SluiceKit
@testable import SluiceService
import SluiceTestSupport

/// `sluice serve` in process: real sockets on 127.0.0.1, real git, real files. Each server is
/// shut down gracefully at the end of its test; none waits for the scheduled interval.
@Suite struct ServeTests {
    /// A root whose workspace `ws` has `review` v1.0.0 installed, tracking `tag:latest`.
    static func installedRoot(_ dir: String, workspaces: [String] = ["ws"]) async throws -> (RootFixture, UpstreamRepository, String) {
        let upstream = try await UpstreamRepository(in: dir, name: "review")
        let v1 = try await upstream.release("v1.0.0", ApplyFixtures.v1Files)
        let fixture = try RootFixture(in: dir)
        for workspace in workspaces {
            try fixture.workspace(workspace, RootFixture.manifest("review", source: upstream.url, track: "tag:latest"))
            try await fixture.install(workspace, "review", from: upstream, sha: v1, ref: "v1.0.0", track: "tag:latest")
        }
        return (fixture, upstream, v1)
    }

    // MARK: - Webhooks

    @Test func signedGiteaTagEventQueuesThePendingFileWithoutWaitingForTheInterval() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, upstream, _) = try await Self.installedRoot(dir)
            try await ServeHarness.run(fixture) { client, server in
                try await ServeHarness.waitForPasses(server, 1)
                #expect(try await client.get("/readyz").status == 200)
                #expect(listFolder(fixture.folder(.pending)).isEmpty)
                let v2 = try await upstream.release("v1.1.0", ["SKILL.md": "# Review\nRead the diff twice.\n"])
                let listed = fixture.counter.count("ls-remote")

                let delivery = ServeHarness.giteaDelivery(event: "create", repositoryURL: upstream.url, ref: "v1.1.0")
                let sent = Date()
                let reply = try await client.post("/hooks/gitea", body: delivery.body, headers: delivery.headers)
                #expect(reply.status == 202)
                #expect(try reply.json()["sources"] as? [String] == [upstream.url])

                // Typically 0.1-0.3 s; the bound is loose because the whole suite runs in parallel on
                // two cores. With a 3600 s interval and the pass's scope checked below, any pending
                // file within the bound can only come from the webhook, not from the schedule.
                let queued = await eventually(within: 10.0) { !listFolder(fixture.folder(.pending)).isEmpty }
                #expect(queued, "no pending file \(Date().timeIntervalSince(sent)) s after the webhook")
                let record = try #require(try fixture.record(.pending, workspace: "ws", plugin: "review"))
                #expect(record.to == RefPoint(ref: "v1.1.0", sha: v2))
                #expect(fixture.counter.count("ls-remote") == listed + 1)
                #expect(await eventually(within: 5) { server.service.state.lastPass?.scope == "webhook" })
                #expect(server.service.state.lastPass?.sources == [upstream.url])
            }
        }
    }

    @Test func aRefusedSignatureStartsNoPass() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, upstream, _) = try await Self.installedRoot(dir)
            try await ServeHarness.run(fixture) { client, server in
                try await ServeHarness.waitForPasses(server, 1)
                try await upstream.release("v1.1.0", ["SKILL.md": "changed\n"])
                let listed = fixture.counter.count("ls-remote")
                let signed = ServeHarness.giteaDelivery(event: "create", repositoryURL: upstream.url, ref: "v1.1.0")
                // Every refusal's status and body is in ServiceRouteTests; here: a refused delivery starts no pass.
                var attempts: [(String, [String: String])] = []
                var wrong = signed.headers
                wrong["X-Gitea-Signature"] = ServeHarness.giteaDelivery(event: "create", repositoryURL: upstream.url, ref: "v1.1.0", secret: "not-the-secret").headers["X-Gitea-Signature"]
                attempts.append(("/hooks/gitea", wrong))
                attempts.append(("/hooks/github", ["X-GitHub-Event": "create", "X-Gitea-Signature": signed.headers["X-Gitea-Signature"] ?? ""]))
                for (path, headers) in attempts {
                    let reply = try await client.post(path, body: signed.body, headers: headers)
                    #expect(reply.status == 401, "\(path) \(headers)")
                    #expect(try reply.json()["status"] as? String == "unauthorized")
                }
                try await Task.sleep(for: .milliseconds(1200))
                #expect(listFolder(fixture.folder(.pending)).isEmpty)
                #expect(fixture.counter.count("ls-remote") == listed)
                #expect(server.service.state.passes == 1)

                // The same body, rightly signed for GitHub, is taken.
                var github = ["X-GitHub-Event": "create"]
                github["X-Hub-Signature-256"] = "sha256=" + WebhookSignature(secret: ServeHarness.webhookSecret).sign(signed.body)
                #expect(try await client.post("/hooks/github", body: signed.body, headers: github).status == 202)
                #expect(await eventually(within: 10) { !listFolder(fixture.folder(.pending)).isEmpty })
            }
        }
    }

    @Test func unknownRepositoryPingAndOversizedBodiesAreAnsweredWithoutAPass() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, _, _) = try await Self.installedRoot(dir)
            try await ServeHarness.run(fixture) { client, server in
                try await ServeHarness.waitForPasses(server, 1)
                let listed = fixture.counter.count("ls-remote")
                let other = ServeHarness.giteaDelivery(event: "push", repositoryURL: "https://forge.invalid/org/unrelated.git", ref: "refs/heads/main")
                let reply = try await client.post("/hooks/gitea", body: other.body, headers: other.headers)
                #expect(reply.status == 202)
                #expect(try reply.json()["status"] as? String == "ignored")
                let ping = ServeHarness.giteaDelivery(event: "ping", repositoryURL: "x", ref: "")
                #expect(try await client.post("/hooks/gitea", body: ping.body, headers: ping.headers).status == 200)
                let big = Data(repeating: UInt8(ascii: " "), count: (1 << 20) + 1)
                let signature = WebhookSignature(secret: ServeHarness.webhookSecret).sign(big)
                #expect(try await client.post("/hooks/gitea", body: big, headers: ["X-Gitea-Signature": signature]).status == 413)
                let notJSON = Data("tag".utf8)
                #expect(try await client.post("/hooks/gitea", body: notJSON, headers: ["X-Gitea-Signature": WebhookSignature(secret: ServeHarness.webhookSecret).sign(notJSON)]).status == 400)
                try await Task.sleep(for: .milliseconds(300))
                #expect(fixture.counter.count("ls-remote") == listed)
            }
        }
    }

    // MARK: - Approvals

    @Test func aFileMovedIntoApprovedIsAppliedAndRecorded() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, upstream, _) = try await Self.installedRoot(dir)
            let v2 = try await upstream.release("v1.1.0", ["SKILL.md": "# Review\nRead the diff twice.\n"])
            try await ServeHarness.run(fixture) { _, server in
                try await ServeHarness.waitForPasses(server, 1)
                let pending = try #require(try fixture.record(.pending, workspace: "ws", plugin: "review"))
                try fixture.move(pending.fileName, from: .pending, to: .approved)
                // About a second plus the apply; the bound is loose for a loaded 2-core machine running the whole suite.
                let applied = await eventually(within: 30) { listFolder(fixture.folder(.applied)) == [pending.fileName] }
                #expect(applied)
                #expect(listFolder(fixture.folder(.approved)).isEmpty)
                #expect(try fixture.records(.applied)[pending.fileName]?.outcome?.result == .applied)
                try await ApplyFixtures.expectInstalled(fixture, "ws", "review", upstream, sha: v2)
                // The outcome is counted when the apply run returns, just after the record is written.
                #expect(await eventually(within: 5) { server.service.metrics.render().contains(#"sluice_applies_total{outcome="applied",verdict="hot"} 1"#) })
            }
        }
    }

    @Test func noApplyLeavesApprovedFilesAlone() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, upstream, _) = try await Self.installedRoot(dir)
            try await upstream.release("v1.1.0", ["SKILL.md": "changed\n"])
            try await ServeHarness.run(fixture, configuration: ServeHarness.configuration { $0.apply = false; $0.approvalPoll = .milliseconds(100) }) { _, server in
                try await ServeHarness.waitForPasses(server, 1)
                let names = try fixture.approveAll()
                try await Task.sleep(for: .milliseconds(600))
                #expect(listFolder(fixture.folder(.approved)) == names)
                #expect(listFolder(fixture.folder(.applied)).isEmpty)
            }
        }
    }

    // MARK: - Hostile clients

    /// Connections beyond `--max-connections` are closed as soon as they are accepted; once the
    /// held ones close, serve answers again (issue #10, item 6).
    @Test func connectionsBeyondTheCapAreClosedAndServeAnswersOnceTheyGo() async throws {
        try await withTemporaryFolder { dir in
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("ws", "plugins: {}\n")
            try await ServeHarness.run(fixture, configuration: ServeHarness.configuration { $0.maxConnections = 4 }) { client, _ in
                // No request before: a kept-alive client connection would count as one of the four.
                var held: [Int32] = []
                defer { for fd in held { close(fd) } }
                for _ in 0..<4 { held.append(try Loopback.connect(client.port)) }
                // Connections are set up on several event loops, not in the order they came: let
                // the four be counted before the next ones arrive.
                try await Task.sleep(for: .seconds(1))
                // Accepted by the kernel, then closed by serve without an answer.
                for _ in 0..<3 {
                    let extra = try Loopback.connect(client.port)
                    defer { close(extra) }
                    let request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    _ = request.withCString { write(extra, $0, strlen($0)) }
                    #expect(Loopback.readUntilClosed(extra, within: 5) == .closed(received: 0))
                }
                for fd in held { close(fd) }
                held = []
                var answered = false
                for _ in 0..<100 where !answered {
                    answered = (try? await client.get("/healthz").status) == 200
                    if !answered { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(answered)
            }
        }
    }

    // MARK: - Metrics

    /// `sluice_subscriptions` follows webhook passes and applies, not only full passes (issue #12, item 14).
    @Test func subscriptionGaugesAreCurrentAfterAWebhookPassAndAnApply() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, upstream, _) = try await Self.installedRoot(dir)
            let configuration = ServeHarness.configuration { $0.approvalPoll = .milliseconds(100) }
            try await ServeHarness.run(fixture, configuration: configuration) { client, server in
                try await ServeHarness.waitForPasses(server, 1)
                func gauge(_ state: String) async throws -> Double? {
                    try await client.get("/metrics").text.split(separator: "\n").first { $0.hasPrefix(#"sluice_subscriptions{state="\#(state)"} "#) }
                        .flatMap { Double($0.split(separator: " ").last ?? "") }
                }
                #expect(try await gauge("in-sync") == 1)
                #expect(try await gauge("pending") == 0)

                try await upstream.release("v1.1.0", ["SKILL.md": "# Review\nRead the diff twice.\n"])
                let delivery = ServeHarness.giteaDelivery(event: "create", repositoryURL: upstream.url, ref: "v1.1.0")
                #expect(try await client.post("/hooks/gitea", body: delivery.body, headers: delivery.headers).status == 202)
                try await ServeHarness.waitForPasses(server, 2)
                #expect(server.service.state.lastPass?.scope == "webhook")
                #expect(try await gauge("pending") == 1)
                #expect(try await gauge("in-sync") == 0)

                _ = try fixture.approveAll()
                #expect(await eventually(within: 30) { !listFolder(fixture.folder(.applied)).isEmpty })
                var current = false
                for _ in 0..<250 where !current {
                    current = try await gauge("in-sync") == 1
                    if !current { try await Task.sleep(for: .milliseconds(40)) }
                }
                #expect(current)
                #expect(try await gauge("pending") == 0)
                #expect(try await gauge("approved") == 0)
            }
        }
    }

    @Test func metricsPageIsPrometheusTextWithEveryFamily() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, upstream, _) = try await Self.installedRoot(dir)
            try await upstream.release("v1.1.0", ["SKILL.md": "changed\n"])
            try fixture.workspace("broken", RootFixture.manifest("gone", source: "file://\(dir)/missing.git", track: "tag:latest"))
            try await ServeHarness.run(fixture) { client, server in
                try await ServeHarness.waitForPasses(server, 1)
                let reply = try await client.get("/metrics")
                #expect(reply.status == 200)
                let text = reply.text
                let sample = try Regex(#"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*"(,[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*")*\})? (-?[0-9.eE+-]+|\+Inf|-Inf|NaN)$"#)
                let typeLine = try Regex(#"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$"#)
                var typed: Set<String> = []
                var families: Set<String> = []
                for line in text.split(separator: "\n").map(String.init) {
                    if line.hasPrefix("#") {
                        if line.hasPrefix("# TYPE") {
                            let match = try #require(try typeLine.wholeMatch(in: line), "bad TYPE line: \(line)")
                            typed.insert(String(match.output[1].substring ?? ""))
                        } else {
                            #expect(line.hasPrefix("# HELP "), "unexpected comment: \(line)")
                        }
                        continue
                    }
                    let match = try #require(try sample.wholeMatch(in: line), "not a sample: \(line)")
                    let name = String(match.output[1].substring ?? "")
                    let family = ["_bucket", "_sum", "_count"].reduce(name) { name, suffix in
                        name.hasSuffix(suffix) && typed.contains(String(name.dropLast(suffix.count))) ? String(name.dropLast(suffix.count)) : name
                    }
                    #expect(typed.contains(family), "sample before its TYPE line: \(line)")
                    families.insert(family)
                }
                for name in [ServiceMetrics.Name.passDuration, ServiceMetrics.Name.lastPass, ServiceMetrics.Name.subscriptions, ServiceMetrics.Name.queue,
                             ServiceMetrics.Name.resolveFailures, ServiceMetrics.Name.sourceFailures, ServiceMetrics.Name.sourceBackoff,
                             ServiceMetrics.Name.passes, ServiceMetrics.Name.ready] {
                    #expect(families.contains(name), "no \(name)")
                }
                #expect(text.contains(#"sluice_queue_files{folder="pending"} 1"#))
                #expect(text.contains(#"sluice_subscriptions{state="pending"} 1"#))
                #expect(text.contains(#"sluice_subscriptions{state="error"} 1"#))
                #expect(text.contains(#"sluice_resolve_failures_total{source="file://\#(dir)/missing.git"} 1"#))
                #expect(text.contains(#"sluice_source_failures{source="file://\#(dir)/missing.git"} 1"#))
                #expect(text.contains(#"sluice_passes_total{scope="full",result="partial"} 1"#))
            }
        }
    }

    // MARK: - Backoff

    @Test func aSourceThatKeepsFailingIsSkippedByTheSecondScheduledPassAndRetriedLater() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, _, _) = try await Self.installedRoot(dir)
            let missing = "file://\(dir)/missing.git"
            try fixture.workspace("broken", RootFixture.manifest("gone", source: missing, track: "tag:latest"))
            let clock = ManualClock()
            let configuration = ServeHarness.configuration { $0.interval = .seconds(60); $0.apply = false }
            try await ServeHarness.run(fixture, configuration: configuration, clock: clock) { client, server in
                let state = server.service.state
                func passAt(_ count: Int) async throws -> [String] {
                    if count > 1 { clock.advance(by: .seconds(60)) }
                    try await ServeHarness.waitForPasses(server, count)
                    return state.lastPass?.skipped ?? []
                }
                // t=0 start pass: fails once, retried at the next pass (60 s).
                #expect(try await passAt(1) == [])
                #expect(fixture.counter.count("ls-remote") == 2)
                #expect(state.backoff.entries[missing]?.failures == 1)
                // t=60 first scheduled pass: fails again, waits 120 s.
                #expect(try await passAt(2) == [])
                #expect(fixture.counter.count("ls-remote") == 4)
                #expect(state.backoff.entries[missing]?.failures == 2)
                #expect(state.backoff.remaining(missing, at: .seconds(60)) == .seconds(120))
                // t=120 second scheduled pass: skips it; only the good source is listed.
                #expect(try await passAt(3) == [missing])
                #expect(fixture.counter.count("ls-remote") == 5)
                let metrics = try await client.get("/metrics").text
                #expect(metrics.contains(#"sluice_source_failures{source="\#(missing)"} 2"#))
                #expect(metrics.contains(#"sluice_source_backoff_seconds{source="\#(missing)"} 60"#))
                // The file is written just after the pass is counted: wait for the third pass's file.
                let layout = try fixture.layout()
                _ = await eventually(within: 10) { (ServeStatus.read(layout: layout)?.passes ?? 0) >= 3 }
                let status = try #require(ServeStatus.read(layout: layout))
                #expect(status.sources.map(\.source) == [missing])
                #expect(status.sources.first?.failures == 2)
                #expect(status.lastPass?.skipped == [missing])
                // t=180 retried (120 s after t=60): fails a third time, waits 240 s.
                #expect(try await passAt(4) == [])
                #expect(fixture.counter.count("ls-remote") == 7)
                #expect(state.backoff.entries[missing]?.failures == 3)
                for count in 5...7 { #expect(try await passAt(count) == [missing]) }
                #expect(try await passAt(8) == [])
                #expect(state.backoff.entries[missing]?.failures == 4)
            }
        }
    }
}

extension ServeTests {
    @Test func skippedSourceIsNeitherListedNorPlannedWhileEverythingElseIs() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, review, _) = try await Self.installedRoot(dir)
            let other = try await UpstreamRepository(in: dir, name: "other")
            try await other.release("v1.0.0")
            try fixture.workspace("ws", RootFixture.manifest("review", source: review.url, track: "tag:latest")
                + "  other:\n    source: \(other.url)\n    track: tag:latest\n")
            let review2 = try await review.release("v1.1.0", ["SKILL.md": "changed\n"])
            try await fixture.reconcile()
            let otherPending = try #require(try fixture.record(.pending, workspace: "ws", plugin: "other"))
            let otherBytes = try readFile(fixture.folder(.pending) + "/" + otherPending.fileName)
            #expect(try fixture.record(.pending, workspace: "ws", plugin: "review")?.to?.sha == review2)

            // review leaves the manifest; other moves on upstream, but its source is skipped.
            try await other.release("v2.0.0")
            try fixture.workspace("ws", "plugins:\n  other:\n    source: \(other.url)\n    track: tag:latest\n")
            let listed = fixture.counter.count("ls-remote")
            let report = try await fixture.reconcile(scope: Reconciler.Scope(skip: [other.url]))
            #expect(fixture.counter.count("ls-remote") == listed)
            #expect(report.sources == 0)
            #expect(!report.hasFailures)
            #expect(try fixture.record(.pending, workspace: "ws", plugin: "review")?.kind == .remove)
            #expect(try readFile(fixture.folder(.pending) + "/" + otherPending.fileName) == otherBytes)
            #expect(listFolder(fixture.folder(.pending)).count == 2)
        }
    }
}
