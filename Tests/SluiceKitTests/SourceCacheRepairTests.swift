import Foundation
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// The shared source cache after a `git fetch` killed mid-way (issue #10): the commit object can
/// be there while trees or files of it are not, which must not poison every later apply.
@Suite struct SourceCacheRepairTests {
    /// The object a killed fetch did not get to write.
    enum Missing: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case rootTree, folderTree, file

        /// The object's name in `git rev-parse` syntax, relative to the commit `sha`.
        func revision(of sha: String) -> String {
            switch self {
            case .rootTree: sha + "^{tree}"
            case .folderTree: sha + ":skills"
            case .file: sha + ":skills/deep/SKILL.md"
            }
        }

        var testDescription: String { rawValue }
    }

    /// Fetches v2.0.0 into the cache as an earlier apply would, then deletes one object of its
    /// tree, leaving what a fetch killed while unpacking leaves (loose objects are written
    /// commit first). Returns the fixture with v2.0.0 approved, and its commit.
    static func poisonedCache(_ dir: String, missing: Missing) async throws -> (ApplyFixtures.Update, String) {
        let update = try await ApplyFixtures.update(dir)
        var files = ApplyFixtures.v1Files
        files["skills/deep/SKILL.md"] = "# Deep review\nRead every file twice.\n"
        let v2 = try await update.upstream.release("v2.0.0", files)
        try await ApplyFixtures.queueAndApprove(update.fixture, sha: v2)
        let cache = SourceCache(git: update.fixture.git, layout: try update.fixture.layout())
        try await cache.fetch(update.upstream.url, sha: v2)
        let repo = cache.path(for: update.upstream.url)
        let object = try await Shell.git(["rev-parse", missing.revision(of: v2)], in: repo)
        let file = repo + "/objects/" + object.prefix(2) + "/" + object.dropFirst(2)
        try #require(FileManager.default.fileExists(atPath: file), "the fetch should have stored \(missing) as a loose object")
        try FileManager.default.removeItem(atPath: file)
        // The commit itself is still there: `cat-file -e` alone says the cache has it.
        try await Shell.git(["cat-file", "-e", v2 + "^{commit}"], in: repo)
        return (update, v2)
    }

    @Test(arguments: Missing.allCases)
    func applyFetchesAgainWhenTheCacheHasTheCommitButNotAllOfItsTree(_ missing: Missing) async throws {
        try await withTemporaryFolder { dir in
            let (update, v2) = try await Self.poisonedCache(dir, missing: missing)
            let report = try await update.fixture.apply()
            #expect(report.items.map(\.result) == ["applied"], "\(report.items)")
            #expect(report.fetches == 1)
            try await ApplyFixtures.expectInstalled(update.fixture, "ws", "review", update.upstream, sha: v2)
            let repo = SourceCache(git: update.fixture.git, layout: try update.fixture.layout()).path(for: update.upstream.url)
            // Every object of the commit's tree is back.
            try await Shell.git(["rev-list", "--quiet", "--objects", "--no-walk", "--missing=error", v2], in: repo)
        }
    }

    @Test func aWholeCommitInTheCacheIsNotFetchedAgain() async throws {
        try await withTemporaryFolder { dir in
            let update = try await ApplyFixtures.update(dir)
            let v2 = try await update.upstream.release("v2.0.0", ApplyFixtures.v1Files.merging(["NEW.md": "new\n"]) { $1 })
            let cache = SourceCache(git: update.fixture.git, layout: try update.fixture.layout())
            #expect(try await cache.fetch(update.upstream.url, sha: v2))
            #expect(try await cache.fetch(update.upstream.url, sha: v2) == false)
        }
    }
}
