import Foundation
import Hummingbird
import Logging
import SluiceKit

/// The HTTP side of `sluice serve`: webhooks, health, metrics and the admin API.
///
/// Every status code and body is listed in `spec/service.md`. Bodies are JSON except
/// `/metrics` (Prometheus text) and `/healthz`.
public struct ServiceRoutes: Sendable {
    /// The service the routes act on.
    public let service: SluiceService
    private let signature: WebhookSignature?
    private let token: BearerToken?

    /// Creates the routes of `service`, with its configuration's secrets.
    public init(service: SluiceService) {
        self.service = service
        signature = service.configuration.webhookSecret.map(WebhookSignature.init(secret:))
        token = service.configuration.adminToken.map(BearerToken.init)
    }

    /// The router.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("healthz") { _, _ in Self.text(.ok, "ok\n") }
        router.get("readyz") { _, _ in
            if let stopped = service.state.gitStopped { return Self.json(.serviceUnavailable, ["status": "git-stopped", "reason": stopped]) }
            return service.state.isReady ? Self.json(.ok, ["status": "ready"]) : Self.json(.serviceUnavailable, ["status": "starting", "reason": "the first pass has not finished"])
        }
        router.get("metrics") { _, _ in
            service.metrics.setQueueSizes(service.layout)
            service.metrics.setBackoff(service.state.backoff, at: service.clock.now, known: service.state.everBackedOff)
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: service.metrics.render())))
        }
        router.post("hooks/gitea") { request, _ in
            try await hook(request, endpoint: "gitea", signatureHeaders: ["X-Gitea-Signature", "X-Hub-Signature-256"], eventHeaders: ["X-Gitea-Event", "X-GitHub-Event"])
        }
        router.post("hooks/github") { request, _ in
            try await hook(request, endpoint: "github", signatureHeaders: ["X-Hub-Signature-256"], eventHeaders: ["X-GitHub-Event"])
        }
        router.get("admin/plugin-updates-pending") { request, _ in
            if let refusal = authorize(request) { return refusal }
            return Self.json(.ok, service.pendingReport())
        }
        router.get("admin/plugin-updates/:id") { request, context in
            if let refusal = authorize(request) { return refusal }
            guard let id = id(context) else { return Self.response(.notFound, id: "") }
            guard let found = service.lookup(id: id) else { return Self.response(.notFound, id: id) }
            return Self.json(.ok, found)
        }
        router.post("admin/plugin-updates/:id/approve") { request, context in
            if let refusal = authorize(request) { return refusal }
            guard let id = id(context) else { return Self.response(.notFound, id: "") }
            let force = request.uri.queryParameters["force"].map { $0 == "true" || $0 == "1" } ?? false
            let answer = try await service.approve(id: id, force: force)
            log(action: "approve", id: id, answer: answer)
            return Self.response(answer, id: id)
        }
        router.post("admin/plugin-updates/:id/apply") { request, context in
            if let refusal = authorize(request) { return refusal }
            guard let id = id(context) else { return Self.response(.notFound, id: "") }
            let answer = try await service.approveAndApply(id: id)
            log(action: "apply", id: id, answer: answer)
            return Self.response(answer, id: id)
        }
        router.post("admin/plugin-updates/:id/reject") { request, context in
            if let refusal = authorize(request) { return refusal }
            guard let id = id(context) else { return Self.response(.notFound, id: "") }
            let answer = try await service.reject(id: id)
            log(action: "reject", id: id, answer: answer)
            return Self.response(answer, id: id)
        }
        router.post("admin/workspaces/**") { request, context in
            if let refusal = authorize(request) { return refusal }
            return try await install(request, path: context.parameters.getCatchAll())
        }
        return router
    }

    // MARK: - Webhooks

    private func hook(_ request: Request, endpoint: String, signatureHeaders: [String], eventHeaders: [String]) async throws -> Response {
        let logger = service.logger
        guard let signature else {
            return Self.json(.serviceUnavailable, ["status": "disabled", "reason": "webhook secret not configured"])
        }
        let limit = service.configuration.bodyLimit
        if let length = Self.header(request, "Content-Length").flatMap(Int.init), length > limit {
            return Self.json(.contentTooLarge, ["status": "too_large", "reason": "the body is larger than \(limit) bytes"])
        }
        // A chunked body past the limit throws NIOTooManyBytesError, which Hummingbird answers with 413.
        let body = try await request.body.collect(upTo: limit)
        let bytes = Data(body.readableBytesView)
        let presented = signatureHeaders.lazy.compactMap { Self.header(request, $0) }.first
        guard signature.isValid(presented, body: bytes) else {
            service.metrics.recordWebhook(endpoint: endpoint, result: "unauthorized")
            logger.warning("webhook refused", metadata: [
                "http.path": "/hooks/\(endpoint)", "webhook.reason": "\(presented == nil ? "no signature" : "wrong signature")",
            ])
            return Self.json(.unauthorized, ["status": "unauthorized", "reason": presented == nil ? "missing signature" : "invalid signature"])
        }
        let event: WebhookEvent
        do {
            event = try WebhookEvent.parse(event: eventHeaders.lazy.compactMap { Self.header(request, $0) }.first, body: bytes)
        } catch {
            service.metrics.recordWebhook(endpoint: endpoint, result: "invalid")
            return Self.json(.badRequest, ["status": "invalid", "reason": error.description])
        }
        var meta: Logger.Metadata = ["http.path": "/hooks/\(endpoint)", "webhook.repository": "\(event.repositoryURLs.first ?? "-")"]
        switch event.kind {
        case .ping:
            service.metrics.recordWebhook(endpoint: endpoint, result: "ignored")
            return Self.json(.ok, ["status": "pong"])
        case .ignored(let what):
            service.metrics.recordWebhook(endpoint: endpoint, result: "ignored")
            meta["webhook.event"] = "\(what)"
            logger.info("webhook ignored", metadata: meta)
            return Self.json(.accepted, ["status": "ignored", "reason": "\(what) events change no track"])
        case .tag(let ref), .push(let ref):
            meta["webhook.ref"] = "\(ref)"
            let sources = event.matching(service.subscribedSources())
            guard !sources.isEmpty else {
                service.metrics.recordWebhook(endpoint: endpoint, result: "ignored")
                logger.info("webhook for an unsubscribed repository", metadata: meta)
                return Self.json(.accepted, ["status": "ignored", "reason": "no subscription to this repository"])
            }
            service.trigger(sources: sources)
            service.metrics.recordWebhook(endpoint: endpoint, result: "accepted")
            meta["webhook.sources"] = "\(sources.sorted().joined(separator: ","))"
            logger.info("webhook accepted", metadata: meta)
            return Self.json(.accepted, WebhookAnswer(status: "queued", sources: sources.sorted()))
        }
    }

    private struct WebhookAnswer: Encodable {
        var status: String
        var sources: [String]
    }

    // MARK: - Admin

    private func authorize(_ request: Request) -> Response? {
        guard let token else {
            return Self.json(.serviceUnavailable, ["status": "disabled", "reason": "admin token not configured"])
        }
        guard token.accepts(authorization: Self.header(request, "Authorization")) else {
            service.logger.warning("admin request refused", metadata: ["http.path": "\(request.uri.path)"])
            var response = Self.json(.unauthorized, ["status": "unauthorized", "reason": "missing or wrong bearer token"])
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        }
        return nil
    }

    /// `POST /admin/workspaces/<workspace>/plugins`: the workspace is every path component
    /// before the final `plugins`, each percent-decoded.
    private func install(_ request: Request, path: [Substring]) async throws -> Response {
        var parts = path.map { String($0).removingPercentEncoding }
        guard parts.last == "plugins", parts.count >= 2, !parts.contains(nil) else {
            return Self.json(.notFound, ["status": "not_found", "reason": "no such endpoint; use POST /admin/workspaces/<workspace>/plugins"])
        }
        parts.removeLast()
        let workspace = parts.compactMap { $0 }.joined(separator: "/")
        let bytes = Data(try await request.body.collect(upTo: service.configuration.bodyLimit).readableBytesView)
        var body: SluiceService.InstallRequest
        do {
            body = try JSONDecoder().decode(SluiceService.InstallRequest.self, from: bytes)
        } catch {
            return Self.json(.badRequest, ["status": "invalid", "reason": "the body is not {\"name\": …, \"source\": …, \"track\": …} (\(error))"])
        }
        if let track = request.uri.queryParameters["track"] { body.track = String(track) }
        let answer = try await service.install(workspace: workspace, body)
        let status: String
        let response: Response
        switch answer {
        case .unknownWorkspace(let reason):
            status = "not_found"
            response = Self.json(.notFound, ["status": status, "workspace": workspace, "reason": reason])
        case .invalid(let reason):
            status = "invalid"
            response = Self.json(.badRequest, ["status": status, "workspace": workspace, "reason": reason])
        case .ran(let item):
            status = item.outcome == .applied ? "applied" : "failed"
            response = Self.json(item.outcome == .applied ? .ok : .unprocessableContent, ItemAnswer(status: status, item: item))
        }
        service.logger.info("admin request", metadata: [
            "admin.action": "install", "workspace.path": "\(workspace)", "plugin.name": "\(body.name)", "admin.answer": "\(status)",
        ])
        return response
    }

    /// The `:id` path parameter, percent-decoded (`%7E` is `~`, `%2B` is `+`, `%25` is `%`).
    ///
    /// Ids hold `%XX` escapes of their own (`%2E+review+…` for the root workspace): when the
    /// decoded id names no update but the id as sent does, the id as sent is meant.
    /// - Returns: nil when the encoding is invalid.
    private func id(_ context: BasicRequestContext) -> String? {
        guard let raw = context.parameters.get("id").map({ String($0) }), let decoded = raw.removingPercentEncoding else { return nil }
        if decoded != raw, service.lookup(id: decoded) == nil, service.lookup(id: raw) != nil { return raw }
        return decoded
    }

    private func log(action: String, id: String, answer: AdminAnswer) {
        service.logger.info("admin request", metadata: ["admin.action": "\(action)", "update.id": "\(id)", "admin.answer": "\(Self.status(of: answer))"])
    }

    private struct ItemAnswer: Encodable {
        var status: String
        var item: ApplyReport.Item
    }

    private struct ApprovedAnswer: Encodable {
        var status: String
        var id: String
        var moved: QueueMover.Moved
    }

    static func status(of answer: AdminAnswer) -> String {
        switch answer {
        case .applied: return "applied"
        case .failed: return "failed"
        case .alreadyApplied: return "already_applied"
        case .rejected: return "rejected"
        case .approved: return "approved"
        case .alreadyRejected: return "already_rejected"
        case .conflict(let status, _): return status
        case .notFound: return "not_found"
        }
    }

    static func response(_ answer: AdminAnswer, id: String) -> Response {
        switch answer {
        case .applied(let item): return json(.ok, ItemAnswer(status: "applied", item: item))
        case .failed(let item): return json(.unprocessableContent, ItemAnswer(status: "failed", item: item))
        case .alreadyApplied: return json(.ok, ["status": "already_applied", "id": id])
        case .rejected: return json(.ok, ["status": "rejected", "id": id])
        case .approved(let moved): return json(.ok, ApprovedAnswer(status: "approved", id: id, moved: moved))
        case .alreadyRejected: return json(.ok, ["status": "already_rejected", "id": id])
        case .conflict(let status, let reason): return json(.conflict, ["status": status, "id": id, "reason": reason])
        case .notFound: return json(.notFound, ["status": "not_found", "id": id, "reason": "no update with this id in the queue"])
        }
    }

    // MARK: - Helpers

    static func header(_ request: Request, _ name: String) -> String? {
        guard let field = HTTPFields.Element.Name(name) else { return nil }
        return request.headers[field]
    }

    static func json(_ status: HTTPResponse.Status, _ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data + Data("\n".utf8))))
    }

    static func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
