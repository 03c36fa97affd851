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
        let marker = "+\(plugin)+\(sha.prefix(12))"
        var found: [(folder: QueueFolder, entry: QueueEntry)] = []
        for folder in folders {
            for name in names(in: folder) {
                let stem = QueueFileName.stem(of: name)
                guard stem.hasSuffix(marker) || stem.range(of: marker + ".") != nil else { continue }
                guard case .success(let record) = decode(name, in: folder), record.plugin == plugin, record.to?.sha == sha else { continue }
                found.append((folder, QueueEntry(fileName: name, record: record)))
            }
        }
        return found
    }
}
