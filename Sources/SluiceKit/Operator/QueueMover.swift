import Foundation
import Logging

/// Moves pending files into `approved/` or `rejected/` for an operator, exactly as `mv` would.
///
/// Each move is one `rename(2)` that never replaces an existing file, so a file is approved or
/// rejected once, and the reconciler (which only writes into `pending/`) never races with it on
/// the same name. Inside a git checkout the moves can be staged as well (`--git`).
public struct QueueMover: Sendable {
    /// The root's layout.
    public let layout: RootLayout
    /// The git choke point (for `--git`).
    public let git: Git
    /// Where events go.
    public let logger: Logger

    /// Creates a mover.
    public init(layout: RootLayout, git: Git, logger: Logger) {
        self.layout = layout
        self.git = git
        self.logger = logger
    }

    /// One file moved (or, in a dry run, that would move).
    public struct Moved: Sendable, Codable, Hashable {
        /// The update's id.
        public var id: String
        /// Workspace path.
        public var workspace: String
        /// Plugin name.
        public var plugin: String
        /// Kind of update.
        public var kind: UpdateKind
        /// Target.
        public var to: RefPoint?
        /// Where it went, relative to the root.
        public var destination: String
    }

    /// Moves the selected pending files into `destination` (`approved` or `rejected`).
    ///
    /// - Parameters:
    ///   - selection: Which pending files.
    ///   - destination: `.approved` or `.rejected`.
    ///   - stage: Also stage the move in the git checkout that holds the queue.
    ///   - dryRun: Only say what would move.
    ///   - force: Approve past the canary gate (``CanaryGate``).
    ///   - now: The time the canary soak is measured against.
    /// - Returns: the files moved, and the selected files that were gone by the time of the move.
    /// - Throws: ``CanaryGate/Refused`` (nothing moved) when an approval would fan out a target
    ///   whose canary has not passed.
    public func move(_ selection: Selection, to destination: QueueFolder, stage: Bool, dryRun: Bool,
                     force: Bool = false, now: Date = Date()) async throws -> (moved: [Moved], vanished: [String]) {
        try layout.createQueueFolders()
        let store = QueueStore(layout: layout)
        let read = store.read(.pending)
        let chosen = selection.apply(to: read.entries)
        if destination == .approved, !force {
            let refusals = CanaryGate.refusals(selected: chosen, pending: read.entries, canary: selection.canary, soak: layout.config.canarySoak, now: now) { plugin, sha in
                store.records(plugin: plugin, targetSHA: sha, in: [.approved, .applying, .applied, .failed])
            }
            if !refusals.isEmpty { throw CanaryGate.Refused(refusals: refusals) }
        }
        var moved: [Moved] = []
        var vanished: [String] = []
        var staged: [String] = []
        for entry in chosen {
            let record = entry.record
            let target = store.displayPath(entry.fileName, in: destination)
            let item = Moved(id: record.id, workspace: record.workspace, plugin: record.plugin, kind: record.kind, to: record.to, destination: target)
            if dryRun {
                moved.append(item)
                continue
            }
            if destination == .approved, !stage, entry.fileName == record.fileName {
                // Who approved it travels with the file; with --git-stage the commit says it.
                var attributed = record
                attributed.approvedBy = ApprovedBy(via: .sluiceApprove, user: Self.currentUser, at: Timestamp.string(now))
                try store.write(attributed, to: .pending)
            }
            if try store.move(entry.fileName, from: .pending, to: destination) {
                moved.append(item)
                staged += [store.displayPath(entry.fileName, in: .pending), target]
                logger.info(destination == .approved ? "update approved" : "update rejected", metadata: [
                    "workspace.path": "\(record.workspace)", "plugin.name": "\(record.plugin)", "update.id": "\(record.id)",
                ])
            } else {
                vanished.append(entry.fileName)
            }
        }
        if stage, !staged.isEmpty {
            // The equivalent of `git mv`, which also works for a pending file git never tracked.
            let sources = stride(from: 0, to: staged.count, by: 2).map { staged[$0] }
            let destinations = stride(from: 1, to: staged.count, by: 2).map { staged[$0] }
            try await git.stageMove(from: sources, to: destinations, in: layout.root)
        }
        return (moved, vanished)
    }

    /// The local user running the command (`SUDO_USER` when run through sudo).
    static var currentUser: String {
        let environment = ProcessInfo.processInfo.environment
        if let sudo = environment["SUDO_USER"], !sudo.isEmpty { return sudo }
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return environment["USER"] ?? "uid \(geteuid())"
    }
}
