import Foundation
import Testing
@testable import SluiceKit
@testable import SluiceService
import SluiceTestSupport

/// `serve --git`: a signed push webhook for the root repository itself makes the service pull at
/// once, so an operator's manifest change and approval take effect without waiting for the
/// interval (an hour here).
@Suite struct GitOpsServeTests {
    @Test func aPushWebhookForTheRootRepositoryPullsAtOnce() async throws {
        try await withTemporaryFolder { dir in
            let root = try await GitRoot(in: dir)
            let fixture = try RootFixture(in: dir + "/service", config: GitRoot.configText(""))
            try await ServeHarness.run(fixture, configuration: ServeHarness.configuration { $0.gitOps = true }) { client, server in
                try await ServeHarness.waitForPasses(server, 1)
                #expect(try await client.get("/readyz").status == 200)
                let push = { () async throws in
                    let delivery = ServeHarness.giteaDelivery(event: "push", repositoryURL: root.origin, ref: "refs/heads/main")
                    let reply = try await client.post("/hooks/gitea", body: delivery.body, headers: delivery.headers)
                    #expect(reply.status == 202, "\((try? reply.json()) ?? [:])")
                }
                try await root.operatorCommits("follow review") {
                    try writeFile(root.operatorClone + "/ws/plugins.yaml", "plugins:\n  review:\n    source: \(root.upstream.url)\n    track: tag:latest\n")
                }
                try await push()
                var pending: [String] = []
                for _ in 0..<40 where pending.isEmpty {
                    try await Task.sleep(for: .milliseconds(250))
                    pending = try await root.remoteFiles(.pending)
                }
                let file = try #require(pending.first, "the webhook's pass did not queue and push")
                try await root.operatorMoves(file)
                try await push()
                var applied: [String] = []
                for _ in 0..<40 where applied.isEmpty {
                    try await Task.sleep(for: .milliseconds(250))
                    applied = try await root.remoteFiles(.applied)
                }
                #expect(applied == [file])
                #expect(server.service.state.lastPass?.scope == "webhook")
            }
        }
    }

    @Test func aStoppedFollowMakesReadyzSaySo() async throws {
        try await withTemporaryFolder { dir in
            let root = try await GitRoot(in: dir)
            let fixture = try RootFixture(in: dir + "/service", config: GitRoot.configText(""))
            // The service followed a commit the remote no longer has: a rewritten branch.
            try FileManager.default.createDirectory(atPath: root.service + "/.sluice", withIntermediateDirectories: true)
            try writeFile(root.service + "/.sluice/gitops.json", "{\"followed\": \"\(String(repeating: "1", count: 40))\"}")
            try await ServeHarness.run(fixture, configuration: ServeHarness.configuration { $0.gitOps = true }) { client, server in
                var answer = try await client.get("/readyz")
                for _ in 0..<40 where answer.status != 503 || (try? answer.json()["status"] as? String) != "git-stopped" {
                    try await Task.sleep(for: .milliseconds(250))
                    answer = try await client.get("/readyz")
                }
                #expect(answer.status == 503)
                #expect(try answer.json()["status"] as? String == "git-stopped")
                #expect(ServeStatus.read(layout: try fixture.layout())?.gitStopped?.contains("history rewritten") == true)
            }
        }
    }
}
