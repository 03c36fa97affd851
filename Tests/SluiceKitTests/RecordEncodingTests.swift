import Foundation
import Testing
import Yams
@testable import SluiceKit

/// `RecordEncoding.plain`: whenever it writes a record, it writes `YAMLEncoder`'s very bytes, so
/// a pass's pending files are the same whichever writer ran (idempotence holds across versions).
@Suite struct RecordEncodingTests {
    /// Texts a record can hold: plain words Yams leaves unquoted, and texts it quotes, escapes
    /// or reads as another type (which the plain writer must leave to it).
    static let texts = [
        "review", "g000~w00000+p0+b60e0d3d4df8", "team-a/canary", "file:///srv/git/review.git", "tag:latest", "tag:^1.2",
        "tag:v1.0.1", "branch:main", "sha:0123abcd", "v1.0.0", "skills/review", "ws%2Eroot", "user@host:path", "A_b.c",
        "2e4594aa12e3d890f0ea797377a9307ac295b86a", "b60e0d3d4df8a1cc212b366401ef8931c11f5fa0",
        "1e45941234567890123456789012345678901234", "0b10110101010101010101010101010101010101", "1234567", "123456a",
        "yes", "No", "ON", "off", "y", "N", "true", "False", "null", "Null", "~", "", " ", "1.10", "0x1F", "12", "+1", "-x",
        ".inf", "2026-12-05", "2026-12-05T06:31:27Z", "a: b", "a #b", "a#b", "x:", "ends with space ", "two words",
        "it's", "\"quoted\"", "[list]", "{map}", "*alias", "&anchor", "!tag", "|", ">", "%YAML", "@at", "`tick`", "é",
        "line\nbreak", "tab\there", "a,b", "a=b", "<<", "=", "?", "x?y", "a/b/", String(repeating: "long", count: 40),
    ]

    static func record(_ pick: (Int) -> Int) -> UpdateRecord {
        func text(_ salt: Int) -> String { texts[pick(salt) % texts.count] }
        func optional(_ salt: Int) -> String? { pick(salt) % 3 == 0 ? nil : text(salt + 100) }
        let kinds = UpdateKind.allCases
        let states = InstalledState.allCases
        let from: RefPoint? = pick(20) % 4 == 0 ? nil : RefPoint(ref: optional(21), sha: text(22))
        let to: RefPoint? = pick(23) % 5 == 0 ? nil : RefPoint(ref: optional(24), sha: text(25))
        let manifest: ManifestBasis? = pick(26) % 4 == 0 ? nil : ManifestBasis(source: text(27), subpath: optional(28), track: text(29))
        let detected = pick(30) % 6 == 0 ? text(31) : "2026-12-0\(pick(32) % 9 + 1)T0\(pick(33) % 10):31:27Z"
        var record = UpdateRecord(
            id: text(1), workspace: text(2), plugin: text(3), kind: kinds[pick(4) % kinds.count], source: text(5),
            subpath: optional(6), track: text(7), from: from, to: to, warning: optional(8), detected: detected,
            basis: Basis(installed: InstalledBasis(state: states[pick(9) % states.count], sha: optional(10), digest: optional(11)),
                         manifest: manifest))
        if pick(12) % 10 == 0 { record.attempt = "2026-12-05T06:31:27Z" }
        return record
    }

    /// Over many records mixing every text above: the plain writer either declines or writes
    /// exactly what YAMLEncoder writes, and it does write the usual shape of a pending record.
    @Test func writesYAMLEncodersBytesOrDeclines() throws {
        var generator = PlainYAMLDifferentialTests.Generator(state: 0x5EED)
        var written = 0
        for round in 0..<4000 {
            let draws = (0..<40).map { _ in Int(generator.next() % 1_000_000) }
            // Every other record draws its texts from the plain words only (the usual case).
            let plainOnly = round.isMultiple(of: 2)
            let record = Self.record { salt in plainOnly ? draws[salt % draws.count] % 16 : draws[salt % draws.count] }
            guard let plain = RecordEncoding.plain(record) else { continue }
            written += 1
            let yams = try YAMLEncoder().encode(record)
            #expect(plain == yams, "plain writer differs from YAMLEncoder:\n\(plain)\n---\n\(yams)")
            #expect(try YAMLDecoder().decode(UpdateRecord.self, from: plain) == record)
        }
        #expect(written > 1000, "the plain writer wrote only \(written) of 4000 records")
    }

    @Test func aPendingRecordOfAPassIsWrittenByThePlainWriter() throws {
        let record = UpdateRecord(
            id: "team-a~canary+review+b60e0d3d4df8", workspace: "team-a/canary", plugin: "review", kind: .update,
            source: "file:///srv/git/review.git", subpath: nil, track: "tag:latest",
            from: RefPoint(ref: "v1.0.38", sha: "2e4594aa12e3d890f0ea797377a9307ac295b86a"),
            to: RefPoint(ref: "v1.0.39", sha: "b60e0d3d4df8a1cc212b366401ef8931c11f5fa0"), warning: nil,
            detected: "2026-12-05T06:31:27Z",
            basis: Basis(installed: InstalledBasis(state: .stamped, sha: "2e4594aa12e3d890f0ea797377a9307ac295b86a", digest: "sha256:0"),
                         manifest: ManifestBasis(source: "file:///srv/git/review.git", subpath: nil, track: "tag:latest")))
        let plain = try #require(RecordEncoding.plain(record))
        #expect(plain == (try YAMLEncoder().encode(record)))
    }

    @Test func wordsYAMLReadsAsOtherTypesAreNotPlain() {
        for word in ["yes", "No", "TRUE", "off", "y", "null", "1.10", "12", "-x", ".inf", "x:", "a b", "é", "",
                     "1e45941234567890", "0b1011010101", "1234567", "2026-12-05"] {
            #expect(!RecordEncoding.isPlainWord(word), "\(word)")
        }
        for word in ["review", "2e4594aa12e3d890f0ea797377a9307ac295b86a", "123456a", "tag:^1.2", "file:///a/b.git", "g000~w00000+p0+b60e0d3d4df8", "ws%2Eroot"] {
            #expect(RecordEncoding.isPlainWord(word), "\(word)")
        }
    }
}
