import Yams

extension SluiceConfig {
    /// Parses `defaults:` (`min-age`, `verify`); also returns the node of `verify`, for the
    /// check that its keys are configured.
    static func parseDefaults(_ node: Node, reader: inout YAMLReader) -> (ReleasePolicy, Node?) {
        var policy = ReleasePolicy.none
        var verifyNode: Node?
        guard let mapping = reader.mapping(node, "defaults") else { return (policy, nil) }
        for (key, _, value) in reader.entries(mapping, allowed: ["minAge", "verify"], in: "defaults") {
            if key == "minAge" {
                if let seconds = reader.duration(value, "defaults.min-age") { policy.minAge = seconds }
            } else if let text = reader.choice(value, "defaults.verify", among: VerifyMode.allCases.map(\.rawValue)), let mode = VerifyMode(rawValue: text) {
                policy.verify = mode
                verifyNode = value
            }
        }
        return (policy, verifyNode)
    }

    /// Parses `verify:` (`ssh.allowed-signers`, `gpg.keyring`): files relative to the root.
    static func parseTrustedKeys(_ node: Node, reader: inout YAMLReader) -> TrustedKeys {
        var keys = TrustedKeys()
        guard let mapping = reader.mapping(node, "verify") else { return keys }
        for (key, _, value) in reader.entries(mapping, allowed: ["ssh", "gpg"], in: "verify") {
            guard let inner = reader.mapping(value, "verify.\(key)") else { continue }
            let field = key == "ssh" ? "allowedSigners" : "keyring"
            let spelled = key == "ssh" ? "verify.ssh.allowed-signers" : "verify.gpg.keyring"
            for (_, _, fileNode) in reader.entries(inner, allowed: [field], in: "verify.\(key)") {
                guard let path = reader.string(fileNode, spelled) else { continue }
                if let problem = relativePathProblem(path) {
                    reader.error(at: fileNode, "\(spelled) \(problem)")
                } else if key == "ssh" {
                    keys.sshAllowedSigners = path
                } else {
                    keys.gpgKeyring = path
                }
            }
        }
        return keys
    }
}
