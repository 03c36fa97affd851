import Foundation
import Logging
import Testing
@testable import SluiceKit
import SluiceTestSupport
@testable import SluiceService

/// `notify`: the webhook POST against a real listener on 127.0.0.1, and the after-queue command
/// through the built `sluice` binary, with real git and real files.
@Suite struct NotifyTests {
    /// A `sluice.yaml` allowing local sources, with `notify` lines (already indented under it).
    static func config(_ notify: String) -> String {
        "sources:\n  transports: [file, git, https, ssh]\nnotify:\n" + notify
    }

    /// `review` v1.0.0 installed in `ws`, and v1.1.0 released: the next pass queues one update.
    static func drifted(_ dir: String, notify: String) async throws -> Scenario {
        try await Scenario.make(in: dir, releases: [("v1.0.0", [:]), ("v1.1.0", [:])], installed: "v1.0.0", config: config(notify))
    }

    /// Runs `body` while `listener` answers with `answers`; returns what it got.
    static func exchange<T: Sendable>(_ listener: WebhookListener, answers: [Int], _ body: () async throws -> T) async throws -> (T, [WebhookListener.Request]) {
        async let requests = listener.serve(answers: answers)
        let value: T
        do {
            value = try await body()
        } catch {
            listener.stop()
            _ = try await requests
            throw error
        }
        listener.stop()
        return (value, try await requests)
    }

    // MARK: - Webhook

    @Test func passThatQueuedPostsOneSignedPayloadWithATextLine() async throws {
        try await withTemporaryFolder { dir in
            let listener = try WebhookListener()
            let scenario = try await Self.drifted(dir, notify: "  webhook:\n    url: \(listener.url)\n    secretFile: notify.secret\n")
            let root = scenario.fixture.root
            try writeFile(root + "/notify.secret", "s3cret-for-tests\n")
            let (report, received) = try await Self.exchange(listener, answers: [200]) { try await scenario.fixture.reconcile() }
            #expect(report.queued.count == 1)
            #expect(received.count == 1)
            let request = try #require(received.first)
            #expect(request.method == "POST")
            #expect(request.path == "/hook")
            #expect(request.headers["content-type"] == "application/json")
            #expect(request.headers["x-sluice-event"] == "queue")
            let signature = try #require(request.headers["x-sluice-signature"])
            #expect(signature.hasPrefix("sha256="))
            #expect(WebhookSignature(secret: "s3cret-for-tests").isValid(signature, body: request.body))
            #expect(!WebhookSignature(secret: "another").isValid(signature, body: request.body))

            let json = try request.json()
            #expect(json["text"] as? String == "sluice: 1 update queued in \(root) — run `sluice pending`")
            #expect(json["event"] as? String == "queue")
            #expect(json["root"] as? String == root)
            #expect(json["counts"] as? [String: Int] == ["queued": 1, "replaced": 0, "withdrawn": 0])
            let changes = try #require(json["changes"] as? [[String: Any]])
            #expect(changes.count == 1)
            let change = try #require(changes.first)
            #expect(change["change"] as? String == "queued")
            #expect(change["id"] as? String == report.queued.first)
            #expect(change["workspace"] as? String == "ws")
            #expect(change["plugin"] as? String == "review")
            #expect(change["kind"] as? String == "update")
            let (v1, v2) = (try scenario["v1.0.0"], try scenario["v1.1.0"])
            #expect((change["from"] as? [String: Any])?["sha"] as? String == v1)
            #expect((change["to"] as? [String: Any])?["sha"] as? String == v2)
            #expect((change["to"] as? [String: Any])?["ref"] as? String == "v1.1.0")
        }
    }

    @Test func a500IsRetriedAndThenDelivered() async throws {
        try await withTemporaryFolder { dir in
            let listener = try WebhookListener()
            let scenario = try await Self.drifted(dir, notify: "  webhook:\n    url: \(listener.url)\n")
            let (report, received) = try await Self.exchange(listener, answers: [500, 200]) { try await scenario.fixture.reconcile() }
            #expect(report.queued.count == 1)
            #expect(received.count == 2)
            #expect(received.first?.body == received.last?.body)
            #expect(received.first?.headers["x-sluice-signature"] == nil)
        }
    }

    @Test func a400IsNotRetriedAndDoesNotFailThePass() async throws {
        try await withTemporaryFolder { dir in
            let listener = try WebhookListener()
            let scenario = try await Self.drifted(dir, notify: "  webhook:\n    url: \(listener.url)\n    retries: 3\n")
            // The pass waits for its notification, so every attempt is over when it returns.
            let (report, received) = try await Self.exchange(listener, answers: [400]) { try await scenario.fixture.reconcile() }
            #expect(!report.hasFailures)
            #expect(report.queued.count == 1)
            #expect(received.count == 1)
        }
    }

    @Test func aListenerThatNeverAnswersCostsAtMostTheBudgetAndFailsNothing() async throws {
        try await withTemporaryFolder { dir in
            let silent = try SilentListener()
            let url = "http://127.0.0.1:\(silent.port)/hook"
            let scenario = try await Self.drifted(dir, notify: "  webhook:\n    url: \(url)\n    timeout: 1s\n    retries: 3\n")
            let report = try await scenario.fixture.reconcile()
            #expect(!report.hasFailures)
            #expect(report.queued.count == 1)
            #expect(listFolder(scenario.fixture.folder(.pending)).count == 1)

            // The sender alone, timed: one budget, however many retries are allowed.
            var webhook = NotifyConfig.Webhook(url: try #require(URL(string: url)))
            webhook.timeout = .seconds(1)
            webhook.retries = 3
            let payload = NotificationPayload(event: .queue, root: scenario.fixture.root, changes: [.init(change: "queued", id: "x", workspace: "ws", plugin: "review")])
            let sendStarted = ContinuousClock.now
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let delivered = await WebhookSender(webhook: webhook, root: scenario.fixture.root, logger: logger).send(payload)
            let sent = ContinuousClock.now - sendStarted
            #expect(!delivered)
            // Four attempts of 1 s each would take 4 s and more; one budget is 1 s.
            #expect(sent < .milliseconds(2500), "the notification took \(sent) with a 1 s budget")
            #expect(sent >= .milliseconds(900), "the notification gave up after \(sent), before its budget")
        }
    }

    @Test func aPassThatChangesNothingNotifiesNobody() async throws {
        try await withTemporaryFolder { dir in
            let listener = try WebhookListener()
            let marker = dir + "/ran"
            let scenario = try await Self.drifted(dir, notify: "  afterQueue: 'echo ran >> \(marker)'\n  webhook:\n    url: \(listener.url)\n    timeout: 2s\n")
            let (_, first) = try await Self.exchange(listener, answers: [200]) { try await scenario.fixture.reconcile() }
            #expect(first.count == 1)
            #expect(try readFile(marker) == "ran\n")
            let second = try await scenario.fixture.reconcile()
            #expect(second.queued.isEmpty && second.replaced.isEmpty && second.withdrawn.isEmpty)
            #expect(second.unchanged == 1)
            #expect(!listener.hasWaitingConnection)
            #expect(try readFile(marker) == "ran\n")
        }
    }

    /// A drifted root with `notify`: one reconcile pass, every pending file approved, one apply
    /// run, while `listener` answers 200; returns what it received.
    static func reconcileApproveApply(_ dir: String, listener: WebhookListener, notify: String) async throws -> (RootFixture, ApplyReport, [WebhookListener.Request]) {
        let fixture = try await drifted(dir, notify: notify).fixture
        let (report, received) = try await exchange(listener, answers: [200]) { () async throws -> ApplyReport in
            try await fixture.reconcile()
            try fixture.approveAll()
            return try await fixture.apply()
        }
        return (fixture, report, received)
    }

    @Test func applyOutcomesArePostedWhenOnListsApply() async throws {
        try await withTemporaryFolder { dir in
            let listener = try WebhookListener()
            let (fixture, report, received) = try await Self.reconcileApproveApply(dir, listener: listener, notify: "  on: [queue, apply]\n  webhook:\n    url: \(listener.url)\n")
            #expect(report.items.map(\.result) == ["applied"])
            #expect(received.count == 2)
            #expect(received.map { $0.headers["x-sluice-event"] } == ["queue", "apply"])
            let json = try #require(try received.last?.json())
            #expect(json["event"] as? String == "apply")
            #expect(json["text"] as? String == "sluice: 1 update applied in \(fixture.root)")
            #expect(json["counts"] as? [String: Int] == ["applied": 1, "failed": 0])
            let change = try #require((json["changes"] as? [[String: Any]])?.first)
            #expect(change["change"] as? String == "applied")
            #expect(change["workspace"] as? String == "ws")
            #expect(change["plugin"] as? String == "review")
            #expect(change["id"] as? String == report.items.first?.id)
            #expect(change["verdict"] as? String == report.items.first?.verdict)
        }
    }

    @Test func applyIsNotPostedByDefault() async throws {
        try await withTemporaryFolder { dir in
            let listener = try WebhookListener()
            let (_, report, received) = try await Self.reconcileApproveApply(dir, listener: listener, notify: "  webhook:\n    url: \(listener.url)\n")
            #expect(report.items.map(\.result) == ["applied"])
            #expect(received.map { $0.headers["x-sluice-event"] } == ["queue"])
            #expect(!listener.hasWaitingConnection)
        }
    }

    @Test func servePassesAndAppliesNotifyToo() async throws {
        try await withTemporaryFolder { dir in
            let listener = try WebhookListener()
            let scenario = try await Self.drifted(dir, notify: "  on: [queue, apply]\n  webhook:\n    url: \(listener.url)\n")
            let fixture = scenario.fixture
            let (_, received) = try await Self.exchange(listener, answers: [200]) {
                try await ServeHarness.run(fixture) { _, server in
                    try await ServeHarness.waitForPasses(server, 1)
                    let pending = try #require(try fixture.record(.pending, workspace: "ws", plugin: "review"))
                    try fixture.move(pending.fileName, from: .pending, to: .approved)
                    #expect(await eventually(within: 20) { listFolder(fixture.folder(.applied)) == [pending.fileName] })
                    // The apply run posts before it returns, and is counted when it returns.
                    #expect(await eventually(within: 20) { server.service.metrics.render().contains(#"sluice_applies_total{outcome="applied""#) })
                }
            }
            #expect(received.map { $0.headers["x-sluice-event"] } == ["queue", "apply"])
        }
    }

    @Test func logsShowTheURLWithoutItsCredentials() async throws {
        try await withTemporaryFolder { dir in
            let port = try Loopback.freePort()
            let scenario = try await Self.drifted(dir, notify: "  webhook:\n    url: http://bot:hunter2@127.0.0.1:\(port)/hook\n    timeout: 1s\n    retries: 0\n")
            let result = try await Shell.sluice(["reconcile", "--root", scenario.fixture.root])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("webhook not delivered"), "\(result.stderr)")
            #expect(result.stderr.contains("http://***@127.0.0.1:\(port)/hook"), "\(result.stderr)")
            #expect(!result.stderr.contains("hunter2"), "\(result.stderr)")
        }
    }

    @Test func anUnreadableSecretFileSendsNothingRatherThanUnsigned() async throws {
        try await withTemporaryFolder { dir in
            let listener = try WebhookListener()
            let scenario = try await Self.drifted(dir, notify: "  webhook:\n    url: \(listener.url)\n    secretFile: missing.secret\n")
            let report = try await scenario.fixture.reconcile()
            #expect(report.queued.count == 1)
            #expect(!report.hasFailures)
            #expect(!listener.hasWaitingConnection)
        }
    }

    // MARK: - After-queue command

    @Test func afterQueueCommandGetsTheChangesOnStandardInputAndCountsInItsEnvironment() async throws {
        try await withTemporaryFolder { dir in
            let command = #"cat > ../stdin.json && env | grep '^SLUICE_' | sort > ../env.txt"#
            let scenario = try await Self.drifted(dir, notify: "  afterQueue: \"\(command)\"\n")
            let result = try await Shell.sluice(["reconcile", "--root", scenario.fixture.root])
            #expect(result.status == 0, "\(result.stderr)")
            let payload = try JSONSerialization.jsonObject(with: Data(try readFile(dir + "/stdin.json").utf8)) as? [String: Any]
            #expect(payload?["event"] as? String == "queue")
            #expect(payload?["text"] as? String == "sluice: 1 update queued in \(scenario.fixture.root) — run `sluice pending`")
            let change = try #require((payload?["changes"] as? [[String: Any]])?.first)
            #expect(change["change"] as? String == "queued")
            #expect(change["workspace"] as? String == "ws")
            #expect(change["plugin"] as? String == "review")
            let v2 = try scenario["v1.1.0"]
            #expect((change["to"] as? [String: Any])?["sha"] as? String == v2)
            let environment = try readFile(dir + "/env.txt").split(separator: "\n").map(String.init)
            #expect(environment.contains("SLUICE_QUEUED=1"))
            #expect(environment.contains("SLUICE_REPLACED=0"))
            #expect(environment.contains("SLUICE_WITHDRAWN=0"))
            #expect(environment.contains("SLUICE_EVENT=queue"))
            #expect(environment.contains("SLUICE_ROOT=\(scenario.fixture.root)"))
        }
    }

    @Test func failingAfterQueueCommandIsLoggedAndReconcileStillExitsZero() async throws {
        try await withTemporaryFolder { dir in
            let scenario = try await Self.drifted(dir, notify: "  afterQueue: 'echo boom-from-the-hook >&2; exit 3'\n")
            let result = try await Shell.sluice(["reconcile", "--root", scenario.fixture.root])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("after-queue command failed"), "\(result.stderr)")
            #expect(result.stderr.contains("boom-from-the-hook"), "\(result.stderr)")
            #expect(listFolder(scenario.fixture.folder(.pending)).count == 1)
        }
    }

    @Test func afterQueueCommandPastItsTimeoutIsStoppedAndLogged() async throws {
        try await withTemporaryFolder { dir in
            let scenario = try await Self.drifted(dir, notify: "  afterQueue: 'sleep 30'\n  afterQueueTimeout: 1s\n")
            let started = ContinuousClock.now
            let result = try await Shell.sluice(["reconcile", "--root", scenario.fixture.root])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(ContinuousClock.now - started < .seconds(20))
            #expect(result.stderr.contains("after-queue command failed"), "\(result.stderr)")
            #expect(result.stderr.contains("timed out"), "\(result.stderr)")
        }
    }
}
