import Foundation
import Logging

/// Puts plugin trees in place and keeps the previous ones: stage, swap, retain, prune, and the
/// recovery of a staging folder left by a crash.
///
/// `plugins/<name>` is never missing or half-written: the new tree is staged beside it with its
/// stamp written first, synced, then exchanged with the live tree in one ``TreeSwap``. What the
/// swap replaces is retained whole, labelled from its own files (``ApplyDecision/label(stamp:digest:)``).
struct TreeInstaller: Sendable {
    /// The root's layout (for retention counts and paths relative to the root).
    let layout: RootLayout
    /// Where events go.
    let logger: Logger
    /// The clock for stamps and retained tree names.
    let now: @Sendable () -> Date
    /// The `syncfs` shared by the updates of one run that stage trees at the same time.
    var flushes = FlushGroup()
    /// Whether swaps and retains `fsync` their folders. Apply turns it off: the first flush of
    /// its outcome write makes them durable before the outcome exists
    /// (``QueueStore/finish(_:fileName:flushes:)``).
    var syncsFolders = true

    /// Builds the new tree in the staging folder: the stamp first, so that recovery can always
    /// tell a new tree from an old one, then the exported files; then checks that the staged
    /// files match the stamp's digest, and makes the tree durable.
    ///
    /// The check is what keeps a failed listing from becoming an empty live tree: with no file
    /// descriptor left (`EMFILE`), listing the exported tree returned nothing, and the swap put
    /// an empty tree under a stamp naming the full one (found by the crash-point enumeration).
    ///
    /// Neither the stamp nor the files are `fsync`ed one by one: each of the two steps waits for a
    /// `syncfs` shared with the other updates staging at the same time (``FlushGroup``), so the
    /// stamp is durable before any copied entry exists, and the whole tree before the swap.
    /// - Throws: ``InstallError/stagedTreeDiffers(_:)`` when the copy is not the exported tree;
    ///   nothing has been swapped, and the next run deletes the staging folder.
    func stage(_ record: UpdateRecord, target: RefPoint, tree: (path: String, digest: String), paths: PluginPaths) async throws {
        try confined.makeFolders(paths.staging)
        let stamp = Stamp(plugin: record.plugin, source: record.source, subpath: record.subpath, track: record.track,
                          ref: target.ref, sha: target.sha, digest: tree.digest, installed: Timestamp.string(now()))
        try AtomicFile.write(Data(try stamp.encoded().utf8), to: paths.staging + "/" + Stamp.fileName, durable: false)
        try await flushes.flush(filesystemOf: paths.staging)
        FailPoint.hit("after-stamp")
        for name in Directory.names(tree.path) {
            try FileManager.default.copyItem(atPath: tree.path + "/" + name, toPath: paths.staging + "/" + name)
        }
        let staged = try TreeDigest.digest(of: paths.staging)
        guard staged == tree.digest else {
            throw InstallError.stagedTreeDiffers("\(relative(paths.staging)) holds \(staged), the exported tree \(tree.digest)")
        }
        FailPoint.hit("after-stage")
        try await flushes.flush(filesystemOf: paths.staging)
        FailPoint.hit("after-flush")
    }

    /// Swaps the staged tree in; the tree it replaces is retained under `label`.
    ///
    /// - Returns: where the previous tree was retained, if it was kept.
    func swapIn(_ paths: PluginPaths, liveExists: Bool, label: String) throws -> String? {
        try confined.makeFolders(paths.workspace + "/plugins")
        if liveExists {
            try TreeSwap.exchange(paths.staging, paths.live, durable: syncsFolders)
            FailPoint.hit("after-swap")
            return try retain(paths.staging, paths: paths, label: label)
        }
        try TreeSwap.move(paths.staging, to: paths.live, durable: syncsFolders)
        FailPoint.hit("after-swap")
        return nil
    }

    /// Removes the live tree by moving it into retention under `label`.
    ///
    /// - Returns: where it was retained, if it was kept.
    func remove(_ paths: PluginPaths, liveExists: Bool, label: String) throws -> String? {
        var retained: String?
        if liveExists {
            retained = try retain(paths.live, paths: paths, label: label)
        }
        FailPoint.hit("after-swap")
        return retained
    }

    /// Folders are made and checked below the root without following links (``ConfinedPath``).
    var confined: ConfinedPath { ConfinedPath(root: layout.root) }

    /// Clears a staging folder left by a crash. If the swap had happened, the staging folder
    /// holds the previous tree, which is retained; otherwise it is a new tree (whole or cut
    /// short) and goes. Decided from the trees' stamps and digests
    /// (``ApplyDecision/stagingHoldsPreviousTree(staged:live:target:)``).
    ///
    /// - Returns: the retained folder, when one was made.
    func recoverStaging(_ paths: PluginPaths, record: UpdateRecord) throws -> String? {
        let aside = paths.staging + TreeSwap.asideSuffix
        if FileManager.default.fileExists(atPath: aside) {
            // The two-rename fallback was interrupted: put the old tree back if nothing replaced it,
            // otherwise it is the previous tree and is retained.
            if !FileManager.default.fileExists(atPath: paths.live) {
                try TreeSwap.move(aside, to: paths.live)
                try? FileManager.default.removeItem(atPath: paths.staging)
                return nil
            }
            return try retain(aside, paths: paths, label: try Self.label(of: aside))
        }
        guard FileManager.default.fileExists(atPath: paths.staging) else { return nil }
        let live = Directory.isFolder(paths.live) ? Self.treeState(paths.live) : nil
        let target = record.to.map { (sha: $0.sha, source: record.source, subpath: record.subpath) }
        if ApplyDecision.stagingHoldsPreviousTree(staged: Self.treeState(paths.staging), live: live, target: target) {
            logger.info("finishing an interrupted apply", metadata: ["workspace.path": "\(record.workspace)", "plugin.name": "\(record.plugin)"])
            return try retain(paths.staging, paths: paths, label: try Self.label(of: paths.staging))
        }
        try FileManager.default.removeItem(atPath: paths.staging)
        return nil
    }

    /// What recovery needs to know about one tree, read from its files.
    static func treeState(_ tree: String) -> ApplyDecision.TreeState {
        let stamp = try? Stamp.read(pluginFolder: tree)
        let verifies = stamp.map { (try? TreeDigest.digest(of: tree)) == $0.digest } ?? false
        let hasEntries = Directory.names(tree).contains { !$0.hasPrefix(AtomicFile.temporaryPrefix) }
        var info = stat()
        let written = lstat(tree + "/" + Stamp.fileName, &info) == 0 ? Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec) : nil
        return ApplyDecision.TreeState(stamp: stamp, verifies: verifies, hasEntries: hasEntries, stampWritten: written)
    }

    /// Whether a retained tree is whole: it has a stamp and its files match the stamp's digest.
    ///
    /// - Returns: nil when it verifies, else why not.
    static func verificationProblem(of tree: String) -> String? {
        let stamp: Stamp?
        do throws(StampError) {
            stamp = try Stamp.read(pluginFolder: tree)
        } catch {
            return "its stamp cannot be read (\(error.reason))"
        }
        guard let stamp else { return "it has no stamp" }
        guard let digest = try? TreeDigest.digest(of: tree) else { return "its files cannot be read" }
        return digest == stamp.digest ? nil : "its files do not match its stamp's digest"
    }

    /// The label of the tree at `tree`, from its own stamp and files (`files` when already read).
    ///
    /// - Throws: ``StampError`` when a stamp is there but cannot be read (for example with no file
    ///   descriptor left): such a tree is not `unstamped`, and labelling it so would keep it
    ///   forever under a false name (found by the crash-point enumeration, `EMFILE`). Apply asks
    ///   before its swap, so the update fails with nothing changed.
    static func label(of tree: String, files: [String: TreeDigest.Entry]? = nil) throws(StampError) -> String {
        guard let stamp = try Stamp.read(pluginFolder: tree) else { return "unstamped" }
        let digest = files.map { TreeDigest.digest(of: $0) } ?? (try? TreeDigest.digest(of: tree))
        return ApplyDecision.label(stamp: stamp, digest: digest)
    }

    /// Moves a tree into the plugin's retention folder and prunes old ones.
    ///
    /// - Returns: where it went, or nil when `apply.retain` is 0 and it was pruned at once.
    func retain(_ tree: String, paths: PluginPaths, label: String) throws -> String? {
        // <UTC time>-<sequence>-<label>: names sort by age, also for several applies in one second.
        let time = Timestamp.string(now()).replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "-", with: "")
        let sameSecond = Directory.names(paths.retained).filter { $0.hasPrefix(time + "-") }.count
        var sequence = sameSecond + 1
        var destination = paths.retained + "/" + time + "-" + String(format: "%03d", sequence) + "-" + label
        while FileManager.default.fileExists(atPath: destination) {
            sequence += 1
            destination = paths.retained + "/" + time + "-" + String(format: "%03d", sequence) + "-" + label
        }
        try confined.makeFolders(paths.retained)
        try TreeSwap.move(tree, to: destination, durable: syncsFolders)
        prune(paths)
        return FileManager.default.fileExists(atPath: destination) ? destination : nil
    }

    /// The prefix a retained tree's name gets while it is being deleted.
    static let prunePrefix = ".prune-"

    /// Deletes the retained trees beyond `apply.retain` (see ``ApplyDecision/prunable(_:retain:)``).
    ///
    /// Each is first renamed to a hidden name (`.prune-<name>`), then deleted: a crash in the
    /// middle of a delete leaves a hidden folder that nothing reads as a retained tree, and that
    /// the next apply or rollback of the plugin deletes (``finishPrunes(_:)``).
    func prune(_ paths: PluginPaths) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: paths.retained)) ?? []
        for name in ApplyDecision.prunable(names, retain: layout.config.retain) {
            let tree = paths.retained + "/" + name
            let hidden = paths.retained + "/" + Self.prunePrefix + name
            guard rename(tree, hidden) == 0 else {
                // Housekeeping, not the update: the tree is kept (one more than apply.retain) and
                // pruned by a later apply of the plugin. An I/O error here is worth a look at the disk.
                let reason = String(cString: strerror(errno))
                logger.warning("cannot prune an old retained tree; it is kept, and a later apply of the plugin prunes it; check the filesystem (fs.error)",
                               metadata: ["retained.path": "\(tree)", "fs.error": "\(reason)"])
                continue
            }
            AtomicFile.syncFolder(paths.retained)
            removeTree(hidden)
        }
    }

    /// Finishes the deletes of retained trees that a crash interrupted.
    func finishPrunes(_ paths: PluginPaths) {
        for name in Directory.names(paths.retained) where name.hasPrefix(Self.prunePrefix) {
            removeTree(paths.retained + "/" + name)
        }
    }

    /// Deletes a tree, its stamp first; what cannot be deleted is said, and left to the next
    /// apply of the plugin (``finishPrunes(_:)``). (`mid-prune` is a test failpoint: a crash
    /// after the stamp is gone.)
    private func removeTree(_ path: String) {
        unlink(path + "/" + Stamp.fileName)
        FailPoint.hit("mid-prune")
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            logger.warning("cannot delete a pruned tree; the next apply of the plugin tries again; check the filesystem (fs.error), or delete the folder",
                           metadata: ["retained.path": "\(path)", "fs.error": "\(error)"])
        }
    }

    /// The newest retained tree of a plugin, if any; hidden names (trees being pruned) are not retained trees.
    func newestRetained(_ paths: PluginPaths) -> String? {
        retainedNewestFirst(paths).first
    }

    /// The plugin's retained trees, newest first; hidden names are left out.
    func retainedNewestFirst(_ paths: PluginPaths) -> [String] {
        Directory.names(paths.retained).filter { !$0.hasPrefix(".") }.sorted().reversed().map { paths.retained + "/" + $0 }
    }

    /// `path` relative to the root, as outcomes record it.
    func relative(_ path: String) -> String {
        path.hasPrefix(layout.root + "/") ? String(path.dropFirst(layout.root.count + 1)) : path
    }
}
