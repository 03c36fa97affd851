import Foundation

/// The hot-reload classifier: does a change need a restart, or can the runtime reload it hot?
///
/// The default rule is the platform's: *hot* only when both trees hold the same set of files
/// and every changed file matches a hot pattern (by default any `SKILL.md`). Everything else is
/// *restart*: files added or removed, `plugin.yaml`, hooks, settings, any other file, a mode
/// change, a first install, a removal, a live tree that cannot be read, or an operator's
/// `restart: true`. The upstream plugin has no say: its own files are never consulted.
public enum Classifier {
    /// What the runtime must do after a change.
    public enum Verdict: String, Sendable, Codable, Hashable {
        case hot, restart
    }

    /// A verdict with its reason and the paths that changed.
    public struct Result: Sendable, Hashable {
        /// Hot or restart.
        public var verdict: Verdict
        /// Why, in one sentence.
        public var why: String
        /// Added, removed and modified paths.
        public var changes: ChangeSummary
    }

    /// Classifies the change from `old` to `new` (nil: no tree, or unreadable for `old`).
    ///
    /// - Parameters:
    ///   - old: The live tree's files, nil for a first install or an unreadable tree.
    ///   - new: The new tree's files, nil for a removal.
    ///   - hotPatterns: `fnmatch` patterns (without `FNM_PATHNAME`, so `*` crosses `/`).
    ///   - forceRestart: The manifest's `restart: true`.
    public static func classify(old: [String: TreeDigest.Entry]?, new: [String: TreeDigest.Entry]?, hotPatterns: [String], forceRestart: Bool) -> Result {
        let oldFiles = old ?? [:]
        let newFiles = new ?? [:]
        let added = newFiles.keys.filter { oldFiles[$0] == nil }.sorted()
        let removed = oldFiles.keys.filter { newFiles[$0] == nil }.sorted()
        let modified = newFiles.keys.filter { key in oldFiles[key].map { $0 != newFiles[key] } ?? false }.sorted()
        let changes = ChangeSummary(added: added, removed: removed, modified: modified)
        func restart(_ why: String) -> Result { Result(verdict: .restart, why: why, changes: changes) }
        guard let old, !old.isEmpty || new == nil else { return restart("first install (or the live tree could not be read)") }
        guard new != nil else { return restart("removal") }
        if forceRestart { return restart("restart: true in the manifest entry") }
        if !added.isEmpty || !removed.isEmpty {
            let example = (added.map { "+\($0)" } + removed.map { "-\($0)" }).prefix(3).joined(separator: ", ")
            return restart("files added or removed (\(example))")
        }
        if let flipped = modified.first(where: { oldFiles[$0]?.kind != newFiles[$0]?.kind }) {
            return restart("the mode of \(flipped) changed")
        }
        if let cold = modified.first(where: { path in !hotPatterns.contains { fnmatch($0, path, 0) == 0 } }) {
            return restart("\(cold) changed and is not a hot-reload file")
        }
        if modified.isEmpty { return Result(verdict: .hot, why: "no file changed", changes: changes) }
        return Result(verdict: .hot, why: "only hot-reload files changed (\(modified.prefix(3).joined(separator: ", ")))", changes: changes)
    }
}
