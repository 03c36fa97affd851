/// Why an install or apply could not go ahead; each message says what to do next.
public enum InstallError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The subpath is not a folder in that commit.
    case subpathMissing(String, String)
    /// The tree is larger than the limit.
    case tooLarge(Int)
    /// A symbolic link points outside the plugin tree.
    case linkEscapes(String, String)
    /// The live tree no longer matches its stamp's digest.
    case modifiedLocally(String)
    /// The approval no longer matches the manifest or the installed stamp.
    case stale(String)
    /// The record is unusable.
    case invalidRecord(String)
    /// The subscription is on hold.
    case held(String)
    /// The staged copy of the exported tree does not match its digest (a copy cut short).
    case stagedTreeDiffers(String)

    /// The message.
    public var description: String {
        switch self {
        case .subpathMissing(let subpath, let sha):
            return "the folder '\(subpath)' does not exist in commit \(sha.prefix(12)); check subpath in plugins.yaml"
        case .tooLarge(let limit):
            return "the plugin tree is larger than \(limit) bytes; raise apply.maxTreeBytes in sluice.yaml if this is expected"
        case .linkEscapes(let path, let target):
            return "the symbolic link '\(path)' points outside the plugin tree ('\(target)'); the tree is refused"
        case .modifiedLocally(let path):
            return "\(path) was modified locally (its files no longer match the stamp's digest); nothing was touched. Move the changes upstream, or install anyway with 'sluice apply --force <id>' (it takes this update back from failed/ while its basis holds; the edited tree is retained as -modified)"
        case .stale(let why):
            return "stale approval: \(why); run 'sluice reconcile' to queue a fresh update and approve that one"
        case .invalidRecord(let why):
            return "invalid record: \(why)"
        case .stagedTreeDiffers(let what):
            return "the staged copy of the new tree is incomplete (\(what)); nothing was changed in plugins/; check free disk space and file descriptors (ulimit -n), then approve the update again"
        case .held(let plugin):
            return "'\(plugin)' is on hold in plugins.yaml; remove 'hold: true' to apply updates to it"
        }
    }
}
