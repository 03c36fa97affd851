import Foundation
import SluiceTestSupport
import Testing
@testable import SluiceKit

/// Workspaces read on several cores: the same states, in the same order, as one core reads them.
@Suite struct ConcurrentReadTests {
    @Test func severalCoresReadTheSameStatesInTheSameOrder() async throws {
        try await withTemporaryFolder { dir in
            let fixture = try RootFixture(in: dir)
            var paths: [String] = []
            // More than a few chunks, with broken manifests and plugin folders spread through them.
            for index in 0..<(WorkspaceState.readChunk * 4 + 7) {
                let path = String(format: "team-%02d/ws-%04d", index % 7, index)
                paths.append(path)
                if index % 11 == 0 {
                    try fixture.workspace(path, "plugins:\n  review:\n    track: [\(index)\n")
                } else {
                    try fixture.workspace(path, RootFixture.manifest("review", source: "file:///srv/r\(index).git", track: "tag:v1.0.\(index)"))
                }
                if index % 3 == 0 {
                    try writeFile(fixture.root + "/" + path + "/plugins/review/SKILL.md", "x\n")
                }
            }
            let layout = try fixture.layout()
            var oneTiming = WorkspaceState.ReadTiming()
            let one = await WorkspaceState.read(paths, layout: layout, cache: WorkspaceCache(), workers: 1, timing: &oneTiming)
            var manyTiming = WorkspaceState.ReadTiming()
            let many = await WorkspaceState.read(paths, layout: layout, cache: WorkspaceCache(), workers: 4, timing: &manyTiming)
            #expect(many.map(\.path) == paths)
            #expect(one.map(\.path) == paths)
            for (a, b) in zip(one, many) {
                #expect(describe(a.manifest) == describe(b.manifest), "\(a.path)")
                #expect(a.installed == b.installed, "\(a.path)")
            }
            #expect(many.filter { (try? $0.manifest.get()) == nil }.count == paths.indices.filter { $0 % 11 == 0 }.count)
            #expect(many.filter { !$0.installed.isEmpty }.count == paths.indices.filter { $0 % 3 == 0 }.count)
            #expect(manyTiming.manifests + manyTiming.stamps > 0)
        }
    }

    private func describe(_ manifest: Result<Manifest, ValidationError>) -> String {
        switch manifest {
        case .success(let value): return "\(value)"
        case .failure(let error): return "\(error)"
        }
    }
}

/// Workspaces planned on several cores: the same actions, in workspace order, as one core plans them.
@Suite struct ConcurrentPlanTests {
    @Test func severalCoresPlanTheSameActionsInTheSameOrder() async throws {
        try await withTemporaryFolder { dir in
            let upstream = InMemoryUpstream()
            let source = ResolutionReuseTests.review
            let v1 = upstream.release(source, "v1.0.0")
            upstream.release(source, "v1.1.0")
            let fixture = try RootFixture(in: dir)
            // More than a few chunks: drifted, in-sync, unstamped and broken workspaces spread through them.
            let count = Reconciler.planChunk * 3 + 5
            for index in 0..<count {
                let path = String(format: "team-%02d/ws-%04d", index % 5, index)
                if index % 13 == 0 {
                    try fixture.workspace(path, "plugins:\n  review:\n    track: [\(index)\n")
                    continue
                }
                let track = index % 4 == 0 ? "tag:v1.0.0" : "tag:latest"
                try fixture.workspace(path, RootFixture.manifest("review", source: source, track: track))
                if index % 7 != 0 {
                    try UpstreamSeamTests.installStamped(fixture, path, "review", source: source, ref: "v1.0.0", sha: v1, track: track)
                }
            }
            let reconciler = try ResolutionReuseTests.reconciler(fixture, upstream)
            let snapshot = await reconciler.reader.read()
            let context = Reconciler.PlanContext(scope: .all, pendingByWorkspace: [:], approvedByWorkspace: [:], rejections: [], timestamp: "2026-12-05T00:00:00Z")
            let one = await reconciler.planWorkspaces(snapshot, context: context, workers: 1)
            let many = await reconciler.planWorkspaces(snapshot, context: context, workers: 4)
            #expect(snapshot.workspaces.count == count)
            #expect(one.count == count && many.count == count)
            #expect(one == many)
            #expect(many.indices.filter { many[$0] == nil } == snapshot.workspaces.indices.filter { (try? snapshot.workspaces[$0].manifest.get()) == nil })
            let queued = many.compactMap { $0 }.flatMap { $0 }.compactMap { action -> String? in
                if case .queue(let record, _) = action { return record.workspace }
                return nil
            }
            #expect(queued.count == (0..<count).filter { $0 % 13 != 0 && $0 % 4 != 0 || $0 % 13 != 0 && $0 % 7 == 0 }.count)
            let queuedSet = Set(queued)
            #expect(queued == snapshot.workspaces.map(\.path).filter { queuedSet.contains($0) })
        }
    }
}
