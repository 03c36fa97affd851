import Testing
@testable import SluiceKit
import SluiceTestSupport

/// A full 40-digit SHA made of `prefix` followed by `fill`, so that prefixes can be shared on purpose.
private func sha(_ prefix: String, fill: Character = "0") -> String {
    prefix + String(repeating: fill, count: 40 - prefix.count)
}

@Suite struct TrackResolutionTests {

    static let a = sha("aaaa1111")
    static let b = sha("bbbb2222")
    static let c = sha("cccc3333")
    static let d = sha("dddd4444")
    static let e = sha("eeee5555")
    static let f = sha("ffff6666")

    // MARK: tag:latest

    @Test func latestPicksTheHighestVersionNotTheLexicallyLastTag() {
        let refs = RemoteRefs(tags: ["v1.9.0": Self.a, "v1.10.0": Self.b, "v1.2.0": Self.c])
        #expect(TrackResolution.resolve(.latest, in: refs) == .resolved(RefPoint(ref: "v1.10.0", sha: Self.b)))
    }

    @Test func latestIgnoresNonSemverTagsAndPrereleases() {
        let refs = RemoteRefs(
            tags: [
                "v1.4.0": Self.a, "v2.0.0-rc.1": Self.b, "release-9": Self.c, "latest": Self.d,
                "v10": Self.e, "V3.0.0": Self.f, "nightly-2026-12-01": Self.f,
            ],
            branches: ["v9.9.9": Self.f])
        #expect(TrackResolution.resolve(.latest, in: refs) == .resolved(RefPoint(ref: "v1.4.0", sha: Self.a)))
    }

    @Test func latestAcceptsTagsWithAndWithoutVPrefix() {
        let refs = RemoteRefs(tags: ["v1.0.0": Self.a, "1.1.0": Self.b, "v1.0.5": Self.c])
        #expect(TrackResolution.resolve(.latest, in: refs) == .resolved(RefPoint(ref: "1.1.0", sha: Self.b)))
    }

    @Test func latestBreaksEqualPrecedenceTiesByTagName() {
        let refs = RemoteRefs(tags: ["1.0.0": Self.a, "v1.0.0": Self.b])
        #expect(TrackResolution.resolve(.latest, in: refs) == .resolved(RefPoint(ref: "v1.0.0", sha: Self.b)))
    }

    @Test(arguments: [
        RemoteRefs(),
        RemoteRefs(tags: ["v2.0.0-beta.1": sha("ab"), "nightly": sha("cd"), "latest": sha("ef")], branches: ["main": sha("12")]),
    ])
    func latestFailsWithoutReleaseTags(_ refs: RemoteRefs) {
        #expect(TrackResolution.resolve(.latest, in: refs)
            == .failed("no release tag upstream: tag:latest needs a tag like v1.2.3 (prereleases and other tags are ignored)"))
    }

    // MARK: Ranges

    @Test func rangeTakesTheHighestReleaseInside() throws {
        let refs = RemoteRefs(tags: [
            "v1.2.0": Self.a, "v1.9.3": Self.b, "v1.10.0-beta.1": Self.c, "v2.0.0": Self.d, "v1.1.9": Self.e,
        ])
        let track = Track.range(try VersionRange("^1.2"))
        #expect(TrackResolution.resolve(track, in: refs) == .resolved(RefPoint(ref: "v1.9.3", sha: Self.b)))
    }

    @Test func rangeThatOptsIntoPrereleasesTakesTheHighestPrerelease() throws {
        let refs = RemoteRefs(tags: ["v1.9.0": Self.a, "v2.0.0-rc.1": Self.b, "v2.0.0-rc.2": Self.c, "v2.1.0-beta.1": Self.d])
        let track = Track.range(try VersionRange(">=2.0.0-rc.1 <3"))
        #expect(TrackResolution.resolve(track, in: refs) == .resolved(RefPoint(ref: "v2.0.0-rc.2", sha: Self.c)))
    }

    @Test func rangeWithPrereleasesPrefersTheReleaseWhenItExists() throws {
        let refs = RemoteRefs(tags: ["v2.0.0-rc.1": Self.b, "v2.0.0-rc.2": Self.c, "v2.0.0": Self.e])
        let track = Track.range(try VersionRange(">=2.0.0-rc.1 <3"))
        #expect(TrackResolution.resolve(track, in: refs) == .resolved(RefPoint(ref: "v2.0.0", sha: Self.e)))
    }

    @Test func rangeWithoutAMatchFails() throws {
        let refs = RemoteRefs(tags: ["v1.0.0": Self.a, "v2.0.0": Self.b, "v3.0.0-beta": Self.c])
        let track = Track.range(try VersionRange("^3"))
        #expect(TrackResolution.resolve(track, in: refs) == .failed("no tag upstream satisfies the range '^3'"))
    }

    // MARK: Exact tags and branches

    @Test func exactTagResolvesEvenWhenItIsNotSemver() {
        let refs = RemoteRefs(tags: ["release-7": Self.a, "v1.2.3": Self.b, "v1.2.4": Self.c])
        #expect(TrackResolution.resolve(.tag("v1.2.3"), in: refs) == .resolved(RefPoint(ref: "v1.2.3", sha: Self.b)))
        #expect(TrackResolution.resolve(.tag("release-7"), in: refs) == .resolved(RefPoint(ref: "release-7", sha: Self.a)))
    }

    @Test func missingTagFailsAndDoesNotFallBackToABranch() {
        let refs = RemoteRefs(tags: ["v1.2.4": Self.a], branches: ["v1.2.3": Self.b])
        #expect(TrackResolution.resolve(.tag("v1.2.3"), in: refs) == .failed("tag 'v1.2.3' does not exist upstream"))
    }

    @Test func branchResolvesToItsTip() {
        let refs = RemoteRefs(tags: ["main": Self.a], branches: ["main": Self.b, "release/2.x": Self.c])
        #expect(TrackResolution.resolve(.branch("main"), in: refs) == .resolved(RefPoint(ref: "main", sha: Self.b)))
        #expect(TrackResolution.resolve(.branch("release/2.x"), in: refs) == .resolved(RefPoint(ref: "release/2.x", sha: Self.c)))
    }

    @Test func missingBranchFailsAndDoesNotFallBackToATag() {
        let refs = RemoteRefs(tags: ["dev": Self.a], branches: ["main": Self.b])
        #expect(TrackResolution.resolve(.branch("dev"), in: refs) == .failed("branch 'dev' does not exist upstream"))
    }

    @Test func noneIsNeverResolved() {
        let refs = RemoteRefs(tags: ["v1.0.0": Self.a], branches: ["main": Self.b])
        #expect(TrackResolution.resolve(.none, in: refs) == .failed("track none is not resolved"))
    }

    // MARK: SHAs

    @Test func fullSHAOfATipResolvesToItself() {
        let refs = RemoteRefs(tags: ["v1.0.0": Self.a], branches: ["main": Self.b])
        #expect(TrackResolution.resolve(.sha(Self.b), in: refs) == .resolved(RefPoint(ref: Self.b, sha: Self.b)))
    }

    @Test func abbreviatedSHAOfOneTipIsStillLookedUpInTheHistory() {
        // A commit deeper in the history may share the prefix, so a single tip is no proof.
        let refs = RemoteRefs(tags: ["v1.0.0": Self.a], branches: ["main": Self.b, "dev": Self.c])
        #expect(TrackResolution.resolve(.sha("bbbb222"), in: refs) == .needsObjectLookup("bbbb222"))
    }

    @Test func abbreviatedSHAOnTwoRefsOfTheSameCommitIsNotAmbiguousAmongTips() {
        let refs = RemoteRefs(tags: ["v1.0.0": Self.a], branches: ["main": Self.a])
        #expect(TrackResolution.resolve(.sha("aaaa111"), in: refs) == .needsObjectLookup("aaaa111"))
    }

    @Test func abbreviatedSHAMatchingTwoTipsIsAmbiguous() {
        let first = sha("abcdef1", fill: "1")
        let second = sha("abcdef1", fill: "2")
        let refs = RemoteRefs(tags: ["v1.0.0": first], branches: ["main": second, "dev": Self.c])
        #expect(TrackResolution.resolve(.sha("abcdef1"), in: refs)
            == .failed("sha:abcdef1 is ambiguous upstream: it matches abcdef111111, abcdef122222; write more digits"))
        // One more digit tells the tips apart; the history is then searched.
        #expect(TrackResolution.resolve(.sha("abcdef12"), in: refs) == .needsObjectLookup("abcdef12"))
    }

    @Test func abbreviatedSHAOfNoTipNeedsAnObjectLookup() {
        let refs = RemoteRefs(tags: ["v1.0.0": Self.a], branches: ["main": Self.b])
        #expect(TrackResolution.resolve(.sha("1234567"), in: refs) == .needsObjectLookup("1234567"))
        let notATip = sha("9876543")
        #expect(TrackResolution.resolve(.sha(notATip), in: refs) == .needsObjectLookup(notATip))
    }

    // MARK: RemoteRefs

    @Test func lsRemoteOutputIsParsedAndAnnotatedTagsArePeeled() {
        let tagObject = sha("7a90")
        let output = """
            \(Self.a)\tHEAD
            \(Self.a)\trefs/heads/main
            \(Self.b)\trefs/heads/feature/x
            \(tagObject)\trefs/tags/v1.0.0
            \(Self.c)\trefs/tags/v1.0.0^{}
            \(Self.d)\trefs/tags/v0.9.0
            \(Self.e.uppercased())\trefs/tags/upper
            \(Self.f)\trefs/pull/1/head
            not a ref line
            abc123\trefs/tags/short
            \(sha("zz"))\trefs/tags/nonhex

            """
        let refs = RemoteRefs(lsRemoteOutput: output)
        #expect(refs.tags == ["v1.0.0": Self.c, "v0.9.0": Self.d, "upper": Self.e])
        #expect(refs.branches == ["main": Self.a, "feature/x": Self.b])
        #expect(refs.allSHAs == [Self.a, Self.b, Self.c, Self.d, Self.e])
    }

    @Test func peeledLineWinsWhicheverComesFirst() {
        let tagObject = sha("7a90")
        let output = "\(Self.c)\trefs/tags/v2.0.0^{}\n\(tagObject)\trefs/tags/v2.0.0\n"
        let refs = RemoteRefs(lsRemoteOutput: output)
        #expect(refs.tags == ["v2.0.0": Self.c])
        #expect(TrackResolution.resolve(.tag("v2.0.0"), in: refs) == .resolved(RefPoint(ref: "v2.0.0", sha: Self.c)))
    }

    @Test func sha256ObjectNamesAreAccepted() {
        let long = String(repeating: "ab", count: 32)
        let refs = RemoteRefs(lsRemoteOutput: "\(long)\trefs/heads/main\n")
        #expect(refs.branches == ["main": long])
    }

    @Test func emptyOutputHasNoRefs() {
        let refs = RemoteRefs(lsRemoteOutput: "")
        #expect(refs == RemoteRefs())
        #expect(refs.allSHAs.isEmpty)
    }
}
