/// What a plugin folder in a workspace holds, as read from disk.
public enum InstalledPlugin: Sendable, Hashable {
    /// A folder with a readable stamp.
    case stamped(Stamp)
    /// A folder with no stamp: its version is unknown.
    case unstamped
    /// A folder whose stamp cannot be read; treated as unstamped, with the reason.
    case unreadable(String)

    /// The stamp, when there is a readable one.
    public var stamp: Stamp? {
        if case .stamped(let stamp) = self { return stamp }
        return nil
    }
}
