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
