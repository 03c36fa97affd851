import Crypto
import Foundation
import Logging

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Posts a ``NotificationPayload`` to `notify.webhook`, signed when a secret is configured,
/// with bounded retries inside one time budget.
///
/// The engine has no HTTP stack of its own: the POST goes through Foundation's `URLSession`
/// (libcurl on Linux), which also speaks https (see spec/dependencies.md).
public struct WebhookSender: Sendable {
    /// The header that carries `sha256=<hex>`, the HMAC-SHA256 of the body.
    public static let signatureHeader = "X-Sluice-Signature"
    /// The header that names the event (`queue` or `apply`).
    public static let eventHeader = "X-Sluice-Event"

    /// Where and how to post.
    public let webhook: NotifyConfig.Webhook
    /// The root, against which `secretFile` is read.
    public let root: String
    /// Where events go; the secret never does, and the URL only redacted.
    public let logger: Logger
    /// When to try again.
    public var retry: WebhookRetry

    /// Creates a sender.
    public init(webhook: NotifyConfig.Webhook, root: String, logger: Logger) {
        self.webhook = webhook
        self.root = root
        self.logger = logger
        self.retry = WebhookRetry(retries: webhook.retries)
    }

    /// The lowercase hex HMAC-SHA256 of `body` under `secret`, as `X-Sluice-Signature` carries
    /// it after `sha256=` (the scheme of GitHub's `X-Hub-Signature-256`).
    public static func signature(of body: some DataProtocol, secret: String) -> String {
        HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8))).map { String(format: "%02x", $0) }.joined()
    }

    /// Posts `payload`, retrying connection errors and 5xx answers, never for longer than
    /// the webhook's timeout in all.
    ///
    /// - Returns: Whether a 2xx answer came back. A failure is logged, never thrown: a
    ///   notification never fails what it reports on.
    @discardableResult
    public func send(_ payload: NotificationPayload) async -> Bool {
        let deadline = ContinuousClock.now + webhook.timeout
        var meta: Logger.Metadata = ["notify.url": "\(SourceURL.redacted(webhook.url.absoluteString))", "notify.event": "\(payload.event.rawValue)"]
        let body: Data
        do {
            body = try payload.json()
        } catch {
            meta["notify.error"] = "cannot encode the payload: \(error)"
            logger.warning("webhook not sent", metadata: meta)
            return false
        }
        var request = URLRequest(url: webhook.url)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("sluice", forHTTPHeaderField: "User-Agent")
        request.setValue(payload.event.rawValue, forHTTPHeaderField: Self.eventHeader)
        if let secretFile = webhook.secretFile {
            switch readSecret(secretFile) {
            case .success(let secret):
                request.setValue("sha256=" + Self.signature(of: body, secret: secret), forHTTPHeaderField: Self.signatureHeader)
            case .failure(let problem):
                meta["notify.error"] = "\(problem)"
                logger.warning("webhook not sent", metadata: meta)
                return false
            }
        }
        var attempt = 1
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else {
                meta["notify.error"] = "no time left in the \(webhook.timeout.components.seconds) s budget"
                logger.warning("webhook not delivered", metadata: meta)
                return false
            }
            meta["notify.attempt"] = "\(attempt)"
            let (result, detail) = await post(request, within: remaining)
            switch retry.decide(attempt: attempt, result: result, remaining: deadline - ContinuousClock.now) {
            case .delivered:
                meta["notify.status"] = "\(detail)"
                logger.info("webhook delivered", metadata: meta)
                return true
            case .retry(let wait):
                meta["notify.error"] = "\(detail)"
                logger.info("webhook attempt failed; trying again", metadata: meta.merging(["notify.wait": "\(wait)"]) { $1 })
                do {
                    try await Task.sleep(for: wait)
                } catch {
                    logger.warning("webhook not delivered: cancelled", metadata: meta)
                    return false
                }
                attempt += 1
            case .giveUp:
                meta["notify.error"] = "\(detail)"
                logger.warning("webhook not delivered", metadata: meta)
                return false
            }
        }
    }

    /// One attempt, with `remaining` as its whole time limit; returns what it got and a line
    /// for the log (an HTTP status, or the connection error without the URL).
    private func post(_ request: URLRequest, within remaining: Duration) async -> (WebhookRetry.Attempt, String) {
        // URLSession on Linux keeps whole seconds of a timeout (0.9 s would time out at once), so
        // curl gets the remaining budget rounded up, and the race below cuts it exactly.
        let seconds = max(1, remaining.seconds.rounded(.up))
        var request = request
        request.timeoutInterval = seconds
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = seconds
        configuration.timeoutIntervalForResource = seconds
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        // HTTPExchange holds the budget to the millisecond, and never cancels through
        // URLSession's async API (which deadlocks on Linux when a cancel meets a failure).
        switch await HTTPExchange.send(request, session: session, within: remaining) {
        case .answered(let status, _): return (.status(status), "HTTP \(status)")
        case .failed(let error): return (.connectionError, Self.describe(error))
        case .timedOut: return (.connectionError, "timed out")
        case .cancelled: return (.connectionError, "cancelled")
        }
    }

    /// A connection error in words, without the URL (it may hold credentials).
    static func describe(_ error: URLError) -> String {
        switch error.code {
        case .timedOut: return "timed out"
        case .cannotConnectToHost: return "cannot connect to the host"
        case .cannotFindHost, .dnsLookupFailed: return "cannot find the host"
        case .networkConnectionLost: return "the connection was lost"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate, .serverCertificateNotYetValid,
             .serverCertificateHasUnknownRoot, .clientCertificateRejected:
            return "TLS failed (URLError \(error.code.rawValue))"
        case .cancelled: return "cancelled"
        default: return "URLError \(error.code.rawValue)"
        }
    }

    /// The secret in `secretFile` (relative to the root), without surrounding white space.
    private func readSecret(_ secretFile: String) -> Result<String, NotifyError> {
        let path = root + "/" + secretFile
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            return .failure(NotifyError("cannot read notify.webhook.secretFile \(secretFile); the webhook is not sent unsigned"))
        }
        let secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !secret.isEmpty else {
            return .failure(NotifyError("notify.webhook.secretFile \(secretFile) is empty; the webhook is not sent unsigned"))
        }
        return .success(secret)
    }
}
