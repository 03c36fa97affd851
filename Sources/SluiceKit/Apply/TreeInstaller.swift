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

    /// Builds the new tree in the staging folder: the stamp first, so that recovery can always
    /// tell a new tree from an old one, then the exported files; then syncs the filesystem.
    func stage(_ record: UpdateRecord, target: RefPoint, tree: (path: String, digest: String), paths: PluginPaths) throws {
        try FileManager.default.createDirectory(atPath: paths.staging, withIntermediateDirectories: true)
        let stamp = Stamp(plugin: record.plugin, source: record.source, subpath: record.subpath, track: record.track,
                          ref: target.ref, sha: target.sha, digest: tree.digest, installed: Timestamp.string(now()))
        try AtomicFile.write(Data(try stamp.encoded().utf8), to: paths.staging + "/" + Stamp.fileName)
        for name in Directory.names(tree.path) {
            try FileManager.default.copyItem(atPath: tree.path + "/" + name, toPath: paths.staging + "/" + name)
        }
        TreeSwap.syncFilesystem(of: paths.staging)
        FailPoint.hit("after-stage")
    }

    /// Swaps the staged tree in; the tree it replaces is retained under `label`.
    ///
    /// - Returns: where the previous tree was retained, if it was kept.
    func swapIn(_ paths: PluginPaths, liveExists: Bool, label: String) throws -> String? {
        try FileManager.default.createDirectory(atPath: paths.workspace + "/plugins", withIntermediateDirectories: true)
        if liveExists {
            try TreeSwap.exchange(paths.staging, paths.live)
            FailPoint.hit("after-swap")
            return try retain(paths.staging, paths: paths, label: label)
        }
        try TreeSwap.move(paths.staging, to: paths.live)
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

    /// Clears a staging folder left by a crash. If the swap had happened, the staging folder
    /// holds the previous tree, which is retained; otherwise it is a half-made new tree and goes.
    ///
    /// - Returns: the retained folder, when one was made.
    func recoverStaging(_ paths: PluginPaths, record: UpdateRecord, liveStamp: Stamp?) throws -> String? {
        let aside = paths.staging + TreeSwap.asideSuffix
        if FileManager.default.fileExists(atPath: aside) {
            // The two-rename fallback was interrupted: put the old tree back if nothing replaced it,
            // otherwise it is the previous tree and is retained.
            if !FileManager.default.fileExists(atPath: paths.live) {
                try TreeSwap.move(aside, to: paths.live)
                try? FileManager.default.removeItem(atPath: paths.staging)
                return nil
            }
            return try retain(aside, paths: paths, label: Self.label(of: aside))
        }
        guard FileManager.default.fileExists(atPath: paths.staging) else { return nil }
        if Self.stagingHoldsPreviousTree(paths, liveStamp: liveStamp) {
            logger.info("finishing an interrupted apply", metadata: ["workspace.path": "\(record.workspace)", "plugin.name": "\(record.plugin)"])
            return try retain(paths.staging, paths: paths, label: Self.label(of: paths.staging))
        }
        try FileManager.default.removeItem(atPath: paths.staging)
        return nil
    }

    /// Whether the staging folder holds the previous tree after a swap, read from the trees
    /// (see ``ApplyDecision/stagingHoldsPreviousTree(staged:stagingIsEmpty:live:)``).
    static func stagingHoldsPreviousTree(_ paths: PluginPaths, liveStamp: Stamp?) -> Bool {
        let staged = try? Stamp.read(pluginFolder: paths.staging)
        let isEmpty = staged == nil ? Directory.names(paths.staging).isEmpty : false
        return ApplyDecision.stagingHoldsPreviousTree(staged: staged, stagingIsEmpty: isEmpty, live: liveStamp)
    }

    /// The label of the tree at `tree`, from its own stamp and files (`files` when already read).
    static func label(of tree: String, files: [String: TreeDigest.Entry]? = nil) -> String {
        guard let stamp = try? Stamp.read(pluginFolder: tree) else { return "unstamped" }
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
        try TreeSwap.move(tree, to: destination)
        prune(paths)
        return FileManager.default.fileExists(atPath: destination) ? destination : nil
    }

    /// Deletes the retained trees beyond `apply.retain` (see ``ApplyDecision/prunable(_:retain:)``).
    func prune(_ paths: PluginPaths) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: paths.retained)) ?? []
        for name in ApplyDecision.prunable(names, retain: layout.config.retain) {
            try? FileManager.default.removeItem(atPath: paths.retained + "/" + name)
        }
    }

    /// The newest retained tree of a plugin, if any.
    func newestRetained(_ paths: PluginPaths) -> String? {
        ((try? FileManager.default.contentsOfDirectory(atPath: paths.retained)) ?? []).filter { !$0.hasPrefix(".") }.sorted().last
            .map { paths.retained + "/" + $0 }
    }

    /// `path` relative to the root, as outcomes record it.
    func relative(_ path: String) -> String {
        path.hasPrefix(layout.root + "/") ? String(path.dropFirst(layout.root.count + 1)) : path
    }
}
