import Foundation
import Testing
@testable import SluiceKit

/// `notify` in `sluice.yaml`, the notification's payload and the webhook's retry policy: pure
/// logic, no I/O.
@Suite struct NotifyConfigTests {
    /// The diagnostics of a `sluice.yaml` that must be refused.
    private func problems(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [Diagnostic] {
        do throws(ValidationError) {
            let config = try SluiceConfig.parse(text, file: SluiceConfig.fileName)
            Issue.record("expected the config to be refused, parsed \(config.notify)", sourceLocation: sourceLocation)
            return []
        } catch {
            return error.diagnostics
        }
    }

    @Test func everyNotifyKeyParsesWithAPlainOnKey() throws {
        let config = try SluiceConfig.parse("""
            notify:
              afterQueue: ./notify.sh
              on: [queue, apply]
              webhook:
                url: https://chat.example.com/hooks/abc
                secretFile: notify.secret
                timeout: 30s
                retries: 1
            """, file: SluiceConfig.fileName)
        #expect(config.notify.afterQueue == "./notify.sh")
        #expect(config.notify.on == [.queue, .apply])
        let webhook = try #require(config.notify.webhook)
        #expect(webhook.url.absoluteString == "https://chat.example.com/hooks/abc")
        #expect(webhook.secretFile == "notify.secret")
        #expect(webhook.timeout == .seconds(30))
        #expect(webhook.retries == 1)
    }

    @Test func theSpecExampleParses() throws {
        let spec = try String(contentsOfFile: SourceLayoutTests.package + "/spec/formats.md", encoding: .utf8)
        let section = try #require(spec.range(of: "### notify\n"))
        let open = try #require(spec.range(of: "```yaml\n", range: section.upperBound..<spec.endIndex))
        let close = try #require(spec.range(of: "```", range: open.upperBound..<spec.endIndex))
        let config = try SluiceConfig.parse(String(spec[open.upperBound..<close.lowerBound]), file: "spec/formats.md")
        #expect(config.notify.afterQueue == "/usr/local/bin/page-approvers")
        #expect(config.notify.afterQueueTimeout == .seconds(60))
        #expect(config.notify.on == [.queue, .apply])
        #expect(config.notify.webhook?.secretFile == "notify.secret")
        #expect(config.notify.webhook?.timeout == .seconds(10))
    }

    @Test func webhookDefaultsAreTenSecondsThreeRetriesAndQueueOnly() throws {
        let config = try SluiceConfig.parse("notify:\n  webhook:\n    url: http://127.0.0.1:9/hook\n", file: SluiceConfig.fileName)
        let webhook = try #require(config.notify.webhook)
        #expect(webhook.timeout == .seconds(10))
        #expect(webhook.retries == 3)
        #expect(webhook.secretFile == nil)
        #expect(config.notify.on == [.queue])
        #expect(config.notify.wants(.queue))
        #expect(!config.notify.wants(.apply))
        #expect(!SluiceConfig.standard.notify.wants(.queue))
    }

    @Test func afterQueueAloneListensToQueueOnly() throws {
        let config = try SluiceConfig.parse("notify:\n  afterQueue: 'true'\n  on: [apply]\n", file: SluiceConfig.fileName)
        #expect(config.notify.wants(.queue))
        #expect(!config.notify.wants(.apply))
    }

    @Test(arguments: [
        ("ftp://files.example.com/hook", "scheme 'ftp'"),
        ("file:///etc/passwd", "scheme 'file'"),
        ("chat.example.com/hook", "http or https URL"),
        ("https:///nohost", "must name a host"),
    ])
    func webhookURLOtherThanHTTPIsRefusedWhereItIs(url: String, expected: String) {
        let found = problems("notify:\n  webhook:\n    url: \(url)\n")
        #expect(found.count == 1)
        #expect(found.first?.line == 3)
        #expect(found.first?.column == 10)
        #expect(found.first?.message.contains(expected) == true, "\(found)")
    }

    @Test func refusedURLNeverShowsItsPassword() {
        let found = problems("notify:\n  webhook:\n    url: gopher://bot:hunter2@chat.example.com/hook\n")
        #expect(found.count == 1)
        #expect(found.first?.message.contains("hunter2") == false, "\(found)")
    }

    @Test func unknownNotifyKeysAreLocated() {
        let found = problems("notify:\n  afterQueue: x\n  webhook:\n    url: https://chat.example.com/h\n    secret: abc\n  onn: [queue]\n")
        #expect(found.map(\.line) == [5, 6])
        #expect(found.first?.message.contains("unknown key 'secret' in notify.webhook") == true, "\(found)")
        #expect(found.last?.message.contains("unknown key 'onn' in notify") == true, "\(found)")
    }

    @Test(arguments: ["10", "0", "0s", "11m", "ten", "'[1]'"])
    func badWebhookTimeoutIsLocated(timeout: String) {
        let found = problems("notify:\n  webhook:\n    url: https://chat.example.com/h\n    timeout: \(timeout)\n")
        #expect(found.count == 1)
        #expect(found.first.map { ($0.line, $0.column) } ?? (0, 0) == (4, 14))
        #expect(found.first?.message.contains("notify.webhook.timeout must be a duration") == true, "\(found)")
    }

    @Test func otherNotifyMistakesAreLocated() {
        let found = problems("""
            notify:
              on: [queue, deploy]
              webhook:
                secretFile: /etc/secret
                retries: 99
            """)
        let messages = found.map { "\($0.line):\($0.column): \($0.message)" }
        #expect(found.count == 4, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("2:15:") && $0.contains("unknown event 'deploy'") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("4:17:") && $0.contains("secretFile must be relative to the root") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("5:14:") && $0.contains("retries must be between 0 and 10") }, "\(messages)")
        #expect(messages.contains { $0.contains("notify.webhook needs a url") }, "\(messages)")
    }

    @Test func queueLineCountsWhatChangedAndSaysWhatToRun() {
        let ref = RefPoint(ref: "v1.1.0", sha: String(repeating: "a", count: 40))
        let changes: [NotificationPayload.Change] = [
            .init(change: "queued", id: "a", workspace: "a", plugin: "p", to: ref),
            .init(change: "queued", id: "b", workspace: "b", plugin: "p", to: ref, warning: "retag"),
            .init(change: "queued", id: "c", workspace: "c", plugin: "p", to: ref),
            .init(change: "replaced", id: "d", workspace: "d", plugin: "p", to: ref),
        ]
        let payload = NotificationPayload(event: .queue, root: "/srv/root", changes: changes)
        #expect(payload.text == "sluice: 3 updates queued, 1 replaced (1 with a warning) in /srv/root — run `sluice pending`")
        #expect(payload.counts == ["queued": 3, "replaced": 1, "withdrawn": 0])
        let withdrawn = NotificationPayload(event: .queue, root: "/r", changes: [.init(change: "withdrawn", id: "x", workspace: "w", plugin: "p")])
        #expect(withdrawn.text == "sluice: 1 update withdrawn in /r")
    }

    @Test func applyLineCountsAppliedAndFailed() {
        let payload = NotificationPayload(event: .apply, root: "/srv/root", changes: [
            .init(change: "applied", id: "a", workspace: "a", plugin: "p", verdict: "hot"),
            .init(change: "applied", id: "b", workspace: "b", plugin: "p", verdict: "restart"),
            .init(change: "failed", id: "c", workspace: "c", plugin: "p", reason: "modified locally"),
        ])
        #expect(payload.text == "sluice: 2 updates applied, 1 failed in /srv/root — run `sluice status`; failed updates are in failed/")
        #expect(payload.counts == ["applied": 2, "failed": 1])
    }

    @Test(arguments: [
        (1, WebhookRetry.Attempt.status(200), WebhookRetry.Decision.delivered),
        (1, .status(204), .delivered),
        (1, .status(500), .retry(after: .milliseconds(500))),
        (2, .status(503), .retry(after: .seconds(1))),
        (3, .connectionError, .retry(after: .seconds(2))),
        (4, .status(500), .giveUp),
        (1, .status(400), .giveUp),
        (1, .status(404), .giveUp),
        (1, .status(429), .giveUp),
        (1, .status(301), .giveUp),
    ])
    func retriesFollowConnectionErrorsAnd5xxOnly(attempt: Int, result: WebhookRetry.Attempt, expected: WebhookRetry.Decision) {
        #expect(WebhookRetry(retries: 3).decide(attempt: attempt, result: result, remaining: .seconds(10)) == expected)
    }

    @Test func noRetryWhoseWaitOutlastsTheBudget() {
        let retry = WebhookRetry(retries: 3)
        #expect(retry.decide(attempt: 1, result: .status(500), remaining: .milliseconds(400)) == .giveUp)
        #expect(retry.decide(attempt: 1, result: .connectionError, remaining: .milliseconds(600)) == .retry(after: .milliseconds(500)))
        #expect(WebhookRetry(retries: 0).decide(attempt: 1, result: .status(502), remaining: .seconds(10)) == .giveUp)
    }
}
