import Foundation
import Logging

/// Keeps a root that is a git working copy in step with its remote branch: before a pass it
/// fetches and fast-forwards (manifests, approvals and rejections arrive), after a pass or an
/// apply it commits what Sluice changed in the queue and pushes it.
///
/// The remote is the review surface; the operator's word wins: when a push is refused because
/// the remote moved, Sluice replays its own changes onto it and, where both touched the same
/// queue file, keeps the operator's version of anything in `pending/`, `approved/` and
/// `rejected/` (an approval or rejection stands; Sluice plans again next pass) and its own
/// outcomes in `applied/` and `failed/` (nobody else writes those), so no record is lost. A
/// remote branch that was rewritten (not a fast-forward of what Sluice last saw) stops the
/// following until an operator resolves it.
public struct RootSync: Sendable {
    /// The git choke point.
    public let git: Git
    /// The root's layout.
    public let layout: RootLayout
    /// Where events go.
    public let logger: Logger

    /// Creates the sync of `layout`'s root.
    public init(git: Git, layout: RootLayout, logger: Logger) {
        self.git = git
        self.layout = layout
        self.logger = logger
    }

    /// What a sync step found.
    public enum Status: Sendable, Hashable {
        /// Done; the remote branch is at this commit.
        case followed(String)
        /// The remote branch was rewritten (or another stop reason): nothing was pulled or pushed.
        case stopped(String)
    }

    /// Why a root cannot be synced.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        /// For the operator.
        public var description: String
    }

    /// The queue folders that travel through git (claims in `applying/` do not).
    var queuePaths: [String] {
        [QueueFolder.pending, .approved, .rejected, .applied, .failed].map { layout.config.queue + "/" + $0.rawValue }
    }

    /// The queue folders that exist in the working copy: a missing one would make `git add`
    /// fail on its pathspec.
    var presentQueuePaths: [String] {
        queuePaths.filter { Directory.isFolder(layout.root + "/" + $0) }
    }

    private var timeout: Duration { .seconds(layout.config.fetchTimeout) }

    /// The remote and branch the checked-out branch follows.
    func upstream() async throws(Problem) -> (remote: String, branch: String) {
        guard FileManager.default.fileExists(atPath: layout.root + "/.git") else {
            throw Problem(description: "\(layout.root) is not a git working copy; clone the root's repository there (sluice init --git writes its .gitignore)")
        }
        guard let upstream = await git.upstreamBranch(in: layout.root) else {
            throw Problem(description: "the checked-out branch of \(layout.root) has no upstream; set one with 'git branch --set-upstream-to=origin/main'")
        }
        return upstream
    }

    /// Why following the root's remote branch stopped, or nil (read from the state folder).
    public static func stoppedReason(layout: RootLayout) -> String? {
        GitOpsState.read(layout: layout).stopped
    }

    /// The URL of the remote the root follows, or nil.
    public func remoteURL() async -> String? {
        guard let (remote, _) = try? await upstream() else { return nil }
        return await git.remoteURL(remote, in: layout.root)
    }

    /// Fetches the remote branch and fast-forwards to it (rebasing Sluice's own unpushed commit
    /// onto it when there is one).
    public func pull() async throws -> Status {
        var state = GitOpsState.read(layout: layout)
        if let stopped = state.stopped { return .stopped(stopped) }
        let (remote, branch) = try await upstream()
        try await git.fetch(remote: remote, branch: branch, in: layout.root, timeout: timeout)
        guard let tip = await git.commitID("refs/remotes/\(remote)/\(branch)", in: layout.root) else {
            throw Problem(description: "\(remote)/\(branch) does not exist after fetching it")
        }
        if let stop = await rewritten(tip, since: state.followed) {
            state.stopped = stop
            try state.write(layout: layout)
            logger.error("remote branch rewritten; following stopped", metadata: ["git.remote": "\(remote)/\(branch)", "git.commit": "\(tip)", "gitops.reason": "\(stop)"])
            return .stopped(stop)
        }
        try await integrate(tip)
        state.followed = tip
        try state.write(layout: layout)
        return .followed(tip)
    }

    /// Commits Sluice's changes in the queue (one commit, listing them) and pushes, rebasing on
    /// a refused push up to `gitops.pushRetries` times.
    ///
    /// - Parameter what: What ran (`reconcile`, `apply`), for the commit's subject.
    /// - Returns: whether anything was committed, and the sync status.
    @discardableResult
    public func publish(after what: String) async throws -> (committed: Bool, status: Status) {
        var state = GitOpsState.read(layout: layout)
        if let stopped = state.stopped { return (false, .stopped(stopped)) }
        let (remote, branch) = try await upstream()
        let changes = try await git.changes(under: presentQueuePaths, in: layout.root)
        var committed = false
        if !changes.isEmpty {
            let message = Self.message(for: changes, after: what, queue: layout.config.queue)
            committed = try await git.commitAll(under: presentQueuePaths, message: message,
                                                identity: (layout.config.gitAuthorName, layout.config.gitAuthorEmail), in: layout.root)
        }
        guard let head = await git.commitID("HEAD", in: layout.root) else { throw Problem(description: "HEAD names no commit") }
        if let followed = state.followed, followed == head { return (committed, .followed(head)) }
        for attempt in 0...layout.config.pushRetries {
            if try await git.push(remote: remote, branch: branch, in: layout.root, timeout: timeout) {
                let pushed = await git.commitID("HEAD", in: layout.root) ?? head
                state.followed = pushed
                try state.write(layout: layout)
                if committed || attempt > 0 {
                    logger.info("queue pushed", metadata: ["git.remote": "\(remote)/\(branch)", "git.commit": "\(pushed)", "gitops.attempts": "\(attempt + 1)"])
                }
                return (committed, .followed(pushed))
            }
            // Someone pushed meanwhile: take their commits, put ours on top, try again.
            switch try await pull() {
            case .stopped(let reason): return (committed, .stopped(reason))
            case .followed: continue
            }
        }
        throw Problem(description: "the push to \(remote)/\(branch) was refused \(layout.config.pushRetries + 1) times (the remote keeps moving); the commit stays local and is pushed by the next sync")
    }

    /// Why `tip` does not follow from `followed` (a rewritten branch), or nil.
    private func rewritten(_ tip: String, since followed: String?) async -> String? {
        guard let followed, followed != tip else { return nil }
        if await git.commitID(followed, in: layout.root) == nil {
            return "the remote branch no longer contains \(followed.prefix(12)), the last commit Sluice followed (history rewritten); resolve it, then delete \(GitOpsState.path(layout: layout))"
        }
        if await git.isAncestor(followed, of: tip, in: layout.root) { return nil }
        return "the remote branch moved from \(followed.prefix(12)) to \(tip.prefix(12)), which does not contain it (a force-push rewrote history); nothing is pulled or pushed until an operator resolves it and deletes \(GitOpsState.path(layout: layout))"
    }

    /// Brings the checked-out branch to `tip`: a fast-forward, or a rebase of Sluice's commits
    /// onto it with the conflict policy.
    private func integrate(_ tip: String) async throws {
        guard let head = await git.commitID("HEAD", in: layout.root) else { throw Problem(description: "HEAD names no commit") }
        if head == tip { return }
        if await git.isAncestor(tip, of: head, in: layout.root) { return }
        // Uncommitted queue changes are committed first, so that they travel with the rebase.
        let changes = try await git.changes(under: presentQueuePaths, in: layout.root)
        if !changes.isEmpty {
            _ = try await git.commitAll(under: presentQueuePaths, message: Self.message(for: changes, after: "a pass", queue: layout.config.queue),
                                        identity: (layout.config.gitAuthorName, layout.config.gitAuthorEmail), in: layout.root)
        }
        if await git.isAncestor("HEAD", of: tip, in: layout.root) {
            try await git.fastForward(to: tip, in: layout.root)
            return
        }
        try await replay(onto: tip)
    }

    /// Puts Sluice's own queue changes (the local commits since the remote branch forked) on
    /// top of `tip`, file by file: its outcomes in `applied/` and `failed/` always, and its
    /// changes to `pending/`, `approved/` and `rejected/` only where the operator's side left
    /// that file as it was, so that an approval or rejection stands (Sluice plans again next
    /// pass). Files are compared by path, so a move is never mistaken for an edit.
    private func replay(onto tip: String) async throws {
        let root = layout.root
        let base = try await git.mergeBase("HEAD", tip, in: root)
        // Only Sluice's queue changes are replayed; anything else local would be lost, so it stops the sync.
        let queuePrefix = layout.config.queue + "/"
        let elsewhere = try await git.changedPaths(from: base, to: "HEAD", under: ["."], in: root).map(\.path)
            + (try await git.changes(under: ["."], in: root)).filter { $0.status != "??" }.map(\.path)
        if let foreign = elsewhere.first(where: { !$0.hasPrefix(queuePrefix) }) {
            throw Problem(description: "\(root) has local changes outside the queue (\(foreign)) that are not on the remote branch; push or discard them, then sync again")
        }
        let ours = try await git.changedPaths(from: base, to: "HEAD", under: queuePaths, in: root)
        let theirs = Set(try await git.changedPaths(from: base, to: tip, under: queuePaths, in: root).map(\.path))
        var contents: [String: Data] = [:]
        for change in ours where change.exists {
            contents[change.path] = try await git.fileContent(change.path, at: "HEAD", in: root)
        }
        try await git.resetHard(to: tip, in: root)
        for change in ours {
            let sluiceOwns = [QueueFolder.applied, .failed].contains { change.path.hasPrefix(layout.config.queue + "/" + $0.rawValue + "/") }
            if !sluiceOwns, theirs.contains(change.path) {
                logger.info("queue conflict resolved", metadata: ["git.path": "\(change.path)", "gitops.kept": "operator"])
                continue
            }
            let path = root + "/" + change.path
            if let data = contents[change.path] {
                try AtomicFile.write(data, to: path)
            } else {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
        let changes = try await git.changes(under: presentQueuePaths, in: root)
        if !changes.isEmpty {
            _ = try await git.commitAll(under: presentQueuePaths, message: Self.message(for: changes, after: "a pass, replayed on \(tip.prefix(12))", queue: layout.config.queue),
                                        identity: (layout.config.gitAuthorName, layout.config.gitAuthorEmail), in: root)
        }
    }

    /// `sluice: 2 queued, 1 applied` and one line per file.
    static func message(for changes: [(status: String, path: String)], after what: String, queue: String) -> String {
        var counts: [String: Int] = [:]
        var lines: [String] = []
        for change in changes.sorted(by: { $0.path < $1.path }) {
            let relative = change.path.hasPrefix(queue + "/") ? String(change.path.dropFirst(queue.count + 1)) : change.path
            let folder = relative.split(separator: "/").first.map(String.init) ?? ""
            let word: String
            switch (folder, change.status.contains("D")) {
            case ("pending", false): word = "queued"
            case ("pending", true): word = "withdrawn"
            case ("approved", true): word = "claimed"
            case ("applied", false): word = "applied"
            case ("failed", false): word = "failed"
            default: word = change.status.contains("D") ? "removed" : "changed"
            }
            counts[word, default: 0] += 1
            lines.append("\(word): \(change.path)")
        }
        let order = ["queued", "withdrawn", "applied", "failed", "claimed", "changed", "removed"]
        let subject = order.compactMap { word in counts[word].map { "\($0) \(word)" } }.joined(separator: ", ")
        return "sluice: \(subject) (after \(what))\n\n" + lines.joined(separator: "\n") + "\n"
    }
}
