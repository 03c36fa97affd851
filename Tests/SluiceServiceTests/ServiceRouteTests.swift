import Foundation
import Testing
@testable import SluiceKit
@testable import SluiceService
import SluiceTestSupport

/// Every endpoint's status codes and bodies, in process through the router
/// (`spec/service.md#http-endpoints`). The live listener, signals and timeouts are in
/// `ServeTests` and `ServeCommandLineTests`.
@Suite struct ServiceRouteTests {
    static let auth = ["Authorization": "Bearer " + ServeHarness.adminToken]

    /// `ws` on review v1.0.0 (tracking `tag:latest`) with v1.1.0 pending: (fixture, upstream, pending record, v1.1.0).
    static func pendingRoot(_ dir: String, workspaces: [String] = ["ws"]) async throws -> (RootFixture, UpstreamRepository, [UpdateRecord], String) {
        let (fixture, upstream, _) = try await ServeTests.installedRoot(dir, workspaces: workspaces)
        let v2 = try await upstream.release("v1.1.0", ["SKILL.md": "# Review\nRead the diff twice.\n"])
        try await fixture.reconcile()
        let records = try workspaces.map { try #require(try fixture.record(.pending, workspace: $0, plugin: "review")) }
        return (fixture, upstream, records, v2)
    }

    // MARK: - Health and readiness

    @Test func healthzIsOkAndReadyzTurnsReadyAfterTheFirstPass() async throws {
        try await withTemporaryFolder { dir in
            let fixture = try RootFixture(in: dir)
            try await RouteHarness.run(fixture) { client, service in
                let health = try await client.get("/healthz")
                #expect(health.status == 200)
                #expect(health.text == "ok\n")
                let starting = try await client.get("/readyz")
                #expect(starting.status == 503)
                #expect(try starting.json() as NSDictionary == ["status": "starting", "reason": "the first pass has not finished"])
                service.state.recordPass(ServeStatus.Pass(scope: "full", result: "ok", started: "", seconds: 0, summary: "", skipped: [], sources: nil), backoff: service.state.backoff)
                let ready = try await client.get("/readyz")
                #expect(ready.status == 200)
                #expect(try ready.json() as NSDictionary == ["status": "ready"])
                #expect(ready.headers[.contentType] == "application/json")
            }
        }
    }

    // MARK: - Webhooks

    struct HookCase: Sendable, CustomTestStringConvertible {
        var name: String
        var path: String
        var headers: @Sendable (_ body: Data, _ repository: String) -> [String: String]
        var body: @Sendable (_ repository: String) -> Data
        var status: Int
        var answer: String
        var reason: String?
        var testDescription: String { name }
    }

    static func signed(_ body: Data, secret: String = ServeHarness.webhookSecret) -> String {
        WebhookSignature(secret: secret).sign(body)
    }

    static func payload(_ object: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }

    static let hookCases: [HookCase] = [
        HookCase(name: "missing signature", path: "/hooks/gitea", headers: { _, _ in ["X-Gitea-Event": "create"] },
                 body: { payload(["ref": "v1.1.0", "ref_type": "tag", "repository": ["clone_url": $0]]) }, status: 401, answer: "unauthorized", reason: "missing signature"),
        HookCase(name: "signature of another secret", path: "/hooks/gitea", headers: { body, _ in ["X-Gitea-Event": "create", "X-Gitea-Signature": signed(body, secret: "other")] },
                 body: { payload(["ref": "v1.1.0", "ref_type": "tag", "repository": ["clone_url": $0]]) }, status: 401, answer: "unauthorized", reason: "invalid signature"),
        HookCase(name: "garbage signature", path: "/hooks/gitea", headers: { _, _ in ["X-Gitea-Event": "create", "X-Gitea-Signature": "zz"] },
                 body: { payload(["ref": "v1.1.0", "ref_type": "tag", "repository": ["clone_url": $0]]) }, status: 401, answer: "unauthorized", reason: "invalid signature"),
        HookCase(name: "GitHub ignores the Gitea header", path: "/hooks/github", headers: { body, _ in ["X-GitHub-Event": "create", "X-Gitea-Signature": signed(body)] },
                 body: { payload(["ref": "v1.1.0", "ref_type": "tag", "repository": ["clone_url": $0]]) }, status: 401, answer: "unauthorized", reason: "missing signature"),
        HookCase(name: "GitHub wrong sha256", path: "/hooks/github", headers: { _, _ in ["X-GitHub-Event": "create", "X-Hub-Signature-256": "sha256=" + String(repeating: "0", count: 64)] },
                 body: { payload(["ref": "v1.1.0", "ref_type": "tag", "repository": ["clone_url": $0]]) }, status: 401, answer: "unauthorized", reason: "invalid signature"),
        HookCase(name: "body not JSON", path: "/hooks/gitea", headers: { body, _ in ["X-Gitea-Signature": signed(body)] },
                 body: { _ in Data("tag".utf8) }, status: 400, answer: "invalid", reason: nil),
        HookCase(name: "ping", path: "/hooks/gitea", headers: { body, _ in ["X-Gitea-Event": "ping", "X-Gitea-Signature": signed(body)] },
                 body: { _ in payload(["zen": "hi"]) }, status: 200, answer: "pong", reason: nil),
        HookCase(name: "branch create", path: "/hooks/gitea", headers: { body, _ in ["X-Gitea-Event": "create", "X-Gitea-Signature": signed(body)] },
                 body: { payload(["ref": "feature", "ref_type": "branch", "repository": ["clone_url": $0]]) }, status: 202, answer: "ignored", reason: "create of a branch events change no track"),
        HookCase(name: "unsubscribed repository", path: "/hooks/gitea", headers: { body, _ in ["X-Gitea-Event": "push", "X-Gitea-Signature": signed(body)] },
                 body: { _ in payload(["ref": "refs/heads/main", "repository": ["clone_url": "https://forge.invalid/org/unrelated.git"]]) }, status: 202, answer: "ignored", reason: "no subscription to this repository"),
        HookCase(name: "GitHub signed tag", path: "/hooks/github", headers: { body, _ in ["X-GitHub-Event": "create", "X-Hub-Signature-256": "sha256=" + signed(body)] },
                 body: { payload(["ref": "v1.1.0", "ref_type": "tag", "repository": ["clone_url": $0]]) }, status: 202, answer: "queued", reason: nil),
        HookCase(name: "Gitea signed push, uppercase hex", path: "/hooks/gitea", headers: { body, _ in ["X-Gitea-Event": "push", "X-Gitea-Signature": signed(body).uppercased()] },
                 body: { payload(["ref": "refs/tags/v1.1.0", "repository": ["clone_url": $0]]) }, status: 202, answer: "queued", reason: nil),
    ]

    @Test(arguments: hookCases)
    func webhookAnswers(_ hook: HookCase) async throws {
        try await withTemporaryFolder { dir in
            let (fixture, upstream, _) = try await ServeTests.installedRoot(dir)
            try await RouteHarness.run(fixture) { client, service in
                let body = hook.body(upstream.url)
                let reply = try await client.post(hook.path, body: body, headers: hook.headers(body, upstream.url))
                #expect(reply.status == hook.status, "\(reply.text)")
                #expect(reply.answer == hook.answer)
                if let reason = hook.reason { #expect(try reply.json()["reason"] as? String == reason) }
                if hook.answer == "queued" { #expect(try reply.json()["sources"] as? [String] == [upstream.url]) }
                let result = switch hook.status { case 401: "unauthorized"; case 400: "invalid"; case 202 where hook.answer == "queued": "accepted"; default: "ignored" }
                let endpoint = hook.path.hasSuffix("github") ? "github" : "gitea"
                #expect(service.metrics.render().contains(#"sluice_webhooks_total{endpoint="\#(endpoint)",result="\#(result)"} 1"#))
            }
        }
    }

    @Test func webhooksWithoutASecretAnswer503AndADeclaredOversizedBody413() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, upstream, _) = try await ServeTests.installedRoot(dir)
            let delivery = ServeHarness.giteaDelivery(event: "create", repositoryURL: upstream.url, ref: "v1.1.0")
            try await RouteHarness.run(fixture, configuration: ServeHarness.configuration { $0.webhookSecret = nil }) { client, _ in
                for path in ["/hooks/gitea", "/hooks/github"] {
                    let reply = try await client.post(path, body: delivery.body, headers: delivery.headers)
                    #expect(reply.status == 503)
                    #expect(try reply.json() as NSDictionary == ["status": "disabled", "reason": "webhook secret not configured"])
                }
            }
            try await RouteHarness.run(fixture, configuration: ServeHarness.configuration { $0.bodyLimit = 64 }) { client, _ in
                var headers = delivery.headers
                headers["Content-Length"] = "\(delivery.body.count)"
                let reply = try await client.post("/hooks/gitea", body: delivery.body, headers: headers)
                #expect(reply.status == 413)
                #expect(reply.answer == "too_large")
            }
        }
    }

    // MARK: - Admin API: authentication

    static let adminRoutes: [(method: String, path: String)] = [
        ("GET", "/admin/plugin-updates-pending"), ("GET", "/admin/plugin-updates/x"), ("POST", "/admin/plugin-updates/x/approve"),
        ("POST", "/admin/plugin-updates/x/apply"), ("POST", "/admin/plugin-updates/x/reject"), ("POST", "/admin/workspaces/ws/plugins"),
    ]

    @Test func everyAdminRouteNeedsTheBearerTokenAndIsOffWithoutOne() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, _, records, _) = try await Self.pendingRoot(dir)
            let before = snapshot(fixture.root)
            try await RouteHarness.run(fixture) { client, _ in
                for (method, path) in Self.adminRoutes {
                    for headers in [[:], ["Authorization": "Bearer wrong"], ["Authorization": ServeHarness.adminToken],
                                    ["Authorization": "Basic " + ServeHarness.adminToken], ["Authorization": "Bearer " + ServeHarness.adminToken + "x"]] {
                        let reply = try await client.send(method == "GET" ? .get : .post, path, body: Data("{}".utf8), headers: headers)
                        #expect(reply.status == 401, "\(method) \(path) \(headers)")
                        #expect(reply.headers[.wwwAuthenticate] == "Bearer")
                        #expect(try reply.json() as NSDictionary == ["status": "unauthorized", "reason": "missing or wrong bearer token"])
                    }
                }
            }
            try await RouteHarness.run(fixture, configuration: ServeHarness.configuration { $0.adminToken = nil }) { client, _ in
                for (method, path) in Self.adminRoutes {
                    let reply = try await client.send(method == "GET" ? .get : .post, path, body: Data("{}".utf8), headers: Self.auth)
                    #expect(reply.status == 503, "\(method) \(path)")
                    #expect(try reply.json() as NSDictionary == ["status": "disabled", "reason": "admin token not configured"])
                }
            }
            #expect(snapshot(fixture.root) == before)
            #expect(listFolder(fixture.folder(.pending)) == records.map(\.fileName))
        }
    }

    // MARK: - Admin API: updates

    @Test func pendingListAndLookupOfAnUpdateByPercentEncodedID() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, _, records, v2) = try await Self.pendingRoot(dir, workspaces: ["team/a", "team/b"])
            try await RouteHarness.run(fixture) { client, _ in
                let list = try await client.get("/admin/plugin-updates-pending", headers: Self.auth)
                #expect(list.status == 200)
                let report = try JSONDecoder().decode(PendingReport.self, from: list.body)
                #expect(report.total == 2)
                #expect(report.groups.first?.items.map(\.id) == records.map(\.id))

                let id = records[0].id
                #expect(id.contains("~") && id.contains("+"))
                let encoded = id.replacingOccurrences(of: "~", with: "%7E").replacingOccurrences(of: "+", with: "%2B")
                for path in [id, encoded] {
                    let found = try await client.get("/admin/plugin-updates/\(path)", headers: Self.auth)
                    #expect(found.status == 200, "\(path): \(found.text)")
                    let body = try found.json()
                    #expect(body["status"] as? String == "found")
                    #expect(body["id"] as? String == id)
                    #expect(body["folder"] as? String == "pending")
                    #expect((body["record"] as? [String: Any])?["to"] as? [String: String] == ["ref": "v1.1.0", "sha": v2])
                    #expect(body["outcome"] == nil)
                }
                let unknown = try await client.get("/admin/plugin-updates/team~zzz+review+000000000000", headers: Self.auth)
                #expect(unknown.status == 404)
                #expect(unknown.answer == "not_found")
                #expect(try await client.get("/admin/plugin-updates/%2E%2E", headers: Self.auth).status == 404)
                #expect(try await client.get("/admin/plugin-updates/%ZZ", headers: Self.auth).status == 404)
            }
        }
    }

    @Test func approveMovesAPendingFileAndAnswers409OnceItIsNotPending() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, _, records, _) = try await Self.pendingRoot(dir, workspaces: ["team/a"])
            let record = records[0]
            try await RouteHarness.run(fixture) { client, _ in
                let encoded = record.id.replacingOccurrences(of: "~", with: "%7E").replacingOccurrences(of: "+", with: "%2B")
                let approved = try await client.post("/admin/plugin-updates/\(encoded)/approve", headers: Self.auth)
                #expect(approved.status == 200, "\(approved.text)")
                #expect(approved.answer == "approved")
                #expect((try approved.json()["moved"] as? [String: Any])?["destination"] as? String == "updates/approved/\(record.fileName)")
                #expect(listFolder(fixture.folder(.approved)) == [record.fileName])
                #expect(listFolder(fixture.folder(.pending)).isEmpty)

                let again = try await client.post("/admin/plugin-updates/\(record.id)/approve", headers: Self.auth)
                #expect(again.status == 409)
                #expect(again.answer == "not_pending")
                #expect(try again.json()["reason"] as? String == "\(record.id) is not pending; it is in approved/")
                let found = try await client.get("/admin/plugin-updates/\(record.id)", headers: Self.auth)
                #expect(try found.json()["folder"] as? String == "approved")
                #expect(try await client.post("/admin/plugin-updates/nothing+here+000000000000/approve", headers: Self.auth).status == 404)
            }
        }
    }

    @Test func applyRejectAndTheirConflicts() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, upstream, records, v2) = try await Self.pendingRoot(dir, workspaces: ["team/a", "team/b"])
            let (a, b) = (records[0], records[1])
            try await RouteHarness.run(fixture) { client, service in
                #expect(try await client.post("/admin/plugin-updates/team~zzz+review+000000000000/apply", headers: Self.auth).status == 404)
                #expect(try await client.post("/admin/plugin-updates/nothing/reject", headers: Self.auth).status == 404)

                let rejected = try await client.post("/admin/plugin-updates/\(b.id)/reject", headers: Self.auth)
                #expect(rejected.status == 200)
                #expect(try rejected.json() as NSDictionary == ["status": "rejected", "id": b.id])
                let twice = try await client.post("/admin/plugin-updates/\(b.id)/reject", headers: Self.auth)
                #expect(twice.status == 200)
                #expect(twice.answer == "already_rejected")
                let conflict = try await client.post("/admin/plugin-updates/\(b.id)/apply", headers: Self.auth)
                #expect(conflict.status == 409)
                #expect(conflict.answer == "rejected")
                #expect(try await client.post("/admin/plugin-updates/\(b.id)/approve", headers: Self.auth).status == 409)

                let applied = try await client.post("/admin/plugin-updates/\(a.id)/apply", headers: Self.auth)
                #expect(applied.status == 200, "\(applied.text)")
                let item = try #require(try applied.json()["item"] as? [String: Any])
                #expect(applied.answer == "applied")
                #expect(item["result"] as? String == "applied")
                #expect(item["verdict"] as? String == "hot")
                #expect(item["id"] as? String == a.id)
                try await ApplyFixtures.expectInstalled(fixture, "team/a", "review", upstream, sha: v2)
                #expect(service.metrics.render().contains(#"sluice_applies_total{outcome="applied",verdict="hot"} 1"#))

                let again = try await client.post("/admin/plugin-updates/\(a.id)/apply", headers: Self.auth)
                #expect(again.status == 200)
                #expect(again.answer == "already_applied")
                let late = try await client.post("/admin/plugin-updates/\(a.id)/reject", headers: Self.auth)
                #expect(late.status == 409)
                #expect(late.answer == "already_applied")
                let found = try await client.get("/admin/plugin-updates/\(a.id)", headers: Self.auth)
                let body = try found.json()
                #expect(body["folder"] as? String == "applied")
                #expect((body["outcome"] as? [String: Any])?["result"] as? String == "applied")
                #expect((body["files"] as? [[String: String]])?.first == ["folder": "applied", "file": "updates/applied/\(a.fileName)"])
            }
        }
    }

    // MARK: - Admin API: install

    @Test func installRecordsTheSubscriptionKeepingCommentsAndInstallsThroughTheQueue() async throws {
        try await withTemporaryFolder { dir in
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            try await upstream.release("v1.0.0", ApplyFixtures.v1Files)
            let v12 = try await upstream.release("v1.2.0", ["SKILL.md": "# Review\nTwelve.\n"])
            try await upstream.release("v1.3.0", ["SKILL.md": "# Review\nThirteen.\n"])
            let fixture = try RootFixture(in: dir)
            let manifest = "# The team's plugins.\nplugins: {}  # none yet\n"
            try fixture.workspace("team/a", manifest)
            try await RouteHarness.run(fixture) { client, _ in
                let body = try JSONSerialization.data(withJSONObject: ["name": "review", "source": upstream.url])
                let reply = try await client.post("/admin/workspaces/team/a/plugins?track=tag:v1.2.0", body: body, headers: Self.auth)
                #expect(reply.status == 200, "\(reply.text)")
                #expect(reply.answer == "applied")
                let item = try #require(try reply.json()["item"] as? [String: Any])
                #expect(item["workspace"] as? String == "team/a")
                #expect(item["plugin"] as? String == "review")
                try await ApplyFixtures.expectInstalled(fixture, "team/a", "review", upstream, sha: v12)
                let written = try readFile(fixture.root + "/team/a/plugins.yaml")
                #expect(written.hasPrefix("# The team's plugins.\n"))
                let parsed = try Manifest.parse(written, file: "plugins.yaml", policy: try fixture.layout().config.sources)
                #expect(parsed.entry(named: "review")?.track.description == "tag:v1.2.0")
                #expect(listFolder(fixture.folder(.applied)).count == 1)
                #expect(listFolder(fixture.folder(.approved)).isEmpty)

                // The same subscription again changes nothing; another track for it is refused.
                let conflicting = try JSONSerialization.data(withJSONObject: ["name": "review", "source": upstream.url, "track": "tag:latest"])
                let refused = try await client.post("/admin/workspaces/team%2Fa/plugins", body: conflicting, headers: Self.auth)
                #expect(refused.status == 400)
                #expect(refused.answer == "invalid")
                #expect(try readFile(fixture.root + "/team/a/plugins.yaml") == written)
            }
        }
    }

    @Test func installRefusesWorkspacePathsOutsideTheRootAndBadBodies() async throws {
        try await withTemporaryFolder { dir in
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            try await upstream.release("v1.0.0")
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("ws", "plugins: {}\n")
            try FileManager.default.createDirectory(atPath: dir + "/outside", withIntermediateDirectories: true)
            try writeFile(dir + "/outside/plugins.yaml", "plugins: {}\n")
            try FileManager.default.createSymbolicLink(atPath: fixture.root + "/linked", withDestinationPath: dir + "/outside")
            try FileManager.default.createDirectory(atPath: fixture.root + "/bare", withIntermediateDirectories: true)
            let before = snapshot(dir)
            let body = try JSONSerialization.data(withJSONObject: ["name": "review", "source": upstream.url, "track": "tag:latest"])
            try await RouteHarness.run(fixture) { client, _ in
                for path in ["..%2Foutside", "ws/..%2F..%2Foutside", "%2E%2E/outside", "linked", "bare", "missing", "ws%00", "ws//x", "ws/plugins"] {
                    let reply = try await client.post("/admin/workspaces/\(path)/plugins", body: body, headers: Self.auth)
                    #expect(reply.status == 404, "\(path): \(reply.status) \(reply.text)")
                }
                #expect(try await client.post("/admin/workspaces/ws/other", body: body, headers: Self.auth).status == 404)
                let notJSON = try await client.post("/admin/workspaces/ws/plugins", body: Data("name=review".utf8), headers: Self.auth)
                #expect(notJSON.status == 400)
                let badTrack = try JSONSerialization.data(withJSONObject: ["name": "review", "source": upstream.url, "track": "tag:^^1"])
                #expect(try await client.post("/admin/workspaces/ws/plugins", body: badTrack, headers: Self.auth).status == 400)
                let badName = try JSONSerialization.data(withJSONObject: ["name": "../x", "source": upstream.url, "track": "tag:latest"])
                #expect(try await client.post("/admin/workspaces/ws/plugins", body: badName, headers: Self.auth).status == 400)
            }
            #expect(snapshot(dir) == before)
        }
    }

    // MARK: - Metrics

    @Test func metricsArePrometheusTextWithHelpForEverySluiceFamily() async throws {
        try await withTemporaryFolder { dir in
            let fixture = try RootFixture(in: dir)
            try fixture.workspace("ws", "plugins: {}\n")
            try await RouteHarness.run(fixture) { client, service in
                let metrics = service.metrics
                metrics.recordPass(scope: "full", result: "ok", duration: .milliseconds(20), finished: Date())
                metrics.recordResolveFailure(source: "file:///gone.git")
                metrics.setSubscriptions([.inSync: 2])
                var backoff = SourceBackoff(interval: .seconds(300), cap: .seconds(3600))
                backoff.failed("file:///gone.git", at: .zero, reason: "gone")
                metrics.setBackoff(backoff, at: .zero, known: [])
                metrics.recordWebhook(endpoint: "gitea", result: "ignored")
                var applies = ApplyReport()
                applies.items = [ApplyReport.Item(file: "f.yaml", id: "f", workspace: "ws", plugin: "p", result: "applied", verdict: "hot", reason: nil)]
                metrics.recordApplies(applies)
                let reply = try await client.get("/metrics")
                #expect(reply.status == 200)
                #expect(reply.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                let lines = reply.text.split(separator: "\n").map(String.init)
                let typed = Set(lines.filter { $0.hasPrefix("# TYPE ") }.map { String($0.split(separator: " ")[2]) })
                #expect(typed == Set(ServiceMetrics.help.keys), "\(reply.text)")
                for (name, help) in ServiceMetrics.help {
                    #expect(!help.isEmpty)
                    #expect(lines.contains("# HELP \(name) \(help)"), "no HELP line for \(name)")
                }
                func value(_ series: String) -> Double? {
                    lines.first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
                }
                #expect(value(#"sluice_subscriptions{state="in-sync"}"#) == 2)
                #expect(value(#"sluice_subscriptions{state="pending"}"#) == 0)
            }
        }
    }
}
