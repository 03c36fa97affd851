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
        // Phrases (an outcome's why, an approver's name) and attempts.
        "plugin.yaml changed and is not a hot-reload file", "Alice Doe <alice@example.com>", "a (b), c; d=e!", "it's a 'thing'",
        "x # y", "x #y", "x: y", "x  y", "x y:", "x y ", "x\ty", "two words, \"quoted\"", "yes no", "a [b] {c} & *d | >e",
        String(repeating: "word ", count: 12) + "end", String(repeating: "word ", count: 14) + "end", String(repeating: "word ", count: 16) + "end",
        "100f632e-d293-41d1-85eb-5711dbdfd21d", "c0ffee00-d293-41d1-85eb-5711dbdfd21d", "100F632E-D293-41D1-85EB-5711DBDFD21D",
        "12345678-1234-1234-1234-123456789012", "1234567e-1234-1234-1234-123456789012",
    ]

    /// Texts with spaces, as outcomes and approvals hold them: short ones libyaml leaves plain,
    /// and ones it quotes or folds.
    static let phrases = texts.filter { $0.contains(" ") }

    static func record(_ pick: (Int) -> Int) -> UpdateRecord {
        func text(_ salt: Int) -> String { texts[pick(salt) % texts.count] }
        func phrase(_ salt: Int) -> String? { pick(salt) % 3 == 0 ? optional(salt + 200) : phrases[pick(salt + 300) % phrases.count] }
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
        if pick(12) % 10 == 0 { record.attempt = "2026-12-05T06:31:27Z" } else if pick(12) % 3 == 0 { record.attempt = text(13) }
        if pick(14) % 3 != 0 {
            let vias = ApprovedBy.Via.allCases
            var approvedBy = ApprovedBy(via: vias[pick(15) % vias.count], commit: optional(16), author: phrase(17), committer: optional(18),
                                        user: optional(19), at: pick(34) % 2 == 0 ? "2026-12-05T06:31:27Z" : optional(35),
                                        signature: optional(36), signer: optional(37), key: optional(38))
            if pick(39) % 4 == 0 { approvedBy.signers = (0..<(pick(40) % 3)).map { text(41 + $0) } }
            record.approvedBy = approvedBy
        }
        if pick(44) % 3 != 0 {
            var outcome = Outcome(result: pick(45) % 2 == 0 ? .applied : .failed, at: pick(46) % 5 == 0 ? text(47) : "2026-12-05T06:31:27Z")
            outcome.verdict = optional(48)
            outcome.why = phrase(49)
            if pick(50) % 3 != 0 {
                outcome.changes = ChangeSummary(added: (0..<(pick(51) % 3)).map { text(52 + $0) }, removed: (0..<(pick(55) % 2)).map { text(56 + $0) },
                                                modified: (0..<(pick(57) % 4)).map { text(58 + $0) })
            }
            outcome.previous = optional(62)
            outcome.retained = optional(63)
            outcome.reason = phrase(64)
            outcome.hook = optional(65)
            if pick(66) % 5 == 0 { outcome.skipped = (0..<(pick(67) % 3)).map { text(68 + $0) } }
            record.outcome = outcome
        }
        return record
    }

    /// Over many records mixing every text above: the plain writer either declines or writes
    /// exactly what YAMLEncoder writes, and it does write the usual shape of a pending record.
    @Test func writesYAMLEncodersBytesOrDeclines() throws {
        var generator = PlainYAMLDifferentialTests.Generator(state: 0x5EED)
        var written = 0, writtenWithOutcomes = 0, writtenWithPhrases = 0
        for round in 0..<8000 {
            let draws = (0..<80).map { _ in Int(generator.next() % 1_000_000) }
            // Every other record draws its texts from the plain words only (the usual case).
            let plainOnly = round.isMultiple(of: 2)
            let record = Self.record { salt in plainOnly ? draws[salt % draws.count] % 16 : draws[salt % draws.count] }
            guard let plain = RecordEncoding.plain(record) else { continue }
            written += 1
            if record.approvedBy != nil, record.outcome?.changes != nil { writtenWithOutcomes += 1 }
            if record.outcome?.why?.contains(" ") == true { writtenWithPhrases += 1 }
            let yams = try YAMLEncoder().encode(record)
            #expect(plain == yams, "plain writer differs from YAMLEncoder:\n\(plain)\n---\n\(yams)")
            #expect(try YAMLDecoder().decode(UpdateRecord.self, from: plain) == record)
        }
        #expect(written > 1000, "the plain writer wrote only \(written) of 8000 records")
        #expect(writtenWithOutcomes > 100, "the plain writer wrote only \(writtenWithOutcomes) records with an approval and changes")
        #expect(writtenWithPhrases > 100, "the plain writer wrote only \(writtenWithPhrases) records with a phrase")
    }

    /// Stamps too: the plain writer declines or writes `YAMLEncoder`'s very bytes.
    @Test func writesAStampAsYAMLEncoderDoesOrDeclines() throws {
        var generator = PlainYAMLDifferentialTests.Generator(state: 0x57A3)
        var written = 0
        for round in 0..<3000 {
            let draws = (0..<12).map { _ in Int(generator.next() % 1_000_000) }
            let plainOnly = round.isMultiple(of: 2)
            func text(_ salt: Int) -> String { Self.texts[plainOnly ? draws[salt] % 16 : draws[salt] % Self.texts.count] }
            let stamp = Stamp(plugin: text(0), source: text(1), subpath: draws[2] % 3 == 0 ? text(3) : nil, track: text(4),
                              ref: draws[5] % 3 == 0 ? nil : text(6), sha: text(7), digest: text(8),
                              installed: draws[9] % 4 == 0 ? text(10) : "2026-12-05T21:05:41Z")
            guard let plain = stamp.plainBody() else { continue }
            written += 1
            #expect(plain == (try YAMLEncoder().encode(stamp)), "plain writer differs from YAMLEncoder:\n\(plain)")
        }
        #expect(written > 500, "the plain writer wrote only \(written) of 3000 stamps")
    }

    /// A pending record as a pass writes it for an update of `review` in `team-a/canary`.
    static let pendingRecord = UpdateRecord(
        id: "team-a~canary+review+b60e0d3d4df8", workspace: "team-a/canary", plugin: "review", kind: .update,
        source: "file:///srv/git/review.git", subpath: nil, track: "tag:latest",
        from: RefPoint(ref: "v1.0.38", sha: "2e4594aa12e3d890f0ea797377a9307ac295b86a"),
        to: RefPoint(ref: "v1.0.39", sha: "b60e0d3d4df8a1cc212b366401ef8931c11f5fa0"), warning: nil,
        detected: "2026-12-05T06:31:27Z",
        basis: Basis(installed: InstalledBasis(state: .stamped, sha: "2e4594aa12e3d890f0ea797377a9307ac295b86a", digest: "sha256:0"),
                     manifest: ManifestBasis(source: "file:///srv/git/review.git", subpath: nil, track: "tag:latest")))

    @Test func aPendingRecordOfAPassIsWrittenByThePlainWriter() throws {
        let record = Self.pendingRecord
        let plain = try #require(RecordEncoding.plain(record))
        #expect(plain == (try YAMLEncoder().encode(record)))
    }

    /// What apply writes on a fan-out: the claim tagged with its attempt, and the outcome, both
    /// with the approval. Both go through the plain writer and read back through the fast path.
    @Test func aClaimAndAnOutcomeOfAFanOutAreWrittenByThePlainWriter() throws {
        var record = Self.pendingRecord
        record.approvedBy = ApprovedBy(via: .sluiceApprove, user: "root", at: "2026-12-05T21:05:31Z")
        record.attempt = "100f632e-d293-41d1-85eb-5711dbdfd21d"
        let claim = try #require(RecordEncoding.plain(record))
        #expect(claim == (try YAMLEncoder().encode(record)))
        #expect(RecordDecoding.fast(Data(claim.utf8)) == record)
        var outcome = Outcome(result: .applied, at: "2026-12-05T21:05:31Z")
        outcome.verdict = "restart"
        outcome.why = "plugin.yaml changed and is not a hot-reload file"
        outcome.changes = ChangeSummary(added: [], removed: [], modified: ["plugin.yaml", "skills/s/SKILL.md"])
        outcome.previous = "2e4594aa12e3d890f0ea797377a9307ac295b86a"
        outcome.retained = "team-a/canary/.sluice/retained/review/20261205T210531Z-001-2e4594aa12e3"
        record.outcome = outcome
        let applied = try #require(RecordEncoding.plain(record))
        #expect(applied == (try YAMLEncoder().encode(record)))
        #expect(RecordDecoding.fast(Data(applied.utf8)) == record)
    }

    @Test func phrasesThatLibyamlQuotesOrFoldsAreNotPlain() {
        for phrase in ["x: y", "x #y", "x  y", "x y ", "x y:", "yes", "a\tb", "é b", "1 b", "-a b", " a"] {
            #expect(!RecordEncoding.isPlainPhrase(phrase), "\(phrase)")
        }
        for phrase in ["plugin.yaml changed and is not a hot-reload file", "Alice Doe <alice@example.com>", "a#b c", "a (b), c; d=e!"] {
            #expect(RecordEncoding.isPlainPhrase(phrase), "\(phrase)")
        }
        let long = String(repeating: "word ", count: 16) + "end"
        #expect(RecordEncoding.scalar(long, column: 6) == nil, "libyaml folds a phrase past column 80")
        #expect(RecordEncoding.scalar("word word", column: 6) == "word word")
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
