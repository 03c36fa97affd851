import Foundation

extension Applier {
    /// Says what `run(files:)` would do, without claiming, installing or recording anything.
    ///
    /// It fetches and exports the target trees into the cache (to classify them), which changes
    /// nothing in `plugins/` or the queue.
    public func dryRun(files: [String] = []) async -> ApplyReport {
        var report = ApplyReport()
        let approved = layout.folder(.approved)
        let names = files.isEmpty
            ? ((try? FileManager.default.contentsOfDirectory(atPath: approved)) ?? []).filter { $0.hasSuffix(".yaml") && !$0.hasPrefix(".") }.sorted()
            : files.map { ($0 as NSString).lastPathComponent }
        for name in names {
            report.items.append(await preview(name, path: approved + "/" + name))
        }
        return report
    }

    private func preview(_ name: String, path: String) async -> ApplyReport.Item {
        let record: UpdateRecord
        switch QueueStore.decode(file: path) {
        case .failure(let problem): return .init(file: name, result: "failed", reason: "invalid record: \(problem.reason)")
        case .success(let decoded): record = decoded
        }
        func item(_ result: String, _ verdict: String?, _ reason: String) -> ApplyReport.Item {
            .init(file: name, id: record.id, workspace: record.workspace, plugin: record.plugin, result: result, verdict: verdict, reason: reason)
        }
        if let problem = invalidity(of: record, fileName: name) { return item("failed", nil, "invalid record: \(problem)") }
        let paths = PluginPaths(workspace: layout.workspacePath(record.workspace), plugin: record.plugin)
        let current = readInstalled(paths.live)
        let entry: PluginEntry?
        do {
            entry = try checkBasis(record, current: current)
        } catch {
            return item("failed", nil, error.description)
        }
        if let stamp = current?.stamp, let digest = try? TreeDigest.digest(of: paths.live), digest != stamp.digest, !force {
            return item("failed", nil, InstallError.modifiedLocally("plugins/\(record.plugin) in \(record.workspace)").description)
        }
        let old = current != nil ? (try? TreeDigest.files(of: paths.live)) : nil
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
