import Crypto
import Foundation

/// One bare repository per source under the root's state folder, shared by every workspace.
///
/// Fanning one update out to 500 workspaces fetches once: the commit is fetched into the cache,
/// then exported from it for each workspace. Fetches into one cache are serialised by a lock.
public struct SourceCache: Sendable {
    /// The git choke point.
    public let git: Git
    /// The root's layout.
    public let layout: RootLayout

    /// Creates the cache of `layout`.
    public init(git: Git, layout: RootLayout) {
        self.git = git
        self.layout = layout
    }

    /// The cache repository of `source`: named by a hash, so no URL text reaches a path.
    public func path(for source: String) -> String {
        let digest = SHA256.hash(data: Data(source.utf8)).map { String(format: "%02x", $0) }.joined()
        return layout.cache + "/" + digest.prefix(24) + ".git"
    }

    private var timeout: Duration { .seconds(layout.config.fetchTimeout) }

    /// Creates the bare repository when it does not exist yet; returns its path.
    @discardableResult
    public func ensure(_ source: String) async throws -> String {
        let repo = path(for: source)
        if FileManager.default.fileExists(atPath: repo + "/HEAD") { return repo }
        try FileManager.default.createDirectory(atPath: layout.cache, withIntermediateDirectories: true)
        let temporary = layout.cache + "/" + TemporaryName.make(for: "cache")
        try await git.initBare(at: temporary)
        if rename(temporary, repo) != 0 {
            try? FileManager.default.removeItem(atPath: temporary)
            guard FileManager.default.fileExists(atPath: repo + "/HEAD") else {
                throw FileSystemError(operation: "create cache", path: repo, errno: errno)
            }
        }
        return repo
    }

    /// Fetches exactly `sha` from `source` into its cache unless the cache already has it whole.
    ///
    /// Fetching the approved commit itself, not a ref, closes the race between resolving and
    /// fetching: a tag moved after approval cannot change what lands. "Has it" means the commit
    /// and every tree and blob of its tree (``Git/hasCompleteTree(of:in:)``): a fetch killed
    /// while unpacking leaves the commit object without its trees, and a check of the commit
    /// alone would skip the fetch and fail at export on every retry. Fetching again fills in the
    /// missing objects (git sees the commit is not connected and fetches it).
    /// - Returns: whether a fetch ran.
    /// - Throws: ``GitError`` when the fetch fails, or when even after it the cache lacks objects
    ///   of the commit (the message names the cache to delete).
    @discardableResult
    public func fetch(_ source: String, sha: String) async throws -> Bool {
        let repo = try await ensure(source)
        // Checked under the lock only: a fetch in progress in another process writes the commit
        // object before the trees it points to, so "has the commit" is no proof of "has the tree".
        return try await FileLock.withLock(layout.locks + "/cache-" + (repo as NSString).lastPathComponent + ".lock") {
            if await git.hasCompleteTree(of: sha, in: repo) { return false }
            try await git.fetch(commit: sha, from: source, into: repo, timeout: timeout)
            guard await git.hasCommit(sha, in: repo) else {
                throw GitError(arguments: ["fetch", source, sha], status: nil, message: "the fetch did not bring commit \(sha)")
            }
            guard await git.hasCompleteTree(of: sha, in: repo) else {
                throw GitError(arguments: ["fetch", source, sha], status: nil,
                               message: "the source cache \(repo) still lacks trees or files of commit \(sha) after a fetch; "
                                   + "delete that folder (it is only a cache) and apply again")
            }
            return true
        }
    }

    /// Fetches every branch and tag of `source` into its cache (for searching history).
    public func fetchAll(_ source: String) async throws {
        let repo = try await ensure(source)
        try await FileLock.withLock(layout.locks + "/cache-" + (repo as NSString).lastPathComponent + ".lock") {
            try await git.fetchAllRefs(from: source, into: repo, timeout: timeout)
        }
    }

    /// Whether the repository holds `sha` as a commit.
    public func hasCommit(_ sha: String, in repo: String) async -> Bool {
        await git.hasCommit(sha, in: repo)
    }

    /// Finds the one commit in `source`'s history whose SHA starts with `prefix`.
    ///
    /// - Returns: the full SHA, or a reason: unknown upstream, or ambiguous.
    public func lookup(_ prefix: String, source: String) async -> Result<String, LookupFailure> {
        do {
            try await fetchAll(source)
        } catch {
            return .failure(LookupFailure(reason: "cannot fetch \(source) to look up sha:\(prefix): \(error)"))
        }
        let repo = path(for: source)
        do {
            return .success(try await git.resolveAbbreviation(prefix, in: repo))
        } catch {
            if error.detail.contains("ambiguous") {
                return .failure(LookupFailure(reason: "sha:\(prefix) is ambiguous upstream: several objects start with it; write more digits"))
            }
            return .failure(LookupFailure(reason: "sha:\(prefix) is not a commit of \(source)"))
        }
    }

    /// Why a SHA lookup failed.
    public struct LookupFailure: Error, Sendable, Hashable {
        /// For the operator.
        public var reason: String
    }
}
