import Foundation

extension Applier {
    /// Applies one claimed record; runs under the workspace lock.
    func applyLocked(_ record: UpdateRecord, fileName: String) async -> ApplyReport.Item {
        let paths = PluginPaths(workspace: layout.workspacePath(record.workspace), plugin: record.plugin)
        let decision = self.decision
        let installer = self.installer
        // A link is refused before recovery, which is the first step that writes.
        let symbolicLink = paths.symbolicLink(beneath: layout.root)
        if let refusal = decision.linkRefusal(symbolicLink) {
            return await finish(record, fileName: fileName, outcome: failure(refusal), verdict: nil)
        }
        installer.finishPrunes(paths)
        let retainedBefore: String?
        do {
            retainedBefore = try installer.recoverStaging(paths, record: record)
        } catch {
            return await finish(record, fileName: fileName, outcome: failure("cannot clear an interrupted staging folder: \(error)"), verdict: nil)
        }
        let current = paths.installed()
        // The live tree is read once: for the local-modification check, the classifier and the label.
        let old: [String: TreeDigest.Entry]? = current != nil ? (try? TreeDigest.files(of: paths.live)) : nil
        var facts = readFacts(record, paths: paths, installed: current, old: old, symbolicLink: symbolicLink)
        facts.recoveredPreviousTree = retainedBefore != nil
        switch decision.verdict(for: record, facts: facts) {
        case .refuse(let reason):
            return await finish(record, fileName: fileName, outcome: failure(reason), verdict: nil)
        case .finished(let finished):
            return await finishEarlier(record, fileName: fileName, finished, paths: paths, retained: retainedBefore)
        case .install(let entry):
            do {
                return try await install(record, fileName: fileName, paths: paths, current: current, entry: entry, old: old)
            } catch {
                // After the swap the staging folder holds the previous tree: retain it, never delete it.
                let retained = try? installer.recoverStaging(paths, record: record)
                var outcome = failure("\(error)")
                outcome.retained = retained.flatMap { $0 }.map(installer.relative)
                return await finish(record, fileName: fileName, outcome: outcome, verdict: nil)
            }
        }
    }

    /// What the decision needs to know about a plugin, read from disk (the symbolic-link check,
    /// ``PluginPaths/symbolicLink(beneath:)``, and recovery are the caller's).
    func readFacts(_ record: UpdateRecord, paths: PluginPaths, installed: InstalledPlugin?, old: [String: TreeDigest.Entry]?, symbolicLink: String?) -> ApplyDecision.Facts {
        let manifest: Result<PluginEntry?, ValidationError>
        do {
            let path = paths.workspace + "/" + Manifest.fileName
            let loaded = try Manifest.load(path: path, displayPath: record.workspace + "/" + Manifest.fileName, policy: layout.config.sources)
            manifest = .success(loaded.entry(named: record.plugin))
        } catch {
            manifest = .failure(error)
        }
        return ApplyDecision.Facts(
            symbolicLink: symbolicLink, manifest: manifest, installed: installed,
            liveDigest: old.map { TreeDigest.digest(of: $0) },
            hasRetainedTree: installer.newestRetained(paths) != nil)
    }

    /// Records an update whose change is already on disk (a crash after the swap, or a target
    /// that is already installed) as applied.
    private func finishEarlier(_ record: UpdateRecord, fileName: String, _ finished: ApplyDecision.Finished, paths: PluginPaths, retained: String?) async -> ApplyReport.Item {
        let installer = self.installer
        var outcome = Outcome(result: .applied, at: Timestamp.string(now()))
        outcome.verdict = Classifier.Verdict.restart.rawValue
        outcome.previous = record.from?.sha
        switch finished {
        case .alreadyInstalled, .swappedBeforeInterruption:
            let old = retained.flatMap { try? TreeDigest.files(of: $0) }
            let result = Classifier.classify(old: old, new: try? TreeDigest.files(of: paths.live), hotPatterns: layout.config.hotPatterns, forceRestart: true)
            outcome.why = retained != nil ? "finished after an interrupted apply; restart to be safe" : "the approved commit was already installed"
            outcome.changes = retained != nil ? result.changes : ChangeSummary(added: [], removed: [], modified: [])
            outcome.retained = retained.map(installer.relative)
            if retained != nil {
                // This attempt swapped before it was interrupted, so its hook has not run yet.
                outcome.hook = await hookSlots.run { await hook.run(record, verdict: .restart, previous: record.from?.sha) }
            }
        case .removalFinished:
            outcome.why = "removal (finished after an interruption)"
            outcome.retained = (retained ?? installer.newestRetained(paths)).map(installer.relative)
        }
        return await finish(record, fileName: fileName, outcome: outcome, verdict: outcome.verdict)
    }

    /// Fetches, stages, classifies, swaps and retains; then runs the hook and records the outcome.
    private func install(_ record: UpdateRecord, fileName: String, paths: PluginPaths, current: InstalledPlugin?, entry: PluginEntry?, old: [String: TreeDigest.Entry]?) async throws -> ApplyReport.Item {
        let installer = self.installer
        let liveExists = current != nil
        let label = current == nil ? "unstamped" : try TreeInstaller.label(of: paths.live, files: old)
        let result: Classifier.Result
        var retainedPath: String?
        if let to = record.to {
            let policy = entry?.policy(defaults: layout.config.defaults) ?? .none
            try await SignatureRecheck(inspector: ReleaseInspector(git: git, layout: layout)).check(record, target: to, policy: policy)
            let tree = try await trees.tree(source: record.source, sha: to.sha, subpath: record.subpath)
            try await installer.stage(record, target: to, tree: (tree.path, tree.digest), paths: paths)
            result = Classifier.classify(old: old, new: tree.files, hotPatterns: layout.config.hotPatterns, forceRestart: entry?.restart ?? false)
            retainedPath = try installer.swapIn(paths, liveExists: liveExists, label: label)
        } else {
            result = Classifier.classify(old: old, new: nil, hotPatterns: layout.config.hotPatterns, forceRestart: true)
            retainedPath = try installer.remove(paths, liveExists: liveExists, label: label)
        }
        var outcome = Outcome(result: .applied, at: Timestamp.string(now()))
        outcome.verdict = result.verdict.rawValue
        outcome.why = result.why
        outcome.changes = result.changes
        outcome.previous = current?.stamp?.sha
        outcome.retained = retainedPath.map(installer.relative)
        outcome.hook = await hookSlots.run { await hook.run(record, verdict: result.verdict, previous: current?.stamp?.sha) }
        return await finish(record, fileName: fileName, outcome: outcome, verdict: result.verdict.rawValue)
    }
}
