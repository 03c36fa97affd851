import Foundation
import Testing
import Yams
@testable import SluiceKit

/// The one-pass record fast path (``RecordDecoding/plain(_:)``) against the lookup-per-key
/// reference it replaced and against the full decoder: on what reconcile writes, on mutations
/// of it, and on texts built to be declined (duplicate and unknown keys at every level, odd
/// indentation, a mapping where text belongs and text where a mapping belongs).
@Suite struct RecordFastPathTests {
    static let sha1 = PlainYAMLTests.sha1
    static let sha2 = PlainYAMLTests.sha2

    /// Records of every shape the fast path reads: an update, a removal (no target, no
    /// manifest), an install (nothing installed) with subpath, warning and attempt.
    static let seeds: [String] = {
        let update = PlainYAMLTests.written
        var removal = UpdateRecord(
            id: "team-a~reno+review+remove", workspace: "team-a/reno", plugin: "review", kind: .remove,
            source: "file:///tmp/sd/upstream/review.git", subpath: nil, track: "tag:latest",
            from: RefPoint(ref: nil, sha: sha1), to: nil, warning: nil, detected: "2026-12-01T08:49:37Z",
            basis: Basis(installed: InstalledBasis(state: .stamped, sha: sha1, digest: "sha256:715e"), manifest: nil))
        var install = UpdateRecord(
            id: "team-b+lint+10bdb57d2817", workspace: "team-b", plugin: "lint", kind: .install,
            source: "git@host:tools/lint.git", subpath: "plugins/lint", track: "branch:main",
            from: nil, to: RefPoint(ref: "main", sha: sha2), warning: "folder was unstamped", detected: "2026-12-02T08:00:00Z",
            basis: Basis(installed: InstalledBasis(state: .unstamped),
                         manifest: ManifestBasis(source: "git@host:tools/lint.git", subpath: "plugins/lint", track: "branch:main")))
        install.attempt = "0b3c2f5e-1111-4c8e-9a7e-2b9d3f6a7c10"
        removal.attempt = nil
        let encoded = [removal, install].compactMap { try? String(decoding: QueueStore.encode($0, folder: .approved), as: UTF8.self) }
        return [update] + encoded
    }()

    /// The reference reading of `text`.
    static func reference(_ text: String) -> UpdateRecord? {
        Data(text.utf8).withUnsafeBytes { PlainYAML($0).flatMap(PlainRecordReference.plain) }
    }

    @Test(arguments: seeds.indices)
    func theSeedsAreReadAsTheFullDecoderReadsThem(_ index: Int) throws {
        let text = Self.seeds[index]
        let full = try YAMLDecoder().decode(UpdateRecord.self, from: Data(text.utf8))
        #expect(RecordDecoding.fast(Data(text.utf8)) == full)
        #expect(Self.reference(text) == full)
    }

    @Test(arguments: seeds.indices)
    func mutationsAreReadAsTheReferenceAndTheFullDecoderReadThem(_ index: Int) {
        var accepted = 0
        for text in PlainYAMLDifferentialTests.mutations(of: Self.seeds[index], count: 3000, salt: 21 + UInt64(index)) {
            let data = Data(text.utf8)
            let fast = RecordDecoding.fast(data)
            #expect(fast == Self.reference(text), "\(text.debugDescription)")
            guard let fast else { continue }
            accepted += 1
            #expect(fast == (try? YAMLDecoder().decode(UpdateRecord.self, from: data)), "\(text.debugDescription)")
        }
        #expect(accepted > 300)
    }

    /// Texts the fast path must decline, whatever the full decoder makes of them.
    static let declined: [String] = {
        let written = PlainYAMLTests.written
        return [
            // Duplicate keys at each level.
            written.replacingOccurrences(of: "id: ", with: "id: x\nid: "),
            written.replacingOccurrences(of: "  ref: v1.0.0\n", with: "  ref: v1.0.0\n  ref: v1.0.0\n"),
            written.replacingOccurrences(of: "    state: stamped\n", with: "    state: stamped\n    state: stamped\n"),
            written.replacingOccurrences(of: "to:\n", with: "from:\n  sha: \(sha1)\nto:\n"),
            written.replacingOccurrences(of: "  manifest:\n", with: "  installed:\n    state: absent\n  manifest:\n"),
            // Unknown keys at each level.
            written.replacingOccurrences(of: "kind: update", with: "kind: update\nnote: x"),
            written.replacingOccurrences(of: "  ref: v1.0.0\n", with: "  ref: v1.0.0\n  note: x\n"),
            written.replacingOccurrences(of: "basis:\n", with: "basis:\n  note: x\n"),
            written.replacingOccurrences(of: "    state: stamped\n", with: "    state: stamped\n    note: x\n"),
            written + "signature:\n  method: ssh\n",
            written + "approved-by:\n  user: a\n",
            written + "outcome:\n  result: applied\n",
            // Odd indentation.
            written.replacingOccurrences(of: "  ref: v1.0.0\n  sha:", with: "  ref: v1.0.0\n   sha:"),
            written.replacingOccurrences(of: "    state: stamped", with: "   state: stamped"),
            written.replacingOccurrences(of: "id: ", with: " id: "),
            // A mapping where text belongs, text where a mapping belongs, nesting too deep.
            written.replacingOccurrences(of: "plugin: review", with: "plugin:\n  name: review"),
            written.replacingOccurrences(of: "  ref: v1.0.0", with: "  ref:\n    name: v1"),
            written.replacingOccurrences(of: "    state: stamped", with: "    state:\n      x: stamped"),
            written.replacingOccurrences(of: "from:\n  ref: v1.0.0\n  sha: \(sha1)\n", with: "from: v1.0.0\n"),
            written.replacingOccurrences(of: "from:\n  ref: v1.0.0\n  sha: \(sha1)\n", with: "from: ''\n"),
            written.replacingOccurrences(of: "  installed:\n", with: "  installed: stamped\n  old:\n"),
            // A required value missing or null, or an enum outside its cases.
            written.replacingOccurrences(of: "  sha: \(sha2)\n", with: ""),
            written.replacingOccurrences(of: "  sha: \(sha2)\n", with: "  sha: ~\n"),
            written.replacingOccurrences(of: "    state: stamped", with: "    state: null"),
            written.replacingOccurrences(of: "    state: stamped", with: "    state: gone"),
            written.replacingOccurrences(of: "    track: tag:latest\n", with: ""),
            written.replacingOccurrences(of: "basis:\n", with: "basis: ~\nold:\n"),
            written.replacingOccurrences(of: "format: 1", with: "format: 1.0"),
        ]
    }()

    @Test(arguments: declined.indices)
    func unsureRecordsAreDeclined(_ index: Int) {
        let text = Self.declined[index]
        #expect(RecordDecoding.fast(Data(text.utf8)) == nil, "\(text.debugDescription)")
        #expect(Self.reference(text) == nil, "\(text.debugDescription)")
    }

    /// Records as apply writes them (a claim with its approval and attempt, outcomes with
    /// changes, lists empty and not, skipped trees, signers), written by `YAMLEncoder`.
    static let finished: [String] = {
        var claim = UpdateRecord(
            id: "fan~f00000+fan+b60e0d3d4df8", workspace: "fan/f00000", plugin: "fan", kind: .update,
            source: "file:///tmp/fan/src0.git", subpath: nil, track: "tag:latest",
            from: RefPoint(ref: "v1.0.38", sha: sha1), to: RefPoint(ref: "v1.0.39", sha: sha2), warning: nil,
            detected: "2026-12-05T21:05:31Z",
            basis: Basis(installed: InstalledBasis(state: .stamped, sha: sha1, digest: "sha256:344e"),
                         manifest: ManifestBasis(source: "file:///tmp/fan/src0.git", subpath: nil, track: "tag:latest")))
        claim.approvedBy = ApprovedBy(via: .sluiceApprove, user: "root", at: "2026-12-05T21:05:31Z")
        claim.attempt = "100f632e-d293-41d1-85eb-5711dbdfd21d"
        var applied = claim
        var outcome = Outcome(result: .applied, at: "2026-12-05T21:05:32Z")
        outcome.verdict = "restart"
        outcome.why = "plugin.yaml changed and is not a hot-reload file"
        outcome.changes = ChangeSummary(added: ["new.md"], removed: [], modified: ["plugin.yaml", "skills/s/SKILL.md"])
        outcome.previous = sha1
        outcome.retained = "fan/f00000/.sluice/retained/fan/20261205T210531Z-001-2e4594aa12e3"
        applied.outcome = outcome
        var rolledBack = claim
        rolledBack.approvedBy = ApprovedBy(via: .git, commit: sha2, author: "Alice <a@x>", committer: "Bob <b@x>", at: "2026-12-05T21:05:31Z",
                                           signature: "good", signer: "alice@x", key: "SHA256:abc")
        rolledBack.approvedBy?.signers = ["alice@x", "carol@x"]
        var failed = Outcome(result: .failed, at: "2026-12-05T21:05:33Z")
        failed.reason = "the live tree was modified locally"
        failed.skipped = ["fan/f00000/.sluice/retained/fan/x: it has no stamp"]
        rolledBack.outcome = failed
        return [claim, applied, rolledBack].compactMap { try? YAMLEncoder().encode($0) }
    }()

    @Test(arguments: finished.indices)
    func claimsAndOutcomesAreReadAsTheFullDecoderReadsThem(_ index: Int) throws {
        let text = Self.finished[index]
        let full = try YAMLDecoder().decode(UpdateRecord.self, from: Data(text.utf8))
        #expect(RecordDecoding.fast(Data(text.utf8)) == full, "\(text)")
    }

    @Test(arguments: finished.indices)
    func mutationsOfClaimsAndOutcomesAreReadAsTheFullDecoderReadsThemOrDeclined(_ index: Int) {
        var accepted = 0
        for text in PlainYAMLDifferentialTests.mutations(of: Self.finished[index], count: 3000, salt: 71 + UInt64(index)) {
            let data = Data(text.utf8)
            guard let fast = RecordDecoding.fast(data) else { continue }
            accepted += 1
            #expect(fast == (try? YAMLDecoder().decode(UpdateRecord.self, from: data)), "\(text.debugDescription)")
        }
        #expect(accepted > 300)
    }

    /// Lists the fast path must decline: where text or a mapping belongs, with a null, nested or
    /// mapping item, indented unlike Yams, a flow list with items; and an outcome or approval
    /// missing what it requires.
    static let declinedLists: [String] = {
        let applied = finished[1]
        return [
            applied.replacingOccurrences(of: "plugin: fan", with: "plugin:\n- fan"),
            applied.replacingOccurrences(of: "plugin: fan", with: "plugin: []"),
            applied.replacingOccurrences(of: "  ref: v1.0.38", with: "  ref:\n  - v1.0.38"),
            applied.replacingOccurrences(of: "from:\n  ref: v1.0.38\n  sha: \(sha1)\n", with: "from:\n- v1.0.38\n"),
            applied.replacingOccurrences(of: "from:\n  ref: v1.0.38\n  sha: \(sha1)\n", with: "from: []\n"),
            applied.replacingOccurrences(of: "  installed:\n", with: "  installed: []\n  old:\n"),
            applied.replacingOccurrences(of: "    - plugin.yaml", with: "    - null"),
            applied.replacingOccurrences(of: "    - plugin.yaml", with: "    - ~"),
            applied.replacingOccurrences(of: "    - plugin.yaml", with: "    -"),
            applied.replacingOccurrences(of: "    - plugin.yaml", with: "    - - plugin.yaml"),
            applied.replacingOccurrences(of: "    - plugin.yaml", with: "    - a: plugin.yaml"),
            applied.replacingOccurrences(of: "    - plugin.yaml", with: "      - plugin.yaml"),
            applied.replacingOccurrences(of: "    removed: []", with: "    removed: [x]"),
            applied.replacingOccurrences(of: "    removed: []", with: "    removed: x"),
            applied.replacingOccurrences(of: "    removed: []", with: "    removed:"),
            applied.replacingOccurrences(of: "    removed: []\n", with: ""),
            applied.replacingOccurrences(of: "  why: ", with: "  why:\n  - "),
            applied.replacingOccurrences(of: "  result: applied", with: "  result: done"),
            applied.replacingOccurrences(of: "  result: applied\n", with: ""),
            applied.replacingOccurrences(of: "  verdict: restart", with: "  verdict: restart\n  note: x"),
            applied.replacingOccurrences(of: "  via: sluice-approve", with: "  via: mv"),
            applied.replacingOccurrences(of: "  via: sluice-approve\n", with: ""),
            applied.replacingOccurrences(of: "  user: root", with: "  user: root\n  note: x"),
            applied.replacingOccurrences(of: "approved-by:\n", with: "approved-by: root\nx:\n"),
            applied.replacingOccurrences(of: "outcome:\n", with: "outcome: applied\nx:\n"),
            applied + "- stray\n",
        ]
    }()

    @Test(arguments: declinedLists.indices)
    func unsureListsAndOutcomesAreDeclined(_ index: Int) {
        let text = Self.declinedLists[index]
        #expect(text != Self.finished[1], "the mutation did not apply")
        #expect(RecordDecoding.fast(Data(text.utf8)) == nil, "\(text.debugDescription)")
    }

    /// Text the record repeats (the manifest's source and track, the installed commit) is
    /// shared with the value it equals; the record is the same either way.
    @Test func repeatedTextIsSharedAndReadTheSame() throws {
        let text = PlainYAMLTests.written
        let fast = try #require(RecordDecoding.fast(Data(text.utf8)))
        #expect(fast.basis.manifest?.source == fast.source)
        #expect(fast.basis.installed.sha == fast.from?.sha)
        #expect(fast == Self.reference(text))
    }
}
