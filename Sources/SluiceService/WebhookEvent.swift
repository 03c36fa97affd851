import Foundation
import SluiceKit

/// A Gitea or GitHub webhook delivery, reduced to what a pass needs: the kind and the repository.
public struct WebhookEvent: Sendable, Hashable {
    /// What happened upstream.
    public enum Kind: Sendable, Hashable {
        /// A tag was created (`create` with `ref_type: tag`).
        case tag(String)
        /// Commits or a tag were pushed (`push`).
        case push(String)
        /// The forge checks the hook (`ping`).
        case ping
        /// Anything else (branch creation, issues, ...): acknowledged, nothing done.
        case ignored(String)
    }

    /// What happened.
    public var kind: Kind
    /// The repository's URLs from the payload: `clone_url`, `ssh_url`, `git_url`, and `html_url` + `.git`.
    public var repositoryURLs: [String]

    /// Parses a delivery.
    ///
    /// - Parameters:
    ///   - event: The `X-Gitea-Event` or `X-GitHub-Event` header; when missing, the payload decides.
    ///   - body: The JSON body.
    /// - Throws: ``ServiceError/invalidPayload(_:)`` when the body is not a JSON object.
    public static func parse(event: String?, body: Data) throws(ServiceError) -> WebhookEvent {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            throw .invalidPayload("the body is not a JSON object")
        }
        var urls: [String] = []
        if let repository = object["repository"] as? [String: Any] {
            for key in ["clone_url", "ssh_url", "git_url"] {
                if let url = repository[key] as? String, !url.isEmpty { urls.append(url) }
            }
            if let html = repository["html_url"] as? String, !html.isEmpty { urls.append(html + ".git") }
        }
        let name = event?.lowercased() ?? (object["ref_type"] != nil ? "create" : object["zen"] != nil ? "ping" : "push")
        let ref = object["ref"] as? String ?? ""
        let kind: Kind
        switch name {
        case "create":
            kind = (object["ref_type"] as? String) == "tag" ? .tag(ref) : .ignored("create of a \(object["ref_type"] as? String ?? "ref")")
        case "push":
            kind = .push(ref)
        case "ping":
            kind = .ping
        default:
            kind = .ignored(name)
        }
        return WebhookEvent(kind: kind, repositoryURLs: urls)
    }

    /// A URL without a trailing `/` or `.git`, for comparing a payload's URL with a source.
    public static func normalize(_ url: String) -> String {
        var text = url.trimmingCharacters(in: .whitespaces)
        while text.hasSuffix("/") { text.removeLast() }
        if text.hasSuffix(".git") { text.removeLast(4) }
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    /// The subscribed sources that are this event's repository.
    public func matching(_ sources: Set<String>) -> Set<String> {
        let wanted = Set(repositoryURLs.map(Self.normalize))
        return sources.filter { wanted.contains(Self.normalize($0)) }
    }
}
