import Foundation

/// Which pending files an operator means: `sluice approve` and `sluice reject` selectors.
///
/// Selectors combine with AND: `--plugin review --workspace 'team-a/*'` is the review updates
/// of team-a. `--canary N` then keeps, in each group of one plugin moving to one target, the
/// first N workspaces in path order, so a second command with the same selectors (without
/// `--canary`) fans out to the rest.
public struct Selection: Sendable, Hashable {
    /// Ids or file names (`<id>` or `<id>.yaml`, a path is reduced to its last component).
    public var ids: [String] = []
    /// Plugin name.
    public var plugin: String?
    /// Target: a ref name (`v1.2.0`, `main`) or a SHA prefix of at least 7 digits.
    public var to: String?
    /// `fnmatch` pattern on the workspace path.
    public var workspace: String?
    /// Everything (still narrowed by the other selectors).
    public var all = false
    /// Keep only this many workspaces per (plugin, target) group.
    public var canary: Int?

    /// Creates a selection.
    public init(ids: [String] = [], plugin: String? = nil, to: String? = nil, workspace: String? = nil, all: Bool = false, canary: Int? = nil) {
        self.ids = ids
        self.plugin = plugin
        self.to = to
        self.workspace = workspace
        self.all = all
        self.canary = canary
    }

    /// Whether anything at all was selected; an empty selection never means "everything".
    public var isEmpty: Bool {
        ids.isEmpty && plugin == nil && to == nil && workspace == nil && !all
    }

    /// The entries this selection names, in file-name order.
    public func apply(to entries: [QueueEntry]) -> [QueueEntry] {
        guard !isEmpty else { return [] }
        let wanted = Set(ids.map(QueueFileName.id(fromReference:)))
        var chosen = entries.filter { entry in
            let record = entry.record
            if !wanted.isEmpty, !wanted.contains(record.id), !wanted.contains(QueueFileName.stem(of: entry.fileName)) { return false }
            if let plugin, record.plugin != plugin { return false }
            if let to {
                guard let target = record.to else { return to == "remove" }
                let bySHA = to.count >= Track.minimumSHALength && target.sha.hasPrefix(to.lowercased())
                if target.ref != to, !bySHA { return false }
            }
            if let workspace, fnmatch(workspace, record.workspace, 0) != 0 { return false }
            return true
        }.sorted { $0.fileName < $1.fileName }
        if let canary {
            var taken: [String: Int] = [:]
            chosen = chosen.sorted { $0.record.workspace < $1.record.workspace }.filter { entry in
                let key = "\(entry.record.plugin)\u{0}\(entry.record.to?.sha ?? "remove")"
                taken[key, default: 0] += 1
                return taken[key, default: 0] <= canary
            }.sorted { $0.fileName < $1.fileName }
        }
        return chosen
    }
}
