/// The refs a repository advertises, as read from `git ls-remote --heads --tags`.
public struct RemoteRefs: Sendable, Hashable {
    /// Tag name to the commit it points at (annotated tags already peeled).
    public var tags: [String: String]
    /// Branch name to its tip commit.
    public var branches: [String: String]
    /// Tag name to its tag object, for annotated tags only (the object a tag signature is on).
    public var tagObjects: [String: String]

    /// Creates refs from maps.
    public init(tags: [String: String] = [:], branches: [String: String] = [:], tagObjects: [String: String] = [:]) {
        self.tags = tags
        self.branches = branches
        self.tagObjects = tagObjects
    }

    /// Parses `ls-remote` output; a peeled `^{}` line wins over its tag object's line.
    public init(lsRemoteOutput output: String) {
        var tags: [String: String] = [:]
        var peeled: [String: String] = [:]
        var branches: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: "\t", maxSplits: 1)
            guard fields.count == 2 else { continue }
            let sha = String(fields[0]).lowercased()
            guard sha.count == 40 || sha.count == 64, sha.allSatisfy(\.isHexDigit) else { continue }
            let ref = fields[1]
            if ref.hasPrefix("refs/tags/") {
                let name = ref.dropFirst("refs/tags/".count)
                if name.hasSuffix("^{}") {
                    peeled[String(name.dropLast(3))] = sha
                } else {
                    tags[String(name)] = sha
                }
            } else if ref.hasPrefix("refs/heads/") {
                branches[String(ref.dropFirst("refs/heads/".count))] = sha
            }
        }
        var tagObjects: [String: String] = [:]
        for (name, sha) in peeled {
            if let object = tags[name], object != sha { tagObjects[name] = object }
            tags[name] = sha
        }
        self.tags = tags
        self.branches = branches
        self.tagObjects = tagObjects
    }

    /// Every distinct commit the refs point at.
    public var allSHAs: Set<String> {
        Set(tags.values).union(branches.values)
    }
}
