import Foundation
import Testing
import Yams
@testable import SluiceKit

/// The writer of usual queue records (``RecordEncoding``): whatever it writes is byte for byte
/// what `YAMLEncoder` writes, and the usual pending file takes it.
@Suite struct RecordEncodingTests {
    /// Texts of every kind a record field may hold, the awkward ones included: YAML words,
    /// numbers, times, hexadecimal, indicators, blanks, quotes, non-ASCII.
    static let texts: [String] = [
        "review", "team-a/reno", "team-a~reno+review+10bdb57d2817", "file:///tmp/sd/upstream/review.git", "git@host:a/b.git",
        "https://git.example.com/acme/review.git", "tag:latest", "tag:^1.2", "tag:<2.0", "tag:>=1.0", "branch:main", "none",
        "sha:622bc3c9fe0a72b36bcb3bd0e6577ada9c707a3c", "v1.0.0", "v1.1.0", "plugins/careful-mode", "a b", "a: b", "a:", "a #b",
        "sha256:715e2ad35af5b9159ff862bd3ec1382d518a42beeecf1a1d674b9574cdb1bc29", "622bc3c9fe0a72b36bcb3bd0e6577ada9c707a3c",
        "10bdb57d2817c2588f529a2c37f0a48bb5de7322", "1234567890", "1e10", "12e45", "0b1010", "0x1f", "0o17", "0abc", "ab12", "e",
        "deadbeef", "eee1", "1.10", "1.0", ".inf", ".nan", "-1", "+1", "1_000", "1:20", "2026-12-01T08:49:37Z", "2026-12-01",
        "2026-12-01 08:49:37", "2026-12-01T08:49:37.5Z", "2026-12-01t08:49:37z", "yes", "Yes", "no", "on", "OFF", "true", "y", "n",
        "null", "Null", "NULL", "~", "", "=", "<<", "'quoted'", "\"double\"", "it's", "#hash", "-dash", "?q", "&a", "*a", "!t",
        "|b", ">f", "%d", "@at", "`b`", "[x]", "{x}", "a,b", "a[b]", "équipe", "tab\there", "line\nbreak", " lead", "trail ",
        "a~b", "a=b", "a^b", "x.y.z", "x:y:z", "abc:", "0b3c2f5e-1111-4c8e-9a7e-2b9d3f6a7c10",
        String(repeating: "a", count: 90), String(repeating: "ab ", count: 40),
    ]

    static func record(_ pick: (Int) -> String, seed: Int) -> UpdateRecord {
        var record = UpdateRecord(
            id: pick(0), workspace: pick(1), plugin: pick(2), kind: UpdateKind.allCases[seed % UpdateKind.allCases.count],
            source: pick(3), subpath: seed % 3 == 0 ? pick(4) : nil, track: pick(5),
            from: seed % 4 == 0 ? nil : RefPoint(ref: seed % 5 == 0 ? nil : pick(6), sha: pick(7)),
            to: seed % 7 == 0 ? nil : RefPoint(ref: pick(8), sha: pick(9)), warning: seed % 2 == 0 ? pick(10) : nil, detected: pick(11),
            basis: Basis(installed: InstalledBasis(state: InstalledState.allCases[seed % 3], sha: seed % 2 == 0 ? pick(12) : nil, digest: seed % 3 == 0 ? nil : pick(13)),
                         manifest: seed % 6 == 0 ? nil : ManifestBasis(source: pick(14), subpath: seed % 4 == 1 ? pick(15) : nil, track: pick(16))))
        if seed % 5 == 1 { record.attempt = pick(17) }
        return record
    }

    @Test func whatItWritesIsWhatYAMLEncoderWrites() throws {
        var written = 0
        var generator = PlainYAMLDifferentialTests.Generator(state: 21)
        for seed in 0..<4000 {
            // Mostly usual values, so that whole records take the fast path; each field sometimes awkward.
            let usual = Self.usual
            let record = Self.record({ field in
                Int.random(in: 0..<16, using: &generator) == 0 ? (Self.texts.randomElement(using: &generator) ?? "") : usual[field % usual.count]
            }, seed: seed)
            guard let fast = RecordEncoding.plain(record) else { continue }
            written += 1
            #expect(fast == (try YAMLEncoder().encode(record)), "\(record)")
        }
        // 1,166 of 4,000 when this was written (a warning with blanks, or one awkward value, sends
        // the record to YAMLEncoder); far fewer would mean the writer declines usual records.
        #expect(written > 600)
    }

    @Test(arguments: texts)
    func eachTextIsWrittenAsYAMLEncoderWritesItOrDeclined(_ text: String) throws {
        let record = Self.record({ _ in Self.usual[0] }, seed: 1)
        for path in [\UpdateRecord.plugin, \UpdateRecord.detected, \UpdateRecord.track] as [WritableKeyPath<UpdateRecord, String>] {
            var changed = record
            changed[keyPath: path] = text
            guard let fast = RecordEncoding.plain(changed) else { continue }
            #expect(fast == (try YAMLEncoder().encode(changed)))
        }
    }

    /// Values as a pass writes them, by field of ``record(_:seed:)``.
    static let usual = [
        "team-a~reno+review+10bdb57d2817", "team-a/reno", "review", "file:///tmp/sd/upstream/review.git", "plugins/review",
        "tag:latest", "v1.0.0", "622bc3c9fe0a72b36bcb3bd0e6577ada9c707a3c", "v1.1.0", "10bdb57d2817c2588f529a2c37f0a48bb5de7322",
        "v1.1.0 was retagged", "2026-12-01T08:49:37Z", "622bc3c9fe0a72b36bcb3bd0e6577ada9c707a3c",
        "sha256:715e2ad35af5b9159ff862bd3ec1382d518a42beeecf1a1d674b9574cdb1bc29", "file:///tmp/sd/upstream/review.git",
        "plugins/review", "tag:latest", "a1b2c3d4-1111-4c8e-9a7e-2b9d3f6a7c10",
    ]

    @Test func theUsualPendingFileTakesTheWriter() throws {
        #expect(RecordEncoding.plain(try YAMLDecoder().decode(UpdateRecord.self, from: Data(PlainYAMLTests.written.utf8))) != nil)
    }
}
