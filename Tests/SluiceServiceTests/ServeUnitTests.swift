import Foundation
import Synchronization
import Testing
@testable import SluiceKit
@testable import SluiceService
import SluiceTestSupport

/// The service's pure parts: backoff, schedule, signatures, payloads, options.
@Suite struct ServeUnitTests {
    // MARK: - SourceBackoff

    @Test func failingSourceWaitsOneTwoFourIntervalsThenTheCap() {
        var backoff = SourceBackoff(interval: .seconds(300), cap: .seconds(3600))
        let waits = (1...7).map { _ in backoff.failed("file:///gone.git", at: .zero, reason: "gone") }
        #expect(waits == [.seconds(300), .seconds(600), .seconds(1200), .seconds(2400), .seconds(3600), .seconds(3600), .seconds(3600)])
        #expect(backoff.entries["file:///gone.git"]?.failures == 7)
        #expect(SourceBackoff.delay(failures: 200, interval: .seconds(300), cap: .seconds(3600)) == .seconds(3600))
        #expect(SourceBackoff.delay(failures: 0, interval: .seconds(300), cap: .seconds(3600)) == .zero)
    }

    @Test func oneFailureIsRetriedAtTheNextPassTwoSkipOne() {
        // Passes at 0, 100, 200, 300 (interval 100, jitter 10%: the next pass may start at 90).
        var backoff = SourceBackoff(interval: .seconds(100), cap: .seconds(3600), slack: .seconds(10))
        backoff.failed("s", at: .seconds(1), reason: "x")
        #expect(!backoff.isWaiting("s", at: .seconds(91)))
        backoff.failed("s", at: .seconds(92), reason: "x")
        #expect(backoff.isWaiting("s", at: .seconds(192)))
        #expect(backoff.waiting(at: .seconds(192)) == ["s"])
        #expect(!backoff.isWaiting("s", at: .seconds(292)))
        #expect(backoff.remaining("s", at: .seconds(192)) == .seconds(100))
    }

    @Test func successForgetsTheSourceAndUnsubscribedSourcesAreDropped() {
        var backoff = SourceBackoff(interval: .seconds(10), cap: .seconds(100))
        backoff.failed("a", at: .zero, reason: "x")
        backoff.failed("a", at: .zero, reason: "x")
        backoff.failed("b", at: .zero, reason: "y")
        backoff.succeeded("a")
        #expect(backoff.entries["a"] == nil)
        #expect(backoff.failed("a", at: .zero, reason: "x") == .seconds(10))
        backoff.keep(only: ["a"])
        #expect(backoff.entries.keys.sorted() == ["a"])
    }

    // MARK: - PassSchedule

    @Test func firstFullPassIsDueAtOnceAndTheNextAfterTheInterval() {
        var schedule = PassSchedule(interval: .seconds(300), jitter: 0.1, debounce: .seconds(1))
        #expect(schedule.take(at: .zero) == .full(requested: []))
        schedule.fullPassEnded(at: .seconds(2), random: 0.5)
        #expect(schedule.wake == .seconds(302))
        #expect(schedule.take(at: .seconds(301)) == nil)
        #expect(schedule.take(at: .seconds(302)) == .full(requested: []))
        schedule.fullPassEnded(at: .seconds(303), random: 0)
        #expect(schedule.wake == .seconds(573))
        schedule.fullPassEnded(at: .seconds(303), random: 1)
        #expect(schedule.wake == .seconds(633))
    }

    @Test func aSoakEndingBeforeTheIntervalGetsAPassOfItsOwn() {
        var schedule = PassSchedule(interval: .seconds(300), jitter: 0, debounce: .seconds(1))
        _ = schedule.take(at: .zero)
        schedule.fullPassEnded(at: .seconds(2), random: 0.5, soakEndsIn: .seconds(40))
        #expect(schedule.wake == .seconds(42))
        #expect(schedule.take(at: .seconds(42)) == .full(requested: []))
        // A soak ending after the interval changes nothing.
        schedule.fullPassEnded(at: .seconds(43), random: 0.5, soakEndsIn: .seconds(4000))
        #expect(schedule.wake == .seconds(343))
    }

    @Test func aLoneWebhookPassesAtOnceAndABurstIsMergedIntoOneMorePass() {
        var schedule = PassSchedule(interval: .seconds(300), jitter: 0, debounce: .seconds(1))
        _ = schedule.take(at: .zero)
        schedule.fullPassEnded(at: .zero, random: 0.5)
        schedule.request(["a"])
        #expect(schedule.wake == .zero)
        #expect(schedule.take(at: .seconds(10)) == .scoped(["a"]))
        schedule.request(["b"])
        schedule.request(["c", "b"])
        #expect(schedule.take(at: .milliseconds(10_500)) == nil)
        #expect(schedule.wake == .seconds(11))
        #expect(schedule.take(at: .seconds(11)) == .scoped(["b", "c"]))
        #expect(schedule.take(at: .seconds(12)) == nil)
    }

    @Test func aDueFullPassTakesTheRequestedSourcesWithIt() {
        var schedule = PassSchedule(interval: .seconds(300), jitter: 0, debounce: .seconds(1))
        _ = schedule.take(at: .zero)
        schedule.fullPassEnded(at: .zero, random: 0.5)
        #expect(schedule.take(at: .seconds(5)) == nil)
        schedule.request(["a"])
        #expect(schedule.take(at: .seconds(300)) == .full(requested: ["a"]))
        #expect(schedule.requested.isEmpty)
    }

    // MARK: - Signatures and payloads

    @Test func giteaHexAndGitHubPrefixedSignaturesAreAcceptedOthersRefused() {
        let body = Data(#"{"ref":"v1.0.0"}"#.utf8)
        let verifier = WebhookSignature(secret: "s3cret")
        let hex = verifier.sign(body)
        #expect(hex.count == 64)
        #expect(verifier.isValid(hex, body: body))
        #expect(verifier.isValid("sha256=" + hex, body: body))
        #expect(verifier.isValid(hex.uppercased(), body: body))
        #expect(!verifier.isValid(nil, body: body))
        #expect(!verifier.isValid("", body: body))
        #expect(!verifier.isValid("sha1=" + hex, body: body))
        #expect(!verifier.isValid(String(hex.dropLast(2)), body: body))
        #expect(!verifier.isValid(WebhookSignature(secret: "other").sign(body), body: body))
        #expect(!verifier.isValid(hex, body: body + Data(" ".utf8)))
        #expect(!verifier.isValid(String(repeating: "z", count: 64), body: body))
    }

    @Test func bearerTokenNeedsTheExactToken() {
        let token = BearerToken("t0ken")
        #expect(token.accepts(authorization: "Bearer t0ken"))
        #expect(token.accepts(authorization: "bearer t0ken"))
        #expect(!token.accepts(authorization: nil))
        #expect(!token.accepts(authorization: "Bearer t0ke"))
        #expect(!token.accepts(authorization: "Bearer t0kenn"))
        #expect(!token.accepts(authorization: "Basic t0ken"))
        #expect(!token.accepts(authorization: "t0ken"))
    }

    @Test func payloadsGiveTheKindAndEveryRepositoryURL() throws {
        let create = try WebhookEvent.parse(event: "create", body: Data(#"""
            {"ref":"v1.2.0","ref_type":"tag","repository":{"clone_url":"https://git.example.com/org/review.git",
             "ssh_url":"git@git.example.com:org/review.git","html_url":"https://git.example.com/org/review"}}
            """#.utf8))
        #expect(create.kind == .tag("v1.2.0"))
        #expect(create.repositoryURLs == ["https://git.example.com/org/review.git", "git@git.example.com:org/review.git", "https://git.example.com/org/review.git"])
        let branch = try WebhookEvent.parse(event: "create", body: Data(#"{"ref":"feature","ref_type":"branch","repository":{}}"#.utf8))
        #expect(branch.kind == .ignored("create of a branch"))
        let push = try WebhookEvent.parse(event: nil, body: Data(#"{"ref":"refs/heads/main","before":"0","repository":{"clone_url":"x"}}"#.utf8))
        #expect(push.kind == .push("refs/heads/main"))
        #expect(try WebhookEvent.parse(event: "ping", body: Data("{}".utf8)).kind == .ping)
        #expect(throws: ServiceError.self) { try WebhookEvent.parse(event: "push", body: Data("not json".utf8)) }
    }

    @Test(arguments: [
        ("https://git.example.com/org/review", true), ("https://git.example.com/org/review.git", true),
        ("https://git.example.com/org/review/", true), ("git@git.example.com:org/review.git", true),
        ("https://git.example.com/org/review-two.git", false), ("https://other.example.com/org/review.git", false),
    ])
    func sourcesMatchAfterTrimmingGitAndSlash(source: String, matches: Bool) {
        let event = WebhookEvent(kind: .tag("v1"), repositoryURLs: ["https://git.example.com/org/review.git", "git@git.example.com:org/review.git"])
        #expect(event.matching([source]) == (matches ? [source] : []))
    }

    // MARK: - Options

    @Test func listenAcceptsHostPortV6AndPortZero() throws {
        #expect(try ServeConfiguration.parseListen("127.0.0.1:8735") == ("127.0.0.1", 8735))
        #expect(try ServeConfiguration.parseListen("[::1]:0") == ("::1", 0))
        #expect(try ServeConfiguration.parseListen(":9000") == ("127.0.0.1", 9000))
        for bad in ["8735", "host", "host:", "host:70000", "::1:80", "host:-1"] {
            #expect(throws: ServiceError.self) { try ServeConfiguration.parseListen(bad) }
        }
    }

    @Test func secretComesFromTheFileFirstThenTheEnvironment() async throws {
        try await withTemporaryFolder { dir in
            try writeFile(dir + "/secret", "from-file\n")
            #expect(try ServeConfiguration.secret(file: dir + "/secret", variable: "V", environment: ["V": "from-env"]) == "from-file")
            #expect(try ServeConfiguration.secret(file: nil, variable: "V", environment: ["V": " from-env "]) == "from-env")
            #expect(try ServeConfiguration.secret(file: nil, variable: "V", environment: [:]) == nil)
            #expect(throws: ServiceError.self) { try ServeConfiguration.secret(file: dir + "/missing", variable: "V", environment: [:]) }
            try writeFile(dir + "/empty", "\n")
            #expect(throws: ServiceError.self) { try ServeConfiguration.secret(file: dir + "/empty", variable: "V", environment: [:]) }
            #expect(throws: ServiceError.self) { try ServeConfiguration.secret(file: nil, variable: "V", environment: ["V": ""]) }
        }
    }

    /// A log line that cannot be written is counted and shown on /metrics, never a crash.
    @Test func droppedLogLinesAreCountedInTheMetrics() throws {
        let saved = dup(STDERR_FILENO)
        let full = open("/dev/full", O_WRONLY)
        try #require(saved >= 0 && full >= 0)
        let before = StandardStream.failedWrites(.error)
        dup2(full, STDERR_FILENO)
        let written = StandardStream.write("lost\n", to: .error)
        dup2(saved, STDERR_FILENO)
        close(full)
        close(saved)
        #expect(!written)
        #expect(StandardStream.failedWrites(.error) > before)
        let text = ServiceMetrics().render()
        let line = text.split(separator: "\n").first { $0.hasPrefix("sluice_log_lines_dropped ") }
        let value = line.flatMap { Double($0.split(separator: " ").last ?? "") }.map { Int($0) } ?? -1
        #expect(value >= before + 1, "\(line ?? "no sluice_log_lines_dropped line")")
    }

    // MARK: - Status file

    @Test func statusFileIsStaleWhenItsProcessIsGoneOrItIsOlderThanTwoIntervals() {
        let updated = Date(timeIntervalSince1970: 1_800_000_000)
        let status = ServeStatus(pid: 4242, started: Timestamp.string(updated), updated: Timestamp.string(updated), listen: "127.0.0.1:8735",
                                 ready: true, apply: true, intervalSeconds: 300, passes: 1, lastPass: nil, sources: [])
        #expect(status.staleness(now: updated.addingTimeInterval(600), isRunning: { _ in true }) == nil)
        #expect(status.staleness(now: updated.addingTimeInterval(601), isRunning: { _ in true })
            == "not updated since \(Timestamp.string(updated)), more than two intervals (2 × 300 s) ago")
        #expect(status.staleness(now: updated, isRunning: { $0 != 4242 })?.hasPrefix("the service (pid 4242) is not running") == true)
        #expect(status.checked(now: updated, isRunning: { _ in true }).stale == false)
        #expect(status.checked(now: updated, isRunning: { _ in false }).stale == true)
        #expect(ServeStatus.isRunning(getpid()))
        #expect(!ServeStatus.isRunning(0))
    }

    @Test func startLineNamesTheBoundPortAndTheEndpointsThatAreOff() {
        var configuration = ServeConfiguration()
        configuration.port = 0
        #expect(configuration.startLine(port: 41234, root: "/srv/ws") == "sluice serve: listening on http://127.0.0.1:41234, root /srv/ws, shard all, interval 300 s, apply on; "
            + "disabled: webhooks (no secret: /hooks/* answer 503), admin API (no token: /admin/* answer 503)")
        configuration.webhookSecret = "s"
        configuration.adminToken = "t"
        configuration.apply = false
        configuration.host = "::1"
        #expect(configuration.startLine(port: 8735, root: "/r").hasSuffix("http://[::1]:8735, root /r, shard all, interval 300 s, apply off; disabled: none"))
    }

    // MARK: - Apply lane

    /// An apply runs in the lane's task: a request dropped at the shutdown deadline (its task
    /// cancelled) does not cut it short, and the lane finishes submitted work before it stops.
    @Test func aLaneJobOutlivesItsCancelledRequesterAndTheLaneDrainsOnFinish() async throws {
        final class Flag: Sendable {
            let value = Mutex(false)
        }
        let lane = ApplyLane()
        let finished = Flag()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await lane.run() }
            let value = await withTaskGroup(of: Int?.self) { requests in
                requests.addTask {
                    try? await lane.perform {
                        try await Task.sleep(for: .milliseconds(300))
                        finished.value.withLock { $0 = true }
                        return 1
                    }
                }
                try? await Task.sleep(for: .milliseconds(50))
                requests.cancelAll()
                return await requests.next() ?? nil
            }
            #expect(value == 1)
            #expect(finished.value.withLock { $0 })
            lane.finish()
            try await group.waitForAll()
        }
        await #expect(throws: ServiceError.self) { try await lane.perform { 2 } }
    }
}
