import Foundation

extension Applier {
    /// Says what `run(files:)` would do, without claiming, installing or recording anything.
    ///
    /// It asks the same ``ApplyDecision`` as apply, so it refuses what apply would refuse. It
    /// fetches and exports the target trees into the cache (to classify them), which changes
    /// nothing in `plugins/` or the queue. It does not recover an interrupted apply, which
    /// writes; apply does that first.
    public func dryRun(files: [String] = []) async -> ApplyReport {
        var report = ApplyReport()
        let names = files.isEmpty ? store.names(in: .approved) : files.map { ($0 as NSString).lastPathComponent }
        for name in names {
            report.items.append(await preview(name))
        }
        return report
    }

    private func preview(_ name: String) async -> ApplyReport.Item {
        let record: UpdateRecord
        switch store.decode(name, in: .approved) {
        case .failure(let problem): return .init(file: name, result: "failed", reason: "invalid record: \(problem.reason)")
        case .success(let decoded): record = decoded
        }
        func item(_ result: String, _ verdict: String?, _ reason: String) -> ApplyReport.Item {
            .init(file: name, id: record.id, workspace: record.workspace, plugin: record.plugin, result: result, verdict: verdict, reason: reason)
        }
        if let problem = decision.invalidity(of: record, fileName: name, workspace: workspaceFacts(record)) {
            return item("failed", nil, "invalid record: \(problem)")
        }
        let paths = PluginPaths(workspace: layout.workspacePath(record.workspace), plugin: record.plugin)
        let current = paths.installed()
        let old = current != nil ? (try? TreeDigest.files(of: paths.live)) : nil
        let entry: PluginEntry?
        switch decision.verdict(for: record, facts: readFacts(record, paths: paths, installed: current, old: old, symbolicLink: paths.symbolicLink(beneath: layout.root))) {
        case .refuse(let reason):
            return item("failed", nil, reason)
        case .finished(.removalFinished):
            return item("would-apply", Classifier.Verdict.restart.rawValue, "removal (finished after an interruption)")
        case .finished:
            return item("would-apply", Classifier.Verdict.restart.rawValue, "the approved commit was already installed")
        case .install(let found):
            entry = found
        }
        do {
            var new: [String: TreeDigest.Entry]?
            if let to = record.to {
                new = try await trees.tree(source: record.source, sha: to.sha, subpath: record.subpath).files
            }
            let result = Classifier.classify(old: old, new: new, hotPatterns: layout.config.hotPatterns, forceRestart: entry?.restart ?? false || record.to == nil)
            return item("would-apply", result.verdict.rawValue, result.why)
        } catch {
            return item("failed", nil, "\(error)")
        }
    }
}
