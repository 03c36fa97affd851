import Foundation
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// `--shard K/N`: disjoint, stable shares that together cover every workspace.
@Suite struct ShardTests {
    @Test(arguments: [1, 2, 3, 7])
    func sharesAreDisjointAndCoverEveryPath(count: Int) throws {
        let paths = (0..<2000).map { "team\($0 % 17)/ws\($0)" }
        let shards = try (1...count).map { try Shard(parsing: "\($0)/\(count)") }
        var owners: [String: Int] = [:]
        for path in paths {
            let owning = shards.filter { $0.contains(path) }
            #expect(owning.count == 1, "\(path) is in \(owning.count) shards")
            owners[path] = owning.first?.index
        }
        #expect(owners.count == paths.count)
        for shard in shards {
            let share = owners.values.filter { $0 == shard.index }.count
            // A hash, not a list position: each share is near 1/N (here within 25%).
            #expect(abs(Double(share) - Double(paths.count) / Double(count)) < 0.25 * Double(paths.count) / Double(count))
        }
        // Stable: the same path lands in the same shard every time, whatever else exists.
        #expect(try Shard(parsing: "1/\(count)").contains("team3/ws3") == shards[0].contains("team3/ws3"))
    }

    @Test(arguments: ["0/3", "4/3", "1/0", "a/b", "1", "1/2/3", ""])
    func badShardsAreRefused(text: String) {
        #expect(throws: SluiceError.self) { try Shard(parsing: text) }
    }

    @Test func shardedPassesQueueExactlyWhatOneFullPassQueues() async throws {
        try await withTemporaryFolder { dir in
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            try await upstream.release("v1.0.0")
            let full = try RootFixture(in: dir + "/full")
            let sharded = try RootFixture(in: dir + "/sharded")
            for index in 0..<40 {
                for fixture in [full, sharded] {
                    try fixture.workspace("team\(index % 3)/ws\(index)", RootFixture.manifest("review", source: upstream.url, track: "tag:latest"))
                }
            }
            try await full.reconcile()
            let expected = Set(listFolder(full.folder(.pending)))
            #expect(expected.count == 40)
            var seen: [Set<String>] = []
            for index in 1...3 {
                let before = Set(listFolder(sharded.folder(.pending)))
                let report = try await sharded.reconcile(scope: .init(shard: try Shard(parsing: "\(index)/3")))
                let added = Set(listFolder(sharded.folder(.pending))).subtracting(before)
                #expect(report.queued.count == added.count)
                #expect(report.withdrawn.isEmpty, "a shard must not withdraw another shard's files")
                seen.append(added)
            }
            #expect(seen[0].isDisjoint(with: seen[1]) && seen[0].isDisjoint(with: seen[2]) && seen[1].isDisjoint(with: seen[2]))
            #expect(seen.reduce(Set<String>()) { $0.union($1) } == expected)
        }
    }

}
