import Foundation
import Yams

/// Reads and writes the queue's record files: the one place that builds a path into the queue.
///
/// The reconciler writes only into `pending/`; an operator moves files out of it. Writes are
/// atomic (``AtomicFile``), so a reader never sees half a record and the operator's `mv` and
/// the reconciler's rename never touch the same file at the same time. Apply's claims and
/// outcomes are in `QueueStore+Claim.swift`, lookups by id in `QueueStore+Lookup.swift`, and
/// file names in ``QueueFileName``.
public struct QueueStore: Sendable {
    /// The root's layout.
    public let layout: RootLayout

    /// Creates a store for `layout`.
    public init(layout: RootLayout) {
        self.layout = layout
    }

    /// A queue file that cannot be read as a record.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        /// The file, relative to the root.
        public var file: String
        /// What is wrong.
        public var reason: String

        /// `file: reason`.
        public var description: String { "\(file): \(reason)" }
    }

    /// Reads every record in a queue folder.
    ///
    /// - Returns: the records, sorted by file name, and the files that could not be read.
    public func read(_ folder: QueueFolder, cache: QueueRecordCache = QueueRecordCache()) -> (entries: [QueueEntry], problems: [Problem]) {
        let path = layout.folder(folder)
        var entries: [QueueEntry] = []
        var problems: [Problem] = []
        var present: Set<String> = []
        for name in Directory.names(path).sorted() where QueueFileName.isRecord(name) {
            present.insert(path + "/" + name)
            switch cache.record(path + "/" + name, load: { Self.decode(file: path + "/" + name) }) {
            case .success(let record): entries.append(QueueEntry(fileName: name, record: record))
            case .failure(let problem): problems.append(Problem(file: displayPath(name, in: folder), reason: problem.reason))
            }
        }
        cache.forgetRecords(in: path, keeping: present)
        return (entries, problems)
    }

    /// Decodes one record file.
    public static func decode(file: String) -> Result<UpdateRecord, Problem> {
        guard let data = FileManager.default.contents(atPath: file) else {
            return .failure(Problem(file: file, reason: "cannot read the file"))
        }
        return RecordDecoding.decode(data).mapError { Problem(file: file, reason: $0.reason) }
    }

    /// The YAML text of a record, with a header telling the operator what to do with it.
    public static func encode(_ record: UpdateRecord, folder: QueueFolder) throws -> Data {
        let header: String
        switch folder {
        case .pending:
            header = "# Sluice pending update. Approve: mv this file to ../approved/\n# Reject: mv it to ../rejected/. Sluice never changes plugins/ without approval.\n"
        case .approved, .applying:
            header = "# Sluice update approved by an operator; 'sluice apply' installs exactly to.sha.\n"
        case .applied:
            header = "# Sluice update applied; see outcome.\n"
        case .failed:
            header = "# Sluice update that failed; see outcome.reason.\n"
        case .rejected:
            header = "# Sluice update rejected by an operator; this exact target is not queued again.\n"
        }
        // The plain writer gives YAMLEncoder's very bytes, several times faster; nil for the rest.
        let body = try RecordEncoding.plain(record) ?? YAMLEncoder().encode(record)
        return Data((header + body).utf8)
    }

    /// Writes a record into `folder` atomically, unless the file already holds exactly these bytes.
    ///
    /// - Returns: whether the file was written.
    @discardableResult
    public func write(_ record: UpdateRecord, to folder: QueueFolder) throws -> Bool {
        let data = try Self.encode(record, folder: folder)
        try checkFolder(folder)
        let path = self.path(record.fileName, in: folder)
        if FileManager.default.contents(atPath: path) == data { return false }
        try AtomicFile.write(data, to: path)
        return true
    }

    /// Removes a file from `folder`; a file already gone (moved by an operator) is not an error.
    public func remove(_ fileName: String, from folder: QueueFolder) throws {
        let path = self.path(fileName, in: folder)
        if unlink(path) != 0, errno != ENOENT {
            throw FileSystemError(operation: "remove", path: path, errno: errno)
        }
    }

    /// The record file names in `folder`, sorted; hidden and temporary files are left out.
    public func names(in folder: QueueFolder) -> [String] {
        Directory.names(layout.folder(folder)).filter(QueueFileName.isRecord).sorted()
    }

    /// How many record files `folder` holds.
    public func count(in folder: QueueFolder) -> Int {
        Directory.names(layout.folder(folder)).filter(QueueFileName.isRecord).count
    }

    /// Decodes the file `fileName` in `folder`.
    public func decode(_ fileName: String, in folder: QueueFolder) -> Result<UpdateRecord, Problem> {
        Self.decode(file: path(fileName, in: folder))
    }

    /// Moves `fileName` from one folder to another by one rename that never replaces a file,
    /// as an operator's `mv` does.
    ///
    /// - Returns: false when the file was gone (someone else moved it first).
    /// - Throws: ``FileSystemError`` when the rename fails otherwise (a file of that name is already there).
    public func move(_ fileName: String, from source: QueueFolder, to destination: QueueFolder) throws -> Bool {
        try AtomicFile.moveNoReplace(path(fileName, in: source), to: path(fileName, in: destination))
    }

    /// A folder as an operator sees it, relative to the root (`updates/pending`).
    public func displayPath(_ folder: QueueFolder) -> String {
        layout.config.queue + "/" + folder.rawValue
    }

    /// A file as an operator sees it, relative to the root (`updates/pending/<id>.yaml`).
    public func displayPath(_ fileName: String, in folder: QueueFolder) -> String {
        displayPath(folder) + "/" + fileName
    }

    /// Removes temporary files left in `folder` by a crashed write.
    public func sweepTemporaries(in folder: QueueFolder) {
        AtomicFile.sweepTemporaries(in: layout.folder(folder))
    }

    /// Creates the missing queue folders, each with a `.gitkeep` so that git keeps it.
    ///
    /// - Returns: the folders created.
    func createFoldersWithKeepFiles() throws -> [String] {
        let fileManager = FileManager.default
        var created: [String] = []
        for folder in QueueFolder.allCases {
            let path = layout.folder(folder)
            if !fileManager.fileExists(atPath: path) {
                try fileManager.createDirectory(atPath: path, withIntermediateDirectories: true)
                created.append(path)
            }
            let keep = path + "/.gitkeep"
            if !fileManager.fileExists(atPath: keep) { _ = fileManager.createFile(atPath: keep, contents: Data()) }
        }
        return created
    }

    /// Checks, before a write, that `folder` is a real folder below the root reached without a
    /// symbolic link (``ConfinedPath``).
    ///
    /// - Throws: ``ConfinementError`` naming the link.
    func checkFolder(_ folder: QueueFolder) throws {
        try ConfinedPath(root: layout.root).check(layout.folder(folder))
    }

    /// The absolute path of `fileName` in `folder`.
    func path(_ fileName: String, in folder: QueueFolder) -> String {
        layout.folder(folder) + "/" + fileName
    }
}
