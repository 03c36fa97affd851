import Foundation
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// `--shard K/N` on the read-only commands: the shards' outputs partition the rows.
@Suite struct ShardCommandTests {
    @Test func statusAndPendingShardsPartitionTheRows() async throws {
        try await withTemporaryFolder { dir in
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            try await upstream.release("v1.0.0")
            let fixture = try RootFixture(in: dir)
            let workspaces = (0..<12).map { "team/ws\($0)" }
            for workspace in workspaces {
                try fixture.workspace(workspace, RootFixture.manifest("review", source: upstream.url, track: "tag:latest"))
            }
            try await fixture.reconcile()
            let all = Set(try fixture.records(.pending).values.map(\.id))
            #expect(all.count == 12)

            var pendingShares: [Set<String>] = []
            var statusShares: [Set<String>] = []
            for shard in ["1/2", "2/2"] {
                let pending = try await Shell.sluice(["pending", "--root", fixture.root, "--shard", shard, "--json"])
                #expect(pending.status == 0, "\(pending.stderr)")
                let report = try JSONDecoder().decode(PendingReport.self, from: Data(pending.stdout.utf8))
                let ids = Set(report.groups.flatMap(\.items).map(\.id))
                #expect(report.total == ids.count)
                pendingShares.append(ids)
                let status = try await Shell.sluice(["status", "--root", fixture.root, "--shard", shard, "--json"])
                #expect(status.status == 0, "\(status.stderr)")
                let rows = try JSONDecoder().decode(StatusReport.self, from: Data(status.stdout.utf8)).workspaces
                let paths = Set(rows.map(\.path))
                let parsed = try Shard(parsing: shard)
                #expect(paths.allSatisfy(parsed.contains))
                #expect(rows.allSatisfy { $0.plugins.allSatisfy { $0.state == .pending } })
                statusShares.append(paths)
            }
            #expect(!pendingShares[0].isEmpty && !pendingShares[1].isEmpty)
            #expect(pendingShares[0].isDisjoint(with: pendingShares[1]))
            #expect(pendingShares[0].union(pendingShares[1]) == all)
            #expect(statusShares[0].isDisjoint(with: statusShares[1]))
            #expect(statusShares[0].union(statusShares[1]) == Set(workspaces))

            let text = try await Shell.sluice(["pending", "--root", fixture.root, "--shard", "1/2"])
            #expect(text.stdout.contains("\(pendingShares[0].count) update"))
            let bad = try await Shell.sluice(["status", "--root", fixture.root, "--shard", "3/2"])
            #expect(bad.status == 64)
        }
    }
}
