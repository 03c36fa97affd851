import Foundation

/// Finding an update by id or by the file name an operator typed.
extension QueueStore {
    /// Whether `folder` holds the update `id`.
    ///
    /// In `applied/` and `failed/`, which keep every outcome of an update, a numbered copy
    /// (`<id>.N.yaml`) counts as well.
    public func holds(id: String, in folder: QueueFolder) -> Bool {
        let name = QueueFileName.name(id: id)
        if FileManager.default.fileExists(atPath: path(name, in: folder)) { return true }
        guard folder == .applied || folder == .failed else { return false }
        return Directory.names(layout.folder(folder)).contains { QueueFileName.isRecord($0) && QueueFileName.isCopy($0, of: name) }
    }

    /// The files in `folder` that hold the update `id`: `<id>.yaml` and, in `applied/` and
    /// `failed/`, its numbered copies (`<id>.N.yaml`), newest last.
    public func fileNames(id: String, in folder: QueueFolder) -> [String] {
        let name = QueueFileName.name(id: id)
        let names = Directory.names(layout.folder(folder)).filter {
            $0 == name || ((folder == .applied || folder == .failed) && QueueFileName.isRecord($0) && QueueFileName.isCopy($0, of: name))
        }
        // `<id>.yaml` is the first outcome, `<id>.N.yaml` the (N+1)-th: order by that number.
        func rank(_ file: String) -> Int { file == name ? 0 : Int(QueueFileName.stem(of: file).split(separator: ".").last ?? "") ?? 0 }
        return names.sorted { rank($0) < rank($1) }
    }

    /// The file name in `folder` that `file` (a name, or a path to the file) refers to, when
    /// that file is there.
    ///
    /// - Returns: nil when `file` is a path to another folder or names no file in `folder`.
    public func fileName(of file: String, in folder: QueueFolder) -> String? {
        let name = (file as NSString).lastPathComponent
        let absolute = layout.folder(folder)
        let given = file.contains("/") ? Paths.absolute((file as NSString).deletingLastPathComponent) : absolute
        guard given == absolute, FileManager.default.fileExists(atPath: path(name, in: folder)) else { return nil }
        return name
    }

    /// Every record of `plugin` moving to `sha` in `folders`: a target's history (its canary in
    /// `approved/` or `applying/`, its outcomes in `applied/` and `failed/`).
    ///
    /// File names are matched on `+<plugin>+<first 12 of sha>` before anything is read, so the
    /// cost is one folder listing per folder plus the few matching files.
    /// - Returns: the folder and entry of each matching record; unreadable files are skipped.
    public func records(plugin: String, targetSHA sha: String, in folders: [QueueFolder]) -> [(folder: QueueFolder, entry: QueueEntry)] {
        records(of: [Rollout.Target(plugin: plugin, sha: sha)], in: folders)[Rollout.Target(plugin: plugin, sha: sha)] ?? []
    }

    /// The history of each of `targets` in `folders`, as ``records(plugin:targetSHA:in:)`` finds
    /// it, with one listing per folder for all of them.
    ///
    /// A file is a candidate for the target its name ends in (`…+<plugin>+<first 12 of sha>`,
    /// then `.N` for a numbered copy); only candidates are read, and a record counts only if it
    /// says that plugin and that full SHA.
    public func records(of targets: Set<Rollout.Target>, in folders: [QueueFolder]) -> [Rollout.Target: [(folder: QueueFolder, entry: QueueEntry)]] {
        var byMarker: [String: [Rollout.Target]] = [:]
        for target in targets { byMarker[target.plugin + "+" + target.sha.prefix(12), default: []].append(target) }
        var found: [Rollout.Target: [(folder: QueueFolder, entry: QueueEntry)]] = [:]
        guard !byMarker.isEmpty else { return found }
        for folder in folders {
            for name in names(in: folder) {
                let parts = QueueFileName.stem(of: name).split(separator: "+", omittingEmptySubsequences: false)
                guard parts.count >= 3, let short = parts[parts.count - 1].split(separator: ".", maxSplits: 1).first,
                      let candidates = byMarker[String(parts[parts.count - 2]) + "+" + String(short)] else { continue }
                guard case .success(let record) = decode(name, in: folder) else { continue }
                for target in candidates where record.plugin == target.plugin && record.to?.sha == target.sha {
                    found[target, default: []].append((folder, QueueEntry(fileName: name, record: record)))
                }
            }
        }
        return found
    }
}
