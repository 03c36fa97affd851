import Foundation
import Testing
import Yams
@testable import SluiceKit
import SluiceTestSupport

/// The byte-level fast paths for queue records and stamps (``PlainYAML``): whatever they accept
/// they read exactly as the full YAML decoder does, and whatever they are not sure of they leave
/// to it, so errors stay located.
@Suite struct PlainYAMLTests {
    static let sha1 = "622bc3c9fe0a72b36bcb3bd0e6577ada9c707a3c"
    static let sha2 = "10bdb57d2817c2588f529a2c37f0a48bb5de7322"

    /// A pending file as reconcile writes it.
    static let written: String = {
        var record = UpdateRecord(
            id: "team-a~reno+review+10bdb57d2817", workspace: "team-a/reno", plugin: "review", kind: .update,
            source: "file:///tmp/sd/upstream/review.git", subpath: nil, track: "tag:latest",
            from: RefPoint(ref: "v1.0.0", sha: sha1), to: RefPoint(ref: "v1.1.0", sha: sha2), warning: nil,
            detected: "2026-12-01T08:49:37Z",
            basis: Basis(installed: InstalledBasis(state: .stamped, sha: sha1, digest: "sha256:715e"),
                         manifest: ManifestBasis(source: "file:///tmp/sd/upstream/review.git", subpath: nil, track: "tag:latest")))
        return (try? String(decoding: QueueStore.encode(record, folder: .pending), as: UTF8.self)) ?? ""
    }()

    /// Records the fast path must read, each as the full decoder does.
    static let readable: [String] = [
        written,
        written.replacingOccurrences(of: "\n", with: "\r\n"),
        written.replacingOccurrences(of: "detected: '2026-12-01T08:49:37Z'", with: "detected: 2026-12-01T08:49:37Z   # when"),
        written.replacingOccurrences(of: "  ref: v1.0.0", with: "  ref: null"),
        written.replacingOccurrences(of: "  ref: v1.0.0", with: "  ref: ~"),
        written.replacingOccurrences(of: "  ref: v1.0.0", with: "  ref: 'null'"),
        written.replacingOccurrences(of: "  ref: v1.0.0", with: "  ref: \"v1.0.0\""),
        written.replacingOccurrences(of: "  ref: v1.0.0", with: "  ref: 'it''s # not a comment'"),
        written.replacingOccurrences(of: "  ref: v1.0.0", with: "  ref: v1#0 # a comment"),
        written.replacingOccurrences(of: "  ref: v1.0.0", with: "  ref:"),
        written.replacingOccurrences(of: "from:\n  ref: v1.0.0\n  sha: \(sha1)\n", with: "from: null\n"),
        written.replacingOccurrences(of: "from:\n  ref: v1.0.0\n  sha: \(sha1)\n", with: "from:\n"),
        written.replacingOccurrences(of: "from:\n  ref: v1.0.0\n  sha: \(sha1)\n", with: "from:\n    sha: \(sha1)\n    ref: v1.0.0\n"),
        written.replacingOccurrences(of: "from:\n", with: "from: # installed\n# a comment line\n"),
        written.replacingOccurrences(of: "kind: update", with: "kind: downgrade\nwarning: 'v0.9 is older: read this'"),
        written.replacingOccurrences(of: "track: tag:latest\nfrom", with: "track: tag:latest\nsubpath: plugins/a b\nfrom"),
        written + "attempt: 0b3c2f5e-1111-4c8e-9a7e-2b9d3f6a7c10\n",
        written + "\n\n   \n",
        written.replacingOccurrences(of: "  ref: v1.0.0", with: "  ref: 1.10"),
        written.replacingOccurrences(of: "  ref: v1.0.0", with: "  ref: yes"),
        written.replacingOccurrences(of: "  ref: v1.0.0", with: "  ref: 0x1F # hex to YAML, text to a String"),
        written.replacingOccurrences(of: "  ref: v1.0.0", with: "  ref: ''"),
        written.replacingOccurrences(of: "  ref: v1.0.0", with: "  ref: ="),
        written.replacingOccurrences(of: "  ref: v1.0.0", with: "  ref: a,b]c"),
        "format: 1\n" + written.split(separator: "\n").filter { !$0.hasPrefix("format") && !$0.hasPrefix("#") }.joined(separator: "\n"),
    ]

    /// Records the fast path must leave to the full decoder (which reads some, and refuses others).
    static let unusual: [String] = [
        written.replacingOccurrences(of: "workspace: team-a/reno", with: "workspace: équipe/réno"),
        "\u{FEFF}" + written,
        written.replacingOccurrences(of: "  ref: v1.0.0", with: "  ref: \"v1\\u0041\""),
        written.replacingOccurrences(of: "  ref: v1.0.0", with: "  ref: [v1]"),
        written.replacingOccurrences(of: "  ref: v1.0.0", with: "  ref: &a v1.0.0"),
        written.replacingOccurrences(of: "  ref: v1.0.0", with: "\tref: v1.0.0"),
        written.replacingOccurrences(of: "kind: update", with: "kind: update\nextra: 1"),
        written.replacingOccurrences(of: "kind: update", with: "kind: upgrade"),
        written.replacingOccurrences(of: "kind: update", with: "kind: update\nkind: update"),
        written.replacingOccurrences(of: "format: 1", with: "format: 2"),
        written.replacingOccurrences(of: "format: 1", with: "format: '1'"),
        written.replacingOccurrences(of: "format: 1\n", with: ""),
        written.replacingOccurrences(of: "plugin: review", with: "plugin:"),
        written.replacingOccurrences(of: "plugin: review", with: "plugin: null"),
        written.replacingOccurrences(of: "plugin: review", with: "plugin: review\n  more"),
        written.replacingOccurrences(of: "plugin: review", with: "plugin: |\n  review"),
        written.replacingOccurrences(of: "plugin: review", with: "plugin: 'review"),
        written.replacingOccurrences(of: "plugin: review", with: "plugin: a: b"),
        written.replacingOccurrences(of: "  sha: \(sha2)", with: "   sha: \(sha2)"),
        written.replacingOccurrences(of: "basis:\n", with: "basis: x\nold:\n"),
        written.replacingOccurrences(of: "from:\n", with: "from: v1\nx:\n"),
        "---\n" + written,
        written + "...\n",
        written + "---\nformat: 1\n",
        written.replacingOccurrences(of: "from:\n  ref: v1.0.0\n  sha: \(sha1)\n", with: "from: {ref: v1.0.0, sha: \(sha1)}\n"),
        written.replacingOccurrences(of: "from:\n", with: "from: &f\n"),
        written.replacingOccurrences(of: "  ref: v1.0.0", with: "  ref: !!str v1.0.0"),
        written.replacingOccurrences(of: "plugin: review", with: "plugin: review\t"),
        written.replacingOccurrences(of: "plugin: review", with: "plugin: re\u{0C}view"),
        written.replacingOccurrences(of: "plugin: review", with: "plugin: review\rkind: update"),
        written.replacingOccurrences(of: "plugin: review", with: "'plugin': review"),
        written + "signature:\n  method: ssh\n  object: tag\n  id: abc\n  signer: a@b\n  key: SHA256:x\n",
        "",
        "# only a comment\n",
        "- a\n- b\n",
    ]

    /// The eight-bytes-at-a-time search for the end of a line finds what a byte-by-byte one finds:
    /// every byte value at every position of lines of every length up to 24, from every start.
    @Test func theFirstUnprintableByteIsFoundAsOneByOneFindsIt() {
        var mismatches: [String] = []
        for length in 0...24 {
            for position in 0..<max(length, 1) {
                for value in 0...255 {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    if position < length { bytes[position] = UInt8(value) }
                    bytes.withUnsafeBytes { buffer in
                        for start in 0...length {
                            let expected = (start..<length).first { buffer[$0] < 0x20 || buffer[$0] > 0x7E } ?? length
                            let found = PlainYAML.firstUnprintable(buffer, from: start)
                            if found != expected { mismatches.append("length \(length), byte \(value) at \(position), from \(start): \(found)") }
                        }
                    }
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
        // Two unprintable bytes in one word: the first is found, whichever kinds they are.
        for (first, second) in [(0x0A, 0xFF), (0xFF, 0x0A), (0x7F, 0x00), (0x1F, 0x80)] {
            let bytes: [UInt8] = [0x61, 0x61, UInt8(first), 0x61, UInt8(second), 0x61, 0x61, 0x61, 0x61]
            #expect(bytes.withUnsafeBytes { PlainYAML.firstUnprintable($0, from: 0) } == 2)
        }
    }

    @Test(arguments: readable)
    func fastRecordEqualsTheFullDecoder(_ text: String) throws {
        let full = try YAMLDecoder().decode(UpdateRecord.self, from: Data(text.utf8))
        let fast = try #require(Data(text.utf8).withUnsafeBytes { PlainYAML($0).flatMap(RecordDecoding.plain) })
        #expect(fast == full)
        #expect(try RecordDecoding.decode(Data(text.utf8)).get() == full)
    }

    @Test(arguments: unusual)
    func unusualRecordsAreLeftToTheFullDecoder(_ text: String) {
        let fast = Data(text.utf8).withUnsafeBytes { PlainYAML($0).flatMap(RecordDecoding.plain) }
        #expect(fast == nil)
        let full = Result { try YAMLDecoder().decode(UpdateRecord.self, from: Data(text.utf8)) }
        switch (RecordDecoding.decode(Data(text.utf8)), full) {
        case (.success(let record), .success(let expected)): #expect(record == expected)
        case (.failure, .failure): break
        case (let decoded, let expected): Issue.record("decode gave \(decoded), the full decoder \(expected)")
        }
    }

    @Test func aBadRecordIsStillLocated() {
        let text = Self.written.replacingOccurrences(of: "kind: update", with: "kind: upgrade")
        guard case .failure(let failure) = RecordDecoding.decode(Data(text.utf8)) else {
            Issue.record("a record of kind 'upgrade' decoded")
            return
        }
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("kind:") }.map { $0 + 1 }
        #expect(failure.reason.hasPrefix("\(line ?? 0):7: "))
        #expect(failure.reason.contains("'upgrade' is not a kind"))
    }

    @Test func aRecordWithAMissingKeyIsStillLocated() {
        let text = Self.written.replacingOccurrences(of: "  sha: \(Self.sha2)\n", with: "")
        guard case .failure(let failure) = RecordDecoding.decode(Data(text.utf8)) else {
            Issue.record("a target without sha decoded")
            return
        }
        #expect(failure.reason.contains("missing key 'sha'"))
        #expect(failure.reason.first?.isNumber == true)
    }

    static let stamp = """
        # Written by sluice; do not edit. It records what this folder holds.
        format: 1
        plugin: review
        source: file:///tmp/upstream/review.git
        track: tag:latest
        ref: v1.1.0
        sha: \(sha2)
        digest: sha256:abc
        installed: '2026-01-01T00:00:00Z'

        """

    static let readableStamps: [String] = [
        stamp,
        stamp.replacingOccurrences(of: "\n", with: "\r\n"),
        stamp.replacingOccurrences(of: "ref: v1.1.0", with: "ref: null"),
        stamp.replacingOccurrences(of: "ref: v1.1.0", with: "ref: Null"),
        stamp.replacingOccurrences(of: "ref: v1.1.0", with: "ref: 'v1.1.0' # quoted"),
        stamp.replacingOccurrences(of: "ref: v1.1.0\n", with: ""),
        stamp.replacingOccurrences(of: "track: tag:latest", with: "track: tag:latest\nsubpath: plugins/x"),
        stamp.replacingOccurrences(of: "track: tag:latest", with: "track: tag:latest\nsubpath: ~"),
        stamp.replacingOccurrences(of: "installed: '2026-01-01T00:00:00Z'", with: "installed: 2026-01-01T00:00:00Z"),
        (try? Stamp(plugin: "it's", source: "git@host:a/b.git", subpath: "a/b", track: "branch:main", ref: "main",
                    sha: sha1, digest: "sha256:0", installed: "2026-01-01T00:00:00Z").encoded()) ?? "",
    ]

    static let unusualStamps: [String] = [
        stamp.replacingOccurrences(of: "plugin: review", with: "plugin: révision"),
        stamp.replacingOccurrences(of: "plugin: review", with: "plugin: review\nnote: hand-written"),
        stamp.replacingOccurrences(of: "plugin: review", with: "plugin: {name: review}"),
        stamp.replacingOccurrences(of: "format: 1", with: "format: 0x1"),
        stamp.replacingOccurrences(of: "sha: ", with: "sha:  \n  "),
        stamp.replacingOccurrences(of: "plugin: review", with: "plugin: review\nplugin: other"),
    ]

    @Test(arguments: readableStamps)
    func fastStampEqualsTheFullDecoder(_ text: String) throws {
        let full = try YAMLDecoder().decode(Stamp.self, from: Data(text.utf8))
        let fast = try #require(Data(text.utf8).withUnsafeBytes { PlainYAML($0).flatMap(Stamp.plain) })
        #expect(fast == full)
    }

    @Test(arguments: unusualStamps)
    func unusualStampsAreLeftToTheFullDecoder(_ text: String) {
        #expect(Data(text.utf8).withUnsafeBytes { PlainYAML($0).flatMap(Stamp.plain) } == nil)
    }

    @Test func aHandWrittenStampStillReads() async throws {
        try await withTemporaryFolder { folder in
            let text = Self.stamp.replacingOccurrences(of: "plugin: review", with: "plugin: review   # by hand\nnote: kept")
            try text.write(toFile: folder + "/" + Stamp.fileName, atomically: false, encoding: .utf8)
            #expect(try Stamp.read(pluginFolder: folder)?.plugin == "review")
        }
    }

    @Test func aBrokenStampIsStillReported() async throws {
        try await withTemporaryFolder { folder in
            try Self.stamp.replacingOccurrences(of: "sha: ", with: "sha: [").write(toFile: folder + "/" + Stamp.fileName, atomically: false, encoding: .utf8)
            #expect(throws: StampError.self) { try Stamp.read(pluginFolder: folder) }
        }
    }
}
