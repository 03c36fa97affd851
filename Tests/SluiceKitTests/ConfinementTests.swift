import Foundation
import Logging
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// Writes are confined to the root (issue 10, defect 4): a symbolic link planted at any folder
/// that apply, rollback or install writes into fails that update with a reason naming the link,
/// and nothing is written where the link points.
@Suite struct ConfinementTests {
    enum Command: String, Sendable {
        case apply, rollback, install
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var command: Command
        /// The folder replaced by a link, relative to the root.
        var path: String
        var testDescription: String { "\(command.rawValue): \(path)" }
    }

    /// Every folder each command writes into, parents first.
    static let cases: [Case] = [
        "ws/plugins", "ws/plugins/review", "ws/.sluice", "ws/.sluice/staging", "ws/.sluice/staging/review", "ws/.sluice/staging/review.old",
        "ws/.sluice/retained", "ws/.sluice/retained/review",
        "updates", "updates/approved", "updates/applying", "updates/applied", "updates/failed",
        ".sluice", ".sluice/locks", ".sluice/trees", ".sluice/cache",
    ].map { Case(command: .apply, path: $0) } + [
        "ws/plugins", "ws/plugins/review", "ws/.sluice", "ws/.sluice/retained", "ws/.sluice/retained/review",
        "updates", "updates/applied", ".sluice", ".sluice/locks",
    ].map { Case(command: .rollback, path: $0) } + [
        "ws/plugins", "ws/.sluice", "ws/.sluice/staging", "updates", "updates/approved", "updates/applying", "updates/applied",
        ".sluice/locks", ".sluice/trees",
    ].map { Case(command: .install, path: $0) }

    /// Replaces `relative` (a folder, made if missing) by a link to a folder outside the root
    /// that holds what the folder held.
    static func plantLink(at relative: String, in fixture: RootFixture, outside: String) throws {
        let path = fixture.root + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: path) {
            try FileManager.default.moveItem(atPath: path, toPath: outside)
        } else {
            try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        }
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: outside)
    }

    @Test(arguments: cases)
    func linkAtAWrittenFolderFailsTheUpdateAndWritesNothingOutside(_ test: Case) async throws {
        try await withTemporaryFolder { dir in
            let (fixture, upstream, _, v2) = try await ApplyEdgeTests.queued(dir)
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            switch test.command {
            case .apply:
                _ = try fixture.approveAll()
            case .rollback:
                _ = try fixture.approveAll()
                #expect(try await fixture.apply().items.map(\.result) == ["applied"])
            case .install:
                break
            }
            let outside = dir + "/outside"
            try Self.plantLink(at: test.path, in: fixture, outside: outside)
            let before = snapshot(outside)

            var reasons: [String] = []
            do {
                switch test.command {
                case .apply:
                    reasons = try await fixture.apply().items.compactMap(\.reason)
                case .rollback:
                    _ = try await Rollback(layout: try fixture.layout(), logger: logger).run(workspace: "ws", plugin: "review")
                case .install:
                    let request = OperatorInstall.Request(workspace: "ws", plugin: "extra", source: upstream.url, subpath: nil, track: .none, ref: "v1.1.0")
                    reasons = try await OperatorInstall(layout: try fixture.layout(), git: fixture.git, logger: logger).run(request).items.compactMap(\.reason)
                }
            } catch {
                reasons.append("\(error)")
            }

            let link = fixture.root + "/" + test.path
            #expect(reasons.contains { $0.contains("\(link) is a symbolic link") }, "\(reasons)")
            #expect(snapshot(outside) == before)
            _ = v2
        }
    }
}
