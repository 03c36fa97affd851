import Foundation
import Logging
import Subprocess

extension Applier {
    /// Paths of one plugin inside its workspace: the live tree and Sluice's own folders beside it.
    struct PluginPaths {
        let workspace: String
        let plugin: String
        var live: String { workspace + "/plugins/" + plugin }
        var staging: String { workspace + "/.sluice/staging/" + plugin }
        var retained: String { workspace + "/.sluice/retained/" + plugin }

        /// Why Sluice must not write here: `plugins/`, `.sluice/` or the plugin folder is a
        /// symbolic link, which could lead out of the root.
        func linkProblem() -> String? {
            for path in [workspace + "/plugins", workspace + "/.sluice", live] {
                var info = stat()
                if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK {
                    return "\(path) is a symbolic link; Sluice does not write through links. Replace it with a real folder"
                }
            }
            return nil
        }
    }

    /// Applies one claimed record; runs under the workspace lock.
    func applyLocked(_ record: UpdateRecord, fileName: String) async -> ApplyReport.Item {
        let paths = PluginPaths(workspace: layout.workspacePath(record.workspace), plugin: record.plugin)
        if let problem = paths.linkProblem() {
            return finish(record, fileName: fileName, outcome: failure(problem), verdict: nil)
        }
        var current = readInstalled(paths.live)
        let retainedBefore: String?
        do {
            retainedBefore = try recoverStaging(paths, record: record, liveStamp: current?.stamp)
        } catch {
            return finish(record, fileName: fileName, outcome: failure("cannot clear an interrupted staging folder: \(error)"), verdict: nil)
        }
        current = readInstalled(paths.live)
        if let finished = await finishedEarlier(record, fileName: fileName, paths: paths, current: current, retained: retainedBefore) {
            return finished
        }
        let entry: PluginEntry?
        do {
            entry = try checkBasis(record, current: current)
        } catch {
            return finish(record, fileName: fileName, outcome: failure(error.description), verdict: nil)
        }
        // The live tree is read once: for the local-modification check, the classifier and the label.
        let old: [String: TreeDigest.Entry]? = current != nil ? (try? TreeDigest.files(of: paths.live)) : nil
        if let stamp = current?.stamp, let old, TreeDigest.digest(of: old) != stamp.digest, !force {
            return finish(record, fileName: fileName, outcome: failure(InstallError.modifiedLocally("plugins/\(record.plugin) in \(record.workspace)").description), verdict: nil)
        }
        do {
            return try await install(record, fileName: fileName, paths: paths, current: current, entry: entry, old: old)
        } catch {
            // After the swap the staging folder holds the previous tree: retain it, never delete it.
            let retained = try? recoverStaging(paths, record: record, liveStamp: readInstalled(paths.live)?.stamp)
            var outcome = failure("\(error)")
            outcome.retained = retained.flatMap { $0 }.map(relative)
            return finish(record, fileName: fileName, outcome: outcome, verdict: nil)
        }
    }

    /// The installed folder's state, read from disk.
    func readInstalled(_ live: String) -> InstalledPlugin? {
        guard Directory.isFolder(live) else { return nil }
        do {
            return try Stamp.read(pluginFolder: live).map { .stamped($0) } ?? .unstamped
        } catch {
            return .unreadable(error.description)
        }
    }

    /// Clears a staging folder left by a crash. If the swap had happened, the staging folder
    /// holds the previous tree, which is retained; otherwise it is a half-made new tree and goes.
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

    /// Tells, from the trees alone (whichever approval left them), whether a staging folder is
    /// the previous tree after a swap (to retain) or a new tree that never went live (to delete).
    ///
    /// A new tree always has its stamp written first, before any file, so a staging folder with
    /// files but no stamp is a previous, unstamped tree. With a stamp, the newer `installed`
    /// time is the tree that was staged last: when that is the live one, the swap happened.
    /// Equal times keep the tree: a spare retained copy is harmless, a lost one is not.
    static func stagingHoldsPreviousTree(_ paths: PluginPaths, liveStamp: Stamp?) -> Bool {
        guard let staged = try? Stamp.read(pluginFolder: paths.staging) else {
            let entries = Directory.names(paths.staging)
            return !entries.isEmpty
        }
        guard let liveStamp else { return false }
        return liveStamp.installed >= staged.installed
    }

    /// The outcome of an update whose change is already on disk (a crash after the swap, or a
    /// target that is already installed), or nil when there is work to do.
    func finishedEarlier(_ record: UpdateRecord, fileName: String, paths: PluginPaths, current: InstalledPlugin?, retained: String?) async -> ApplyReport.Item? {
        if let to = record.to, let stamp = current?.stamp, stamp.isInSync(sha: to.sha, source: record.source, subpath: record.subpath) {
            var outcome = Outcome(result: "applied", at: Timestamp.string(now()))
            let old = retained.flatMap { try? TreeDigest.files(of: $0) }
            let result = Classifier.classify(old: old, new: try? TreeDigest.files(of: paths.live), hotPatterns: layout.config.hotPatterns, forceRestart: true)
            outcome.verdict = Classifier.Verdict.restart.rawValue
            outcome.why = retained != nil ? "finished after an interrupted apply; restart to be safe" : "the approved commit was already installed"
            outcome.changes = retained != nil ? result.changes : ChangeSummary(added: [], removed: [], modified: [])
            outcome.previous = record.from?.sha
            outcome.retained = retained.map(relative)
            if retained != nil {
                // This attempt swapped before it was interrupted, so its hook has not run yet.
                outcome.hook = await runHook(record, verdict: .restart, previous: record.from?.sha)
            }
            return finish(record, fileName: fileName, outcome: outcome, verdict: outcome.verdict)
        }
        if record.kind == .remove, current == nil, record.basis.installed.state != .absent, let latestRetained = retained ?? newestRetained(paths) {
            var outcome = Outcome(result: "applied", at: Timestamp.string(now()))
            outcome.verdict = Classifier.Verdict.restart.rawValue
            outcome.why = "removal (finished after an interruption)"
            outcome.previous = record.from?.sha
            outcome.retained = relative(latestRetained)
            return finish(record, fileName: fileName, outcome: outcome, verdict: outcome.verdict)
        }
        return nil
    }

    /// Refuses a stale approval: the manifest entry or the installed folder is no longer what
    /// the update was computed against. Returns the current manifest entry (nil for a removal).
    func checkBasis(_ record: UpdateRecord, current: InstalledPlugin?) throws(InstallError) -> PluginEntry? {
        let folder = layout.workspacePath(record.workspace)
        let manifest: Manifest
        do {
            manifest = try Manifest.load(path: folder + "/" + Manifest.fileName, displayPath: record.workspace + "/" + Manifest.fileName, policy: layout.config.sources)
        } catch {
            throw .stale("\(record.workspace)/plugins.yaml is invalid (\(error.diagnostics.first?.description ?? "unreadable"))")
        }
        let entry = manifest.entry(named: record.plugin)
        if record.kind == .remove {
            if entry != nil { throw .stale("'\(record.plugin)' is back in \(record.workspace)/plugins.yaml, so it is no longer to be removed") }
        } else {
            guard let entry else { throw .stale("\(record.workspace) no longer subscribes to '\(record.plugin)'") }
            if entry.hold { throw .held(record.plugin) }
            guard let basis = record.basis.manifest, basis == entry.basis else {
                throw .stale("the manifest entry changed since the update was queued (now source \(entry.source), track \(entry.track))")
            }
            guard record.source == basis.source, record.subpath == basis.subpath, record.track == basis.track else {
                throw .stale("the record's source, subpath or track differ from its own basis (hand-edited?)")
            }
        }
        let now = Planner.basis(of: current)
        guard now == record.basis.installed else {
            let was = record.basis.installed.sha.map { String($0.prefix(12)) } ?? record.basis.installed.state.rawValue
            let isNow = now.sha.map { String($0.prefix(12)) } ?? now.state.rawValue
            throw .stale("the installed plugin is now \(isNow), but the update was made against \(was)")
        }
        return entry
    }

    /// Stages, classifies, swaps and retains; then runs the hook and records the outcome.
    func install(_ record: UpdateRecord, fileName: String, paths: PluginPaths, current: InstalledPlugin?, entry: PluginEntry?, old: [String: TreeDigest.Entry]?) async throws -> ApplyReport.Item {
        let liveExists = current != nil
        let label = current == nil ? "unstamped" : Self.label(of: paths.live, files: old)
        let result: Classifier.Result
        var retainedPath: String?
        if let to = record.to {
            let tree = try await trees.tree(source: record.source, sha: to.sha, subpath: record.subpath)
            try FileManager.default.createDirectory(atPath: paths.staging, withIntermediateDirectories: true)
            // The stamp goes in first, so that recovery can always tell a new tree from an old one.
            let stamp = Stamp(plugin: record.plugin, source: record.source, subpath: record.subpath, track: record.track,
                              ref: to.ref, sha: to.sha, digest: tree.digest, installed: Timestamp.string(now()))
            try AtomicFile.write(Data(try stamp.encoded().utf8), to: paths.staging + "/" + Stamp.fileName)
            for name in Directory.names(tree.path) {
                try FileManager.default.copyItem(atPath: tree.path + "/" + name, toPath: paths.staging + "/" + name)
            }
            TreeSwap.syncFilesystem(of: paths.staging)
            FailPoint.hit("after-stage")
            result = Classifier.classify(old: old, new: tree.files, hotPatterns: layout.config.hotPatterns, forceRestart: entry?.restart ?? false)
            try FileManager.default.createDirectory(atPath: paths.workspace + "/plugins", withIntermediateDirectories: true)
            if liveExists {
                try TreeSwap.exchange(paths.staging, paths.live)
                FailPoint.hit("after-swap")
                retainedPath = try retain(paths.staging, paths: paths, label: label)
            } else {
                try TreeSwap.move(paths.staging, to: paths.live)
                FailPoint.hit("after-swap")
            }
        } else {
            result = Classifier.classify(old: old, new: nil, hotPatterns: layout.config.hotPatterns, forceRestart: true)
            if liveExists {
                retainedPath = try retain(paths.live, paths: paths, label: label)
            }
            FailPoint.hit("after-swap")
        }
        var outcome = Outcome(result: "applied", at: Timestamp.string(now()))
        outcome.verdict = result.verdict.rawValue
        outcome.why = result.why
        outcome.changes = result.changes
        outcome.previous = current?.stamp?.sha
        outcome.retained = retainedPath.map(relative)
        outcome.hook = await runHook(record, verdict: result.verdict, previous: current?.stamp?.sha)
        return finish(record, fileName: fileName, outcome: outcome, verdict: result.verdict.rawValue)
    }

    /// How a retained tree is labelled: its stamp's short SHA or `unstamped`, and `-modified`
    /// when its files no longer match its stamp (an operator's edits, never pruned).
    static func label(of tree: String, files: [String: TreeDigest.Entry]? = nil) -> String {
        guard let stamp = try? Stamp.read(pluginFolder: tree) else { return "unstamped" }
        let digest = files.map { TreeDigest.digest(of: $0) } ?? (try? TreeDigest.digest(of: tree))
        return String(stamp.sha.prefix(12)) + (digest == stamp.digest ? "" : "-modified")
    }

    /// Moves a tree into the plugin's retention folder and prunes old ones; returns where it
    /// went, or nil when `apply.retain` is 0 and it was pruned at once.
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

    /// Keeps the newest `apply.retain` trees of a plugin. Trees that hold an operator's own
    /// content (`-modified`, `unstamped`) are never pruned: nothing an operator wrote is lost.
    func prune(_ paths: PluginPaths) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: paths.retained)) ?? [])
            .filter { !$0.hasPrefix(".") && !$0.contains("modified") && !$0.contains("unstamped") }.sorted()
        for name in names.dropLast(layout.config.retain) {
            try? FileManager.default.removeItem(atPath: paths.retained + "/" + name)
        }
    }

    /// The newest retained tree of a plugin, if any.
    func newestRetained(_ paths: PluginPaths) -> String? {
        ((try? FileManager.default.contentsOfDirectory(atPath: paths.retained)) ?? []).filter { !$0.hasPrefix(".") }.sorted().last
            .map { paths.retained + "/" + $0 }
    }

    /// `path` relative to the root.
    func relative(_ path: String) -> String {
        path.hasPrefix(layout.root + "/") ? String(path.dropFirst(layout.root.count + 1)) : path
    }

    /// Runs the `apply.afterApply` command; returns a description of its failure, or nil.
    func runHook(_ record: UpdateRecord, verdict: Classifier.Verdict, previous: String?) async -> String? {
        guard let command = layout.config.afterApply else { return nil }
        let environment: [Environment.Key: String?] = [
            "SLUICE_ROOT": layout.root,
            "SLUICE_WORKSPACE": layout.workspacePath(record.workspace),
            "SLUICE_WORKSPACE_PATH": record.workspace,
            "SLUICE_PLUGIN": record.plugin,
            "SLUICE_UPDATE_ID": record.id,
            "SLUICE_KIND": record.kind.rawValue,
            "SLUICE_FROM_SHA": previous ?? "",
            "SLUICE_TO_SHA": record.to?.sha ?? "",
            "SLUICE_VERDICT": verdict.rawValue,
        ]
        var options = PlatformOptions()
        options.createSession = true
        options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: .seconds(2))]
        let configuration = Configuration(executable: .path("/bin/sh"), arguments: ["-c", command],
                                          environment: .inherit.updating(environment), workingDirectory: .init(layout.root), platformOptions: options)
        let outcome: String? = await withTaskGroup(of: String??.self) { group in
            group.addTask {
                do {
                    let result = try await Subprocess.run(configuration, output: .discarded, error: .string(limit: 64 * 1024))
                    if case .exited(0) = result.terminationStatus { return .some(nil) }
                    return .some("after-apply hook failed (\(result.terminationStatus)): \(Git.trim(result.standardError))")
                } catch {
                    return .some("after-apply hook could not run: \(error)")
                }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(120))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? "after-apply hook timed out after 120 s and was stopped"
        }
        if let outcome {
            logger.warning("after-apply hook failed; the install stays", metadata: ["workspace.path": "\(record.workspace)", "plugin.name": "\(record.plugin)", "hook.error": "\(outcome)"])
        }
        return outcome
    }
}
