import Foundation
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// `min-age` as the commands show it: `reconcile --json`, `pending` and `status`.
@Suite struct ReleasePolicyCommandTests {
    /// An upstream released at v1.0.0, installed in `ws` of a root whose subscription soaks 72 h.
    func installedAtV1(_ dir: String) async throws -> (RootFixture, UpstreamRepository) {
        let upstream = try await UpstreamRepository(in: dir, name: "review")
        let v1 = try await upstream.release("v1.0.0")
        let fixture = try RootFixture(in: dir)
        try fixture.workspace("ws", RootFixture.manifest("review", source: upstream.url, track: "tag:latest", extra: "    min-age: 72h\n"))
        try await fixture.install("ws", "review", from: upstream, sha: v1, ref: "v1.0.0", track: "tag:latest")
        return (fixture, upstream)
    }

    @Test func pendingAndReconcileShowWhatIsSoakingAndUntilWhen() async throws {
        try await withTemporaryFolder { dir in
            let (fixture, upstream) = try await installedAtV1(dir)
            let v2 = try await upstream.release("v2.0.0")
            let reconciled = try await Shell.sluice(["reconcile", "--root", fixture.root, "--json"])
            #expect(reconciled.status == 0, "\(reconciled.stderr)")
            let report = try JSONDecoder().decode(ReconcileReport.self, from: Data(reconciled.stdout.utf8))
            #expect(report.soaking.map(\.to.sha) == [v2])
            let pending = try await Shell.sluice(["pending", "--root", fixture.root, "--json"])
            let listed = try JSONDecoder().decode(PendingReport.self, from: Data(pending.stdout.utf8))
            #expect(listed.total == 0)
            #expect(listed.soaking.first?.to.ref == "v2.0.0")
            #expect(listed.soaking.first?.until == report.soaking.first?.until)
            let text = try await Shell.sluice(["pending", "--root", fixture.root])
            #expect(text.stdout.contains("1 target soaking (min-age)"), "\(text.stdout)")
            let status = try await Shell.sluice(["status", "--root", fixture.root, "--wide"], environment: ["NO_COLOR": "1"])
            #expect(status.stdout.contains("soaking until"), "\(status.stdout)")
        }
    }
}
