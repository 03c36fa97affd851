import Foundation
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// Files read through an ``OpenFolder`` are the files reading by path gives: links followed,
/// identities from the descriptor read, and a folder that cannot be opened read by path.
@Suite struct OpenFolderTests {
    @Test func aFileReadInTheFolderIsTheFileReadByPath() async throws {
        try await withTemporaryFolder { folder in
            try "one\n".write(toFile: folder + "/a.yaml", atomically: false, encoding: .utf8)
            let open = OpenFolder(folder)
            defer { open.close() }
            #expect(open.descriptor != AT_FDCWD)
            let relative = try #require(WholeFile(name: open.target("a.yaml"), in: open.descriptor))
            let byPath = try #require(WholeFile(path: folder + "/a.yaml"))
            #expect(relative.data == byPath.data)
            #expect(relative.identity == byPath.identity)
            #expect(FileIdentity(name: "a.yaml", in: open.descriptor) == FileIdentity(path: folder + "/a.yaml"))
            #expect(open.path(of: "a.yaml") == folder + "/a.yaml")
        }
    }

    @Test func linksAreFollowedAsByPath() async throws {
        try await withTemporaryFolder { folder in
            try "target\n".write(toFile: folder + "/real.yaml", atomically: false, encoding: .utf8)
            #expect(symlink(folder + "/real.yaml", folder + "/link.yaml") == 0)
            let open = OpenFolder(folder)
            defer { open.close() }
            let read = try #require(WholeFile(name: "link.yaml", in: open.descriptor))
            #expect(read.data == Data("target\n".utf8))
            #expect(read.identity == FileIdentity(path: folder + "/real.yaml"))
        }
    }

    @Test func aFolderThatCannotBeOpenedIsReadByPath() async throws {
        try await withTemporaryFolder { folder in
            let open = OpenFolder(folder + "/missing")
            defer { open.close() }
            #expect(open.descriptor == AT_FDCWD)
            #expect(open.target("a.yaml") == folder + "/missing/a.yaml")
            #expect(WholeFile(name: open.target("a.yaml"), in: open.descriptor) == nil)
            #expect(OpenFolder.none.target("/x/a.yaml") == "/x/a.yaml")
        }
    }

    /// The read that would return 0 is spared only when a regular file gave exactly its `fstat`
    /// size: a file whose size says nothing of its length (procfs reports 0) is read to its end,
    /// and an empty file and a file past the first buffer are read whole.
    @Test func filesAreReadToTheirEndWhateverTheirSizeSays() async throws {
        let status = try #require(WholeFile(path: "/proc/self/status"))
        #expect(String(decoding: status.data, as: UTF8.self).contains("\nPid:"))
        try await withTemporaryFolder { folder in
            try Data().write(to: URL(fileURLWithPath: folder + "/empty"))
            #expect(WholeFile(path: folder + "/empty")?.data == Data())
            let large = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0) })
            try large.write(to: URL(fileURLWithPath: folder + "/large"))
            #expect(WholeFile(path: folder + "/large")?.data == large)
        }
    }

    @Test func aPathBelowTheFolderIsReadRelativeToIt() async throws {
        try await withTemporaryFolder { folder in
            try FileManager.default.createDirectory(atPath: folder + "/p", withIntermediateDirectories: true)
            try "stamp\n".write(toFile: folder + "/p/.sluice-stamp", atomically: false, encoding: .utf8)
            let open = OpenFolder(folder)
            defer { open.close() }
            let read = try #require(WholeFile(name: open.target("p/.sluice-stamp"), in: open.descriptor))
            #expect(read.data == Data("stamp\n".utf8))
            #expect(read.identity == FileIdentity(path: folder + "/p/.sluice-stamp"))
        }
    }
}
