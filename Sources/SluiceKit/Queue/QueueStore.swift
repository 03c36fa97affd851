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

    /// How many files ``read(_:cache:workers:)`` reads at once in a command: one per core, up
    /// to 8, as workspaces are read.
    public static var readWorkers: Int { WorkspaceState.readWorkers }

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
    /// Every record file is read, whatever the others hold: one that cannot be read is a
    /// problem of its own and the rest are read as usual.
    /// - Parameter cache: Records of earlier reads, reused for files whose identity did not
    ///   change; nil (a process that reads the folder once) reads every file without taking
    ///   identities apart from the read.
    /// - Returns: the records, sorted by file name, and the files that could not be read.
    public func read(_ folder: QueueFolder, cache: QueueRecordCache? = nil) -> (entries: [QueueEntry], problems: [Problem]) {
        let path = layout.folder(folder)
        let names = names(in: folder)
        let earlier = cache?.records(in: path) ?? [:]
        let directory = OpenFolder(path)
        defer { directory.close() }
        let loads = names.map { Self.load($0, in: directory, earlier: earlier[$0]) }
        return collect(names, loads, in: folder, earlier: earlier, cache: cache)
    }

    /// Reads every record in a queue folder as ``read(_:cache:)`` does, with up to `workers`
    /// files read and parsed at once.
    ///
    /// With `sweepingTemporaries`, the temporaries of a writer that died are removed from the
    /// same listing first (as ``sweepTemporaries(in:)`` would, without listing the folder again).
    public func read(_ folder: QueueFolder, cache: QueueRecordCache? = nil, workers: Int, sweepingTemporaries: Bool = false) async
        -> (entries: [QueueEntry], problems: [Problem]) {
        let path = layout.folder(folder)
        let names = names(in: folder, sweepingTemporaries: sweepingTemporaries)
        let earlier = cache?.records(in: path) ?? [:]
        // A few hundred files per task: enough to keep every worker busy, few enough tasks that
        // starting them costs nothing next to the reads.
        let size = max(64, names.count / max(1, workers * 8))
        let chunks = stride(from: 0, to: names.count, by: size).map { Array(names[$0..<min($0 + size, names.count)]) }
        let directory = OpenFolder(path)
        defer { directory.close() }
        let loaded = await concurrentMap(chunks, limit: workers) { chunk in
            chunk.map { Self.load($0, in: directory, earlier: earlier[$0]) }
        }
        return collect(names, loaded.joined(), in: folder, earlier: earlier, cache: cache)
    }

    /// One record file as read: its record or problem, its identity when it was read whole,
    /// and whether the cached record was still good.
    struct Load: Sendable {
        var result: Result<UpdateRecord, Problem>
        var identity: FileIdentity?
        var reused: Bool
    }

    /// Reads the record file `name` in `folder`, or takes `earlier` when the file still has its identity.
    static func load(_ name: String, in folder: OpenFolder, earlier: QueueRecordCache.Cached?) -> Load {
        if let earlier, FileIdentity(name: folder.target(name), in: folder.descriptor) == earlier.identity {
            return Load(result: earlier.result, identity: earlier.identity, reused: true)
        }
        guard let whole = WholeFile(name: folder.target(name), in: folder.descriptor) else {
            return Load(result: .failure(Problem(file: folder.path(of: name), reason: "cannot read the file")), identity: nil, reused: false)
        }
        let result = RecordDecoding.decode(whole.data).mapError { Problem(file: folder.path(of: name), reason: $0.reason) }
        return Load(result: result, identity: whole.identity, reused: false)
    }

    /// The entries and problems of `names` read as `loads`, and the cache brought up to date.
    private func collect(_ names: [String], _ loads: some Sequence<Load>, in folder: QueueFolder,
                         earlier: [String: QueueRecordCache.Cached], cache: QueueRecordCache?) -> (entries: [QueueEntry], problems: [Problem]) {
        var entries: [QueueEntry] = []
        entries.reserveCapacity(names.count)
        var problems: [Problem] = []
        var kept: [String: QueueRecordCache.Cached] = [:]
        if cache != nil { kept.reserveCapacity(names.count) }
        var changes = 0
        var reused = 0
        for (name, load) in zip(names, loads) {
            switch load.result {
            case .success(let record): entries.append(QueueEntry(fileName: name, record: record))
            case .failure(let problem): problems.append(Problem(file: displayPath(name, in: folder), reason: problem.reason))
            }
            guard cache != nil else { continue }
            if load.reused { reused += 1 } else { changes += 1 }
            if let identity = load.identity { kept[name] = (identity, load.result) }
        }
        // A file that was cached and is no longer kept is gone (or unreadable now, counted
        // above already): one change for all of them.
        if cache != nil, earlier.count > reused, earlier.keys.contains(where: { kept[$0] == nil }) {
            changes += 1
        }
        cache?.replace(layout.folder(folder), with: kept, changes: changes)
        return (entries, problems)
    }

    /// Decodes one record file.
    public static func decode(file: String) -> Result<UpdateRecord, Problem> {
        load(file, in: OpenFolder.none, earlier: nil).result
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
        names(in: folder, sweepingTemporaries: false)
    }

    /// The record names in `folder`, sorted; with `sweepingTemporaries`, its temporaries are
    /// removed from the same listing.
    func names(in folder: QueueFolder, sweepingTemporaries: Bool) -> [String] {
        let path = layout.folder(folder)
        let listed = Directory.names(path)
        if sweepingTemporaries { AtomicFile.sweepTemporaries(listed, in: path) }
        return listed.filter(QueueFileName.isRecord).sorted()
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
