import Testing
import Version
@testable import SluiceKit
import SluiceTestSupport

@Suite struct VersionRangeTests {

    // MARK: Desugaring

    /// A range, its node-semver desugaring, and versions just inside and just outside its bounds.
    struct DesugarCase: Sendable, CustomTestStringConvertible {
        let range: String
        let desugared: String
        let inside: [String]
        let outside: [String]
        var testDescription: String { range }

        init(_ range: String, _ desugared: String, inside: [String], outside: [String]) {
            self.range = range
            self.desugared = desugared
            self.inside = inside
            self.outside = outside
        }
    }

    static let desugarCases: [DesugarCase] = [
        // X-ranges
        DesugarCase("1.x", ">=1.0.0 <2.0.0-0", inside: ["1.0.0", "1.99.99"], outside: ["0.99.99", "2.0.0", "2.0.0-0", "1.5.0-beta.1"]),
        DesugarCase("1", ">=1.0.0 <2.0.0-0", inside: ["1.0.0", "1.99.99"], outside: ["0.99.99", "2.0.0"]),
        DesugarCase("1.*", ">=1.0.0 <2.0.0-0", inside: ["1.0.0", "1.99.99"], outside: ["0.99.99", "2.0.0"]),
        DesugarCase("1.X", ">=1.0.0 <2.0.0-0", inside: ["1.0.0"], outside: ["2.0.0"]),
        DesugarCase("v1.x", ">=1.0.0 <2.0.0-0", inside: ["1.0.0"], outside: ["2.0.0"]),
        DesugarCase("1.x.3", ">=1.0.0 <2.0.0-0", inside: ["1.0.0"], outside: ["2.0.0"]),
        DesugarCase("1.2.x", ">=1.2.0 <1.3.0-0", inside: ["1.2.0", "1.2.99"], outside: ["1.1.99", "1.3.0", "1.3.0-alpha"]),
        DesugarCase("1.2", ">=1.2.0 <1.3.0-0", inside: ["1.2.0", "1.2.99"], outside: ["1.1.99", "1.3.0"]),
        DesugarCase("1.2.*", ">=1.2.0 <1.3.0-0", inside: ["1.2.0"], outside: ["1.3.0"]),
        DesugarCase("*", "*", inside: ["0.0.0", "99.99.99"], outside: ["1.0.0-beta"]),
        DesugarCase("x", "*", inside: ["0.0.0", "3.4.5"], outside: ["0.0.0-0"]),
        DesugarCase("X", "*", inside: ["0.0.0"], outside: ["1.0.0-rc.1"]),
        // Tilde
        DesugarCase("~1.2.3", ">=1.2.3 <1.3.0-0", inside: ["1.2.3", "1.2.99"], outside: ["1.2.2", "1.3.0", "1.2.4-beta"]),
        DesugarCase("~1.2", ">=1.2.0 <1.3.0-0", inside: ["1.2.0", "1.2.99"], outside: ["1.1.99", "1.3.0"]),
        DesugarCase("~1", ">=1.0.0 <2.0.0-0", inside: ["1.0.0", "1.99.99"], outside: ["0.99.99", "2.0.0"]),
        DesugarCase("~1.2.3-beta.2", ">=1.2.3-beta.2 <1.3.0-0",
                    inside: ["1.2.3-beta.2", "1.2.3-beta.10", "1.2.3", "1.2.99"],
                    outside: ["1.2.3-beta.1", "1.2.3-alpha", "1.2.4-beta.1", "1.3.0"]),
        DesugarCase("~ 1.2", ">=1.2.0 <1.3.0-0", inside: ["1.2.0"], outside: ["1.3.0"]),
        DesugarCase("~*", "*", inside: ["0.0.0"], outside: []),
        // Caret
        DesugarCase("^1.2.3", ">=1.2.3 <2.0.0-0", inside: ["1.2.3", "1.99.99"], outside: ["1.2.2", "2.0.0", "2.0.0-0", "1.3.0-beta.1"]),
        DesugarCase("^0.2.3", ">=0.2.3 <0.3.0-0", inside: ["0.2.3", "0.2.99"], outside: ["0.2.2", "0.3.0"]),
        DesugarCase("^0.0.3", ">=0.0.3 <0.0.4-0", inside: ["0.0.3"], outside: ["0.0.2", "0.0.4"]),
        DesugarCase("^1.2", ">=1.2.0 <2.0.0-0", inside: ["1.2.0", "1.99.99"], outside: ["1.1.99", "2.0.0"]),
        DesugarCase("^1.x", ">=1.0.0 <2.0.0-0", inside: ["1.0.0", "1.99.99"], outside: ["0.99.99", "2.0.0"]),
        DesugarCase("^1", ">=1.0.0 <2.0.0-0", inside: ["1.0.0"], outside: ["2.0.0"]),
        DesugarCase("^0.0", ">=0.0.0 <0.1.0-0", inside: ["0.0.0", "0.0.99"], outside: ["0.1.0"]),
        DesugarCase("^0.2", ">=0.2.0 <0.3.0-0", inside: ["0.2.0", "0.2.99"], outside: ["0.1.99", "0.3.0"]),
        DesugarCase("^0.x", ">=0.0.0 <1.0.0-0", inside: ["0.0.0", "0.99.99"], outside: ["1.0.0"]),
        DesugarCase("^1.2.3-beta.2", ">=1.2.3-beta.2 <2.0.0-0",
                    inside: ["1.2.3-beta.2", "1.2.3-beta.4", "1.2.3", "1.99.99"],
                    outside: ["1.2.3-beta.1", "1.2.4-beta.1", "2.0.0"]),
        DesugarCase("^0.2.3-beta", ">=0.2.3-beta <0.3.0-0", inside: ["0.2.3-beta", "0.2.99"], outside: ["0.2.3-alpha", "0.3.0"]),
        DesugarCase("^0.0.3-beta", ">=0.0.3-beta <0.0.4-0", inside: ["0.0.3-beta", "0.0.3"], outside: ["0.0.3-alpha", "0.0.4"]),
        DesugarCase("^ 1.2.3", ">=1.2.3 <2.0.0-0", inside: ["1.2.3"], outside: ["2.0.0"]),
        DesugarCase("^v1.2.3", ">=1.2.3 <2.0.0-0", inside: ["1.2.3"], outside: ["1.2.2"]),
        // Primitives with partials
        DesugarCase(">1.2", ">=1.3.0", inside: ["1.3.0", "9.0.0"], outside: ["1.2.99", "1.2.0"]),
        DesugarCase(">1", ">=2.0.0", inside: ["2.0.0"], outside: ["1.99.99"]),
        DesugarCase(">=1.2", ">=1.2.0", inside: ["1.2.0"], outside: ["1.1.99"]),
        DesugarCase(">=1", ">=1.0.0", inside: ["1.0.0"], outside: ["0.99.99"]),
        DesugarCase("<1.2", "<1.2.0-0", inside: ["1.1.99", "0.0.0"], outside: ["1.2.0", "1.2.0-beta"]),
        DesugarCase("<1", "<1.0.0-0", inside: ["0.99.99"], outside: ["1.0.0"]),
        DesugarCase("<=1.2", "<1.3.0-0", inside: ["1.2.99"], outside: ["1.3.0", "1.3.0-0"]),
        DesugarCase("<=1", "<2.0.0-0", inside: ["1.99.99"], outside: ["2.0.0"]),
        DesugarCase("=1.2", ">=1.2.0 <1.3.0-0", inside: ["1.2.0", "1.2.99"], outside: ["1.1.99", "1.3.0"]),
        DesugarCase("=1", ">=1.0.0 <2.0.0-0", inside: ["1.0.0"], outside: ["2.0.0"]),
        DesugarCase(">=*", "*", inside: ["0.0.0"], outside: []),
        DesugarCase("<=*", "*", inside: ["0.0.0"], outside: []),
        DesugarCase("<*", "<0.0.0-0", inside: [], outside: ["0.0.0", "1.0.0"]),
        DesugarCase(">*", "<0.0.0-0", inside: [], outside: ["0.0.0", "1.0.0"]),
        // Primitives with full versions, and tolerated prefixes
        DesugarCase("1.2.3", "1.2.3", inside: ["1.2.3", "1.2.3+build.7"], outside: ["1.2.2", "1.2.4", "1.2.3-beta"]),
        DesugarCase("v1.2.3", "1.2.3", inside: ["1.2.3"], outside: ["1.2.4"]),
        DesugarCase("=1.2.3", "1.2.3", inside: ["1.2.3"], outside: ["1.2.4"]),
        DesugarCase("=v1.2.3", "1.2.3", inside: ["1.2.3"], outside: ["1.2.4"]),
        DesugarCase("1.2.3+build.5", "1.2.3", inside: ["1.2.3", "1.2.3+other"], outside: ["1.2.4"]),
        DesugarCase(">1.2.3", ">1.2.3", inside: ["1.2.4"], outside: ["1.2.3"]),
        DesugarCase(">=1.2.3", ">=1.2.3", inside: ["1.2.3"], outside: ["1.2.2"]),
        DesugarCase("<1.2.3", "<1.2.3", inside: ["1.2.2"], outside: ["1.2.3"]),
        DesugarCase("<=1.2.3", "<=1.2.3", inside: ["1.2.3"], outside: ["1.2.4"]),
        DesugarCase(">= 1.2.0", ">=1.2.0", inside: ["1.2.0"], outside: ["1.1.99"]),
        DesugarCase(">=v1.2.0", ">=1.2.0", inside: ["1.2.0"], outside: ["1.1.99"]),
        DesugarCase(">=1.2.3 <2.0.0", ">=1.2.3 <2.0.0", inside: ["1.2.3", "1.99.99"], outside: ["1.2.2", "2.0.0"]),
        DesugarCase(">=1 <2", ">=1.0.0 <2.0.0-0", inside: ["1.0.0", "1.99.99"], outside: ["0.99.99", "2.0.0"]),
        // Hyphen ranges
        DesugarCase("1.2.3 - 2.3.4", ">=1.2.3 <=2.3.4", inside: ["1.2.3", "2.3.4"], outside: ["1.2.2", "2.3.5"]),
        DesugarCase("1.2 - 2.3", ">=1.2.0 <2.4.0-0", inside: ["1.2.0", "2.3.99"], outside: ["1.1.99", "2.4.0"]),
        DesugarCase("1.2.3 - 2", ">=1.2.3 <3.0.0-0", inside: ["1.2.3", "2.99.99"], outside: ["1.2.2", "3.0.0"]),
        DesugarCase("1 - 2", ">=1.0.0 <3.0.0-0", inside: ["1.0.0", "2.99.99"], outside: ["0.99.99", "3.0.0"]),
        DesugarCase("v1.2.3 - v2.3.4", ">=1.2.3 <=2.3.4", inside: ["2.3.4"], outside: ["2.3.5"]),
        DesugarCase("* - 2", "<3.0.0-0", inside: ["0.0.0", "2.99.99"], outside: ["3.0.0"]),
        DesugarCase("1.2.3 - *", ">=1.2.3", inside: ["1.2.3", "99.0.0"], outside: ["1.2.2"]),
        DesugarCase("1.2.3-beta - 2.0.0-rc.2", ">=1.2.3-beta <=2.0.0-rc.2",
                    inside: ["1.2.3-beta", "1.2.3-beta.1", "1.5.0", "2.0.0-rc.2"],
                    outside: ["1.2.3-alpha", "2.0.0-rc.3", "2.0.0", "1.5.0-beta"]),
        // Alternatives
        DesugarCase("1.2.7 || >=1.2.9 <2.0.0", "1.2.7 || >=1.2.9 <2.0.0",
                    inside: ["1.2.7", "1.2.9", "1.4.6"], outside: ["1.2.8", "1.2.6", "2.0.0"]),
        DesugarCase("^1||^3", ">=1.0.0 <2.0.0-0 || >=3.0.0 <4.0.0-0", inside: ["1.0.0", "3.9.9"], outside: ["2.0.0", "4.0.0"]),
        DesugarCase("  ~1.2.3   ||   1.2 - 2  ", ">=1.2.3 <1.3.0-0 || >=1.2.0 <3.0.0-0", inside: ["1.2.0", "2.0.0"], outside: ["1.1.0", "3.0.0"]),
    ]

    @Test(arguments: desugarCases)
    func desugarsLikeNodeSemver(_ testCase: DesugarCase) throws {
        let range = try VersionRange(testCase.range)
        #expect(range.desugared == testCase.desugared)
        for text in testCase.inside {
            let version = try #require(Version(text))
            #expect(range.contains(version), "\(testCase.range) should contain \(text)")
        }
        for text in testCase.outside {
            let version = try #require(Version(text))
            #expect(!range.contains(version), "\(testCase.range) should not contain \(text)")
        }
    }

    // MARK: Prerelease rule

    static let prereleaseCases: [(range: String, version: String, expected: Bool)] = [
        ("^1.2.3", "1.3.0-beta.1", false),
        (">=1.3.0-beta.1 <2", "1.3.0-beta.2", true),
        (">=1.3.0-beta.1 <2", "1.3.0-beta.1", true),
        (">=1.3.0-beta.1 <2", "1.3.0-beta.0", false),
        (">=1.3.0-beta.1 <2", "1.4.0-beta.1", false),
        (">=1.3.0-beta.1 <2", "1.4.0", true),
        ("^1.2.3-beta.2", "1.2.3-beta.4", true),
        ("^1.2.3-beta.2", "1.2.4-beta.1", false),
        ("1.x", "1.5.0-rc.1", false),
        ("*", "1.0.0-alpha", false),
        ("<2.0.0", "2.0.0-beta", false),
        ("<2.0.0", "1.9.0-beta", false),
        ("<=2.0.0-rc.1", "2.0.0-rc.0", true),
        ("<=2.0.0-rc.1", "2.0.0-rc.2", false),
        (">=1.0.0-0", "1.0.0-alpha", true),
        (">=1.0.0-0", "1.0.1-alpha", false),
        ("1.0.0-alpha", "1.0.0-alpha", true),
        ("1.0.0-alpha", "1.0.0-alpha+build.1", true),
        (">1.2.3-alpha.1", "1.2.3-alpha.2", true),
        (">1.2.3-alpha.1", "1.2.3-alpha.10", true),
        (">1.2.3-alpha.1", "1.2.3-alpha.beta", true),
        (">1.2.3-alpha.9", "1.2.3-alpha.10", true),
        (">1.2.3-alpha.1", "1.2.3-alpha", false),
        ("^1.0.0 || >=2.0.0-beta <3", "2.0.0-beta.1", true),
        ("^1.0.0 || >=2.0.0-beta <3", "1.1.0-beta.1", false),
        // The synthetic `-0` bound of `~1.2.3` must not opt into 1.3.0 prereleases.
        ("~1.2.3", "1.3.0-0", false),
        // A user-written `-0` does opt in.
        (">=1.3.0-0 <1.4.0", "1.3.0-alpha", true),
    ]

    @Test(arguments: prereleaseCases)
    func appliesThePrereleaseRule(range: String, version: String, expected: Bool) throws {
        let parsed = try VersionRange(range)
        let candidate = try #require(Version(version))
        #expect(parsed.contains(candidate) == expected)
    }

    // MARK: looksLikeRange

    @Test(arguments: [
        "1.x", "1.X", "1.*", "^1.2", "~1.2.3", ">=1 <2", "*", "x", "X", "=1.2.3", "<2", ">1",
        "1 || 2", "1.2.3 - 2.0.0", "1.2.x", "v1.x", " 1.2.3 4",
    ])
    func recognisesRanges(_ text: String) {
        #expect(VersionRange.looksLikeRange(text))
    }

    @Test(arguments: [
        "v1.2.3", "1.2.3", "1.2", "release-7", "latest", "v1.2.3-beta.1", "1.2.3-x", "xylophone", "", " v1.2.3 ",
    ])
    func recognisesExactTagNames(_ text: String) {
        #expect(!VersionRange.looksLikeRange(text))
    }

    // MARK: TagVersion

    static let acceptedTags: [(tag: String, version: Version)] = [
        ("v1.2.3", Version(1, 2, 3)),
        ("1.2.3", Version(1, 2, 3)),
        ("0.0.0", Version(0, 0, 0)),
        ("v10.20.30", Version(10, 20, 30)),
        ("v1.2.3-beta.1", Version(1, 2, 3, pre: ["beta", "1"])),
        ("1.2.3-0", Version(1, 2, 3, pre: ["0"])),
        ("1.2.3-rc-1", Version(1, 2, 3, pre: ["rc-1"])),
        ("1.0.0-x.7.z.92", Version(1, 0, 0, pre: ["x", "7", "z", "92"])),
        ("1.2.3-0a", Version(1, 2, 3, pre: ["0a"])),
        ("1.2.3+build.5", Version(1, 2, 3, build: ["build", "5"])),
        ("1.0.0-alpha+001", Version(1, 0, 0, pre: ["alpha"], build: ["001"])),
        ("v9223372036854775807.0.0", Version(Int.max, 0, 0)),
    ]

    @Test(arguments: acceptedTags)
    func parsesSemverTags(tag: String, version: Version) throws {
        let parsed = try #require(TagVersion(tag: tag))
        #expect(parsed.tag == tag)
        #expect(parsed.version == version)
        #expect(parsed.version.buildMetadataIdentifiers == version.buildMetadataIdentifiers)
    }

    @Test(arguments: [
        "latest", "v1", "1.2", "release-1.0.0", "v1.2.3.4", "V1.2.3", "", "v", "vv1.2.3", "=1.2.3",
        "01.2.3", "1.02.3", "1.2.03", "1.2.3-", "1.2.3-01", "1.2.3-beta..1", "1.2.3-beta.", "1.2.3+",
        "1.2.3+a..b", "1.2.3 ", " 1.2.3", "1.2.x", "1.2.*", "x", "1.2.3-be_ta", "1.2.3-β",
        "99999999999999999999.0.0", "1.2.3-99999999999999999999", "-1.2.3", "1.2.-3", "١.٢.٣", "^1.2.3",
    ])
    func rejectsNonSemverTags(_ tag: String) {
        #expect(TagVersion(tag: tag) == nil)
    }

    @Test func plainTagsAreReadWithoutTheParserAndEveryOtherTagGoesToIt() {
        #expect(TagVersion.plainTriple("v1.2.3").map { [$0.0, $0.1, $0.2] } == [1, 2, 3])
        #expect(TagVersion.plainTriple("0.10.0").map { [$0.0, $0.1, $0.2] } == [0, 10, 0])
        #expect(TagVersion.plainTriple("v9223372036854775807.0.0").map { [$0.0, $0.1, $0.2] } == [Int.max, 0, 0])
        for tag in ["v1.2.3-beta", "1.2.3+b", "01.2.3", "1.2", "1.2.3.4", "V1.2.3", "v", "99999999999999999999.0.0", "١.٢.٣", "1.2.3 "] {
            #expect(TagVersion.plainTriple(tag) == nil, "\(tag)")
        }
    }

    @Test func ordersTagsBySemverPrecedence() throws {
        let newer = try #require(TagVersion(tag: "v1.10.0"))
        let older = try #require(TagVersion(tag: "v1.9.0"))
        #expect(newer > older)
        #expect(newer.version > older.version)

        let ascending = [
            "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
            "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "v1.0.1", "1.2.0", "v1.10.0", "2.0.0",
        ]
        let tags = try ascending.map { try #require(TagVersion(tag: $0)) }
        #expect(tags.reversed().sorted().map(\.tag) == ascending)
    }

    @Test func ordersEqualPrecedenceTagsByName() throws {
        let plain = try #require(TagVersion(tag: "1.2.3"))
        let prefixed = try #require(TagVersion(tag: "v1.2.3"))
        let withBuild = try #require(TagVersion(tag: "v1.2.3+build"))
        #expect(plain < prefixed)
        #expect(prefixed < withBuild)
        #expect(plain != prefixed)
        #expect(!(prefixed < prefixed))
    }

    // MARK: Errors

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        let range: String
        let offset: Int
        /// A fragment the message must contain, naming what was expected.
        let mentions: String
        var testDescription: String { "'\(range)'" }

        init(_ range: String, _ offset: Int, _ mentions: String) {
            self.range = range
            self.offset = offset
            self.mentions = mentions
        }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase("", 0, "expected a version range"),
        ErrorCase("   ", 0, "empty string"),
        ErrorCase("1.2.3 #", 6, "expected a version or an operator"),
        ErrorCase("latest", 0, "expected a version or an operator"),
        ErrorCase(">=", 2, "expected a version after '>=' but found end of range"),
        ErrorCase(">= || 1", 3, "expected a version after '>=' but found '||'"),
        ErrorCase("^", 1, "expected a version after '^'"),
        ErrorCase("~>1.2", 1, "expected a version"),
        ErrorCase("1.2.3 -", 7, "expected a version after '-' but found end of range"),
        ErrorCase("1.2.3 - ", 7, "expected a version after '-' but found end of range"),
        ErrorCase("1.2.3 - || 2", 8, "expected a version after '-' but found '||'"),
        ErrorCase("1.2.3 -2", 7, "expected whitespace after '-'"),
        ErrorCase(">=1.2.3 - 2", 8, "expected a hyphen range"),
        ErrorCase("1.2.3 2.0.0 - 3", 12, "expected a hyphen range"),
        ErrorCase("1.2.3 - 2 - 3", 10, "expected '||' or end of range"),
        ErrorCase("1.2.3 - >2", 8, "expected a version after '-'"),
        ErrorCase("99999999999999999999", 0, "expected a number up to"),
        ErrorCase("1.2.99999999999999999999", 4, "expected a number up to"),
        ErrorCase("^0.0.9223372036854775807", 1, "expected a number below"),
        ErrorCase("1.2.3-99999999999999999999", 6, "expected a number up to"),
        ErrorCase("01.2.3", 0, "expected a number without leading zeros"),
        ErrorCase("1.2.3-01", 6, "expected a number without leading zeros"),
        ErrorCase("1.2.3-", 6, "expected a prerelease identifier after '-'"),
        ErrorCase("1.2.3-beta..1", 11, "expected a prerelease identifier after '.'"),
        ErrorCase("1.2.3-be_ta", 8, "expected letters, digits, '-' or '.'"),
        ErrorCase("1.2.3+", 6, "expected a build metadata identifier"),
        ErrorCase("1.2.", 4, "expected a number, 'x' or '*' after '.'"),
        ErrorCase("1.2.3.4", 5, "expected at most three version numbers"),
        ErrorCase("1.2-beta", 3, "expected a full MAJOR.MINOR.PATCH version"),
        ErrorCase("1.x-beta", 3, "expected a prerelease only on a full version"),
        ErrorCase("1.2.3<2", 5, "expected whitespace, '||' or end of range"),
        ErrorCase("V1.2.3", 0, "expected a version or an operator"),
        ErrorCase("1.2.3 ||", 8, "expected a version after '||' but found end of range"),
        ErrorCase("|| 1.2.3", 0, "expected a version or an operator"),
        ErrorCase("1.2.3 || || 2.0.0", 9, "expected a version after '||' but found '||'"),
        ErrorCase("1 | 2", 2, "expected '||'"),
        ErrorCase("  >=  ", 2, "expected a version after '>='"),
    ]

    @Test(arguments: errorCases)
    func reportsErrorsWithOffsets(_ testCase: ErrorCase) {
        do throws(VersionRangeError) {
            let range = try VersionRange(testCase.range)
            Issue.record("expected '\(testCase.range)' to fail, parsed as \(range.desugared)")
        } catch {
            #expect(error.offset == testCase.offset, "\(error.message)")
            #expect(!error.message.isEmpty)
            #expect(error.message.contains("expected"))
            #expect(error.message.contains(testCase.mentions), "\(error.message)")
            #expect(error.offset >= 0 && error.offset <= error.text.count)
            #expect(error.description.contains(error.message))
        }
    }

    @Test func errorsCarryTheTrimmedText() {
        #expect(throws: VersionRangeError(
            text: ">=",
            offset: 2,
            message: "expected a version after '>=' but found end of range")) {
            try VersionRange("  >=  ")
        }
    }

    // MARK: Text and identity

    @Test func keepsTrimmedTextAsDescription() throws {
        let range = try VersionRange("  ^1.2  \n")
        #expect(range.text == "^1.2")
        #expect(range.description == "^1.2")
        #expect("\(range)" == "^1.2")
        #expect(try VersionRange("^1.2") == range)
        #expect(try VersionRange("^1.2.0") != range)
    }
}
