import Crypto
import Foundation

/// Exported plugin trees, one per (source, commit, subpath), shared by every workspace.
///
/// Fanning one update out to many workspaces fetches the commit once and exports it once into
/// `.sluice/trees/`; each workspace then gets a plain copy of that tree, which is what the
/// update costs at least. Digests are computed once per tree and kept for the run.
actor PreparedTrees {
    private let layout: RootLayout
    private let cache: SourceCache
    private let exporter: TreeExporter
    /// An exported tree, its file entries and its digest.
    typealias Prepared = (path: String, files: [String: TreeDigest.Entry], digest: String)
    private var ready: [String: Prepared] = [:]
    /// Callers waiting for a tree another caller of this run is preparing (fetch, export, digest).
    private var waiting: [String: [CheckedContinuation<Prepared, any Error>]] = [:]

    init(layout: RootLayout, git: Git) {
        self.layout = layout
        self.cache = SourceCache(git: git, layout: layout)
        self.exporter = TreeExporter(git: git)
    }

    /// The exported tree of `sha` (or `sha:subpath`) from `source`, with its file entries and digest.
    ///
    /// Prepared once per run: concurrent updates of the same tree wait for the first caller's
    /// result (or its error) instead of each taking the cache's and the tree's file locks, which
    /// are polled, and checking the cache with git under them one after another.
    func tree(source: String, sha: String, subpath: String?) async throws -> Prepared {
        var name = sha
        if let subpath {
            name += "-" + SHA256.hash(data: Data(subpath.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
        }
        if let known = ready[name] { return known }
        if waiting[name] != nil {
            return try await withCheckedThrowingContinuation { waiting[name, default: []].append($0) }
        }
        waiting[name] = []
        do {
            let entry = try await prepare(name: name, source: source, sha: sha, subpath: subpath)
            ready[name] = entry
            for waiter in waiting.removeValue(forKey: name) ?? [] { waiter.resume(returning: entry) }
            return entry
        } catch {
            for waiter in waiting.removeValue(forKey: name) ?? [] { waiter.resume(throwing: error) }
            throw error
        }
    }

    /// Fetches, exports and digests one tree (the first caller of ``tree(source:sha:subpath:)``).
    private func prepare(name: String, source: String, sha: String, subpath: String?) async throws -> Prepared {
        let path = layout.state + "/trees/" + name
        if !FileManager.default.fileExists(atPath: path) {
            try await cache.fetch(source, sha: sha)
            let repo = cache.path(for: source)
            try await FileLock.withLock(layout.locks + "/tree-" + name + ".lock") {
                guard !FileManager.default.fileExists(atPath: path) else { return }
                try FileManager.default.createDirectory(atPath: layout.state + "/trees", withIntermediateDirectories: true)
                let temporary = layout.state + "/trees/" + TemporaryName.make(for: name)
                try await exporter.export(repo: repo, sha: sha, subpath: subpath, into: temporary, maxBytes: layout.config.maxTreeBytes)
                TreeSwap.syncFilesystem(of: temporary)
                try TreeSwap.move(temporary, to: path)
            }
        }
        // Mark the tree as used, so that the sweep of trees unused for a week leaves it alone.
        _ = utimes(path, nil)
        let files = try TreeDigest.files(of: path)
        return (path: path, files: files, digest: TreeDigest.digest(of: files))
    }
}
