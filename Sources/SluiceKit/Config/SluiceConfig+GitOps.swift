import Yams

extension SluiceConfig {
    /// Parses `gitops:` (`author`, `pushRetries`).
    static func parseGitOps(_ node: Node, into config: inout SluiceConfig, reader: inout YAMLReader) {
        guard let mapping = reader.mapping(node, "gitops") else { return }
        for (key, _, value) in reader.entries(mapping, allowed: ["author", "pushRetries"], in: "gitops") {
            if key == "pushRetries" {
                if let retries = reader.int(value, "gitops.push-retries", in: 0...100) { config.pushRetries = retries }
                continue
            }
            guard let text = reader.string(value, "gitops.author") else { continue }
            // "Name <mail>", as git writes an identity.
            guard let open = text.firstIndex(of: "<"), text.hasSuffix(">"), open > text.startIndex else {
                reader.error(at: value, "gitops.author must be 'Name <e-mail>', found '\(text)'")
                continue
            }
            config.gitAuthorName = text[..<open].trimmingCharacters(in: .whitespaces)
            config.gitAuthorEmail = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        }
    }

    /// Parses `approvals:` (`requireSigned`, `allowedSigners`, `keyring`).
    static func parseApprovals(_ node: Node, into config: inout SluiceConfig, reader: inout YAMLReader) {
        guard let mapping = reader.mapping(node, "approvals") else { return }
        var requireNode: Node?
        for (key, _, value) in reader.entries(mapping, allowed: ["requireSigned", "allowedSigners", "keyring", "minApprovers"], in: "approvals") {
            switch key {
            case "minApprovers":
                config.minApprovers = reader.int(value, "approvals.min-approvers", in: 1...20)
                requireNode = requireNode ?? value
            case "requireSigned":
                config.requireSignedApprovals = reader.bool(value, "approvals.require-signed") ?? false
                requireNode = value
            default:
                let spelled = key == "keyring" ? "approvals.keyring" : "approvals.allowed-signers"
                guard let path = reader.string(value, spelled) else { continue }
                if let problem = relativePathProblem(path) {
                    reader.error(at: value, "\(spelled) \(problem)")
                } else if key == "keyring" {
                    config.approvers.gpgKeyring = path
                } else {
                    config.approvers.sshAllowedSigners = path
                }
            }
        }
        if let requireNode, config.requireSignedApprovals || config.minApprovers != nil, config.approvers.sshAllowedSigners == nil, config.approvers.gpgKeyring == nil {
            reader.error(at: requireNode, "approvals.require-signed and approvals.min-approvers need approvals.allowed-signers (ssh) or approvals.keyring (gpg): the keys approvals are checked against")
        }
    }
}
