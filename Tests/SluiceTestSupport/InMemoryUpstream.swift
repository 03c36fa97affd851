import Foundation
import Synchronization
@testable import SluiceKit

/// An ``Upstream`` held in memory, for reconcile tests that start no process (as SwiftPM's
/// `InMemoryGitRepository` stands in for a repository).
///
/// Each source has commits, tags and branches; a source can be made unreachable. Listings and
/// lookups are counted, so tests can check "once per source" without git's counter.
package final class InMemoryUpstream: Upstream {
    package struct Repository {
        package var commits: [String] = []
        package var tags: [String: String] = [:]
        package var branches: [String: String] = [:]
        package var unreachable = false
    }

    package init() {}

    private let state = Mutex<(repositories: [String: Repository], listings: [String: Int], lookups: [String: Int])>(([:], [:], [:]))

    /// A full SHA made from `seed`, stable from run to run.
    package static func sha(_ seed: String) -> String {
        var text = ""
        var round: UInt64 = 0
        while text.count < 40 {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ round
            for byte in seed.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            text += String(format: "%016llx", hash)
            round += 1
        }
        return String(text.prefix(40))
    }

    /// Adds a commit to `source` (made from `seed`, or given as `sha`) and returns its SHA.
    @discardableResult
    package func commit(_ source: String, _ seed: String, sha: String? = nil, branch: String? = "main") -> String {
        let id = sha ?? Self.sha(source + "#" + seed)
        state.withLock { state in
            state.repositories[source, default: Repository()].commits.append(id)
            if let branch { state.repositories[source]?.branches[branch] = id }
        }
        return id
    }

    /// Adds a commit and a tag on it; returns the SHA.
    @discardableResult
    package func release(_ source: String, _ tag: String) -> String {
        let id = commit(source, tag)
        self.tag(source, tag, at: id)
        return id
    }

    /// Points `tag` of `source` at `sha`.
    package func tag(_ source: String, _ tag: String, at sha: String) {
        state.withLock { $0.repositories[source, default: Repository()].tags[tag] = sha }
    }

    /// Makes `source` fail (or answer again).
    package func setUnreachable(_ source: String, _ unreachable: Bool = true) {
        state.withLock { $0.repositories[source, default: Repository()].unreachable = unreachable }
    }

    /// How many times `source` was listed.
    package func listings(_ source: String) -> Int { state.withLock { $0.listings[source] ?? 0 } }

    /// How many history lookups ran for `source`.
    package func lookups(_ source: String) -> Int { state.withLock { $0.lookups[source] ?? 0 } }

    package func listRefs(_ source: String) async -> Result<RemoteRefs, GitError> {
        state.withLock { state in
            state.listings[source, default: 0] += 1
            guard let repository = state.repositories[source], !repository.unreachable else {
                return .failure(GitError(arguments: ["ls-remote", source], status: 128, message: "fatal: could not read from \(source)"))
            }
            return .success(RemoteRefs(tags: repository.tags, branches: repository.branches))
        }
    }

    package func lookup(_ prefix: String, source: String) async -> Result<String, SourceCache.LookupFailure> {
        state.withLock { state in
            state.lookups[source, default: 0] += 1
            guard let repository = state.repositories[source], !repository.unreachable else {
                return .failure(SourceCache.LookupFailure(reason: "cannot fetch \(source) to look up sha:\(prefix)"))
            }
            let matches = Set(repository.commits.filter { $0.hasPrefix(prefix) })
            if matches.count > 1 {
                return .failure(SourceCache.LookupFailure(reason: "sha:\(prefix) is ambiguous upstream: several objects start with it; write more digits"))
            }
            guard let sha = matches.first else { return .failure(SourceCache.LookupFailure(reason: "sha:\(prefix) is not a commit of \(source)")) }
            return .success(sha)
        }
    }
}
