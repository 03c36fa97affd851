/// How a long-running process (`sluice serve`) tells that a workspace or a queue folder is
/// unchanged between passes (`watch` in `sluice.yaml`).
public enum WatchMode: String, Sendable, Hashable, CaseIterable {
    /// inotify where it sees every change (a local filesystem, the watch in place), and one
    /// `stat` per file everywhere else.
    case auto
    /// One `stat` per file every pass, never inotify.
    case stat
}
