import Testing
@testable import SluiceKit
import SluiceTestSupport

@Suite struct TrackTests {

    static let fullSHA = "0123456789abcdef0123456789abcdef01234567"

    // MARK: Parsing and canonical text

    static let canonical: [(text: String, track: Track)] = [
        ("none", .none),
        ("sha:0123abc", .sha("0123abc")),
        ("sha:\(fullSHA)", .sha(fullSHA)),
        ("tag:v1.2.3", .tag("v1.2.3")),
        ("tag:1.2.3", .tag("1.2.3")),
        ("tag:1.2", .tag("1.2")),
        ("tag:release-7", .tag("release-7")),
        ("tag:v2.0.0-rc.1", .tag("v2.0.0-rc.1")),
        ("tag:latest", .latest),
        ("branch:main", .branch("main")),
        ("branch:release/1.x", .branch("release/1.x")),
        ("branch:latest", .branch("latest")),
    ]

    @Test(arguments: canonical)
    func parsesEachKindAndRoundTripsItsText(text: String, track: Track) throws {
        let parsed = try Track(parsing: text)
        #expect(parsed == track)
        #expect(parsed.description == text)
        #expect(try Track(parsing: parsed.description) == parsed)
    }

    @Test(arguments: ["1.x", "^1.2", "~1.2.3", ">=1.0.0 <2.0.0", "1.2.x", "*", "~1.2.3 || 2.x", "1.2.3 - 2.0.0"])
    func rangeTextIsARangeAndRoundTrips(_ range: String) throws {
        let parsed = try Track(parsing: "tag:\(range)")
        #expect(parsed == .range(try VersionRange(range)))
        #expect(parsed.description == "tag:\(range)")
        #expect(try Track(parsing: parsed.description) == parsed)
    }

    @Test func oneXIsARangeButAVersionIsAnExactTag() throws {
        guard case .range(let range) = try Track(parsing: "tag:1.x") else {
            Issue.record("tag:1.x must be a range")
            return
        }
        #expect(range.text == "1.x")
        #expect(range.desugared == ">=1.0.0 <2.0.0-0")
        #expect(try Track(parsing: "tag:v1.2.3") == .tag("v1.2.3"))
    }

    @Test func shaIsLowercased() throws {
        let parsed = try Track(parsing: "sha:0123456789ABCDEF0123456789abcdef01234567")
        #expect(parsed == .sha(Self.fullSHA))
        #expect(parsed.description == "sha:\(Self.fullSHA)")
        #expect(try Track(parsing: "sha:ABCDEF0") == .sha("abcdef0"))
    }

    @Test func rangeIsTrimmedInItsCanonicalText() throws {
        let parsed = try Track(parsing: "tag:  ^1.2  ")
        #expect(parsed == .range(try VersionRange("^1.2")))
        #expect(parsed.description == "tag:^1.2")
    }

    @Test func shaLengthBounds() throws {
        #expect(Track.minimumSHALength == 7)
        #expect(try Track(parsing: "sha:abcdef0") == .sha("abcdef0"))
        #expect(throws: TrackError.self) { try Track(parsing: "sha:abcdef") }
        #expect(throws: TrackError.self) { try Track(parsing: "sha:\(Self.fullSHA)0") }
    }

    // MARK: Errors

    struct BadTrack: Sendable, CustomTestStringConvertible {
        let text: String
        let offset: Int
        let phrase: String
        var testDescription: String { "'\(text)'" }

        init(_ text: String, _ offset: Int, _ phrase: String) {
            self.text = text
            self.offset = offset
            self.phrase = phrase
        }
    }

    static let badTracks: [BadTrack] = [
        BadTrack("main", 0, "'main' has no kind; expected none, sha:<hex>, tag:<name>, tag:latest, tag:<range> or branch:<name> (for example tag:main or branch:main)"),
        BadTrack("v0.2.1", 0, "'v0.2.1' has no kind"),
        BadTrack("None", 0, "'None' has no kind"),
        BadTrack("", 0, "'' has no kind"),
        BadTrack("Tag:v1.2.3", 0, "unknown track kind 'Tag'; expected none, sha:, tag: or branch:"),
        BadTrack("commit:0123abc", 0, "unknown track kind 'commit'"),
        BadTrack(":v1", 0, "unknown track kind ''"),
        BadTrack("sha:", 4, "sha: has 0 hex digits; expected 7 to 40"),
        BadTrack("sha:abcdef", 4, "sha:abcdef has 6 hex digits; expected 7 to 40"),
        BadTrack("sha:\(fullSHA)0", 4, "has 41 hex digits; expected 7 to 40"),
        BadTrack("sha:abcdefg", 10, "sha:abcdefg contains 'g'; expected hexadecimal digits 0-9 and a-f"),
        BadTrack("sha:0123 4567", 8, "contains ' '"),
        BadTrack("sha:-123abcd", 4, "contains '-'"),
        BadTrack("tag:", 4, "tag: is not a valid tag name: the name is empty"),
        BadTrack("tag:-rc", 4, "tag:-rc is not a valid tag name: a name must not start with '-'"),
        BadTrack("tag:a..b", 5, "tag:a..b is not a valid tag name: a name must not contain '..'"),
        BadTrack("tag:v1.2.3.lock", 10, "must not end with '.lock'"),
        BadTrack("tag:v1:2", 6, "a name must not contain ':'"),
        BadTrack("tag:>=", 6, "tag:>= is not a valid version range: expected a version after '>=' but found end of range"),
        BadTrack("tag:  >=", 8, "is not a valid version range"),
        BadTrack("tag:^1.02", 7, "found '02' with a leading zero"),
        BadTrack("tag:1.2.3 -2", 11, "expected whitespace after '-'"),
        BadTrack("branch:", 7, "branch: is not a valid branch name: the name is empty"),
        BadTrack("branch:feature~1", 14, "branch:feature~1 is not a valid branch name: a name must not contain '~'"),
        BadTrack("branch:a b", 8, "a name must not contain spaces or control characters"),
        BadTrack("branch:-x", 7, "a name must not start with '-'"),
        BadTrack("branch:foo/", 10, "a name must not start or end with '/'"),
        BadTrack("branch:@", 7, "'@' alone is not a name"),
        BadTrack("branch:HEAD@{1}", 11, "a name must not contain '@{'"),
    ]

    @Test(arguments: badTracks)
    func refusesMalformedTrackWithOffset(_ bad: BadTrack) {
        do throws(TrackError) {
            let track = try Track(parsing: bad.text)
            Issue.record("expected '\(bad.text)' to be refused, parsed \(track)")
        } catch {
            #expect(error.offset == bad.offset, "\(error.message)")
            #expect(error.message.contains(bad.phrase), "\(error.message)")
            #expect(error.description == error.message)
        }
    }

    /// `Character.isHexDigit` is also true for the fullwidth forms ０-９ and ａ-ｆ, which no git
    /// object name contains; the message promises "hexadecimal digits 0-9 and a-f".
    @Test func fullwidthDigitsAreNotHex() {
        #expect(throws: TrackError.self) { try Track(parsing: "sha:ａｂｃｄｅｆ０") }
    }

    // MARK: RefName

    @Test(arguments: ["main", "release/1.x", "v1.2.3", "feature/foo-bar", "a@b", "a.b", "x", "user/jo.e/fix_1", String(repeating: "r", count: 255)])
    func acceptsValidRefNames(_ name: String) {
        #expect(RefName.problem(with: name) == nil)
    }

    static let badRefNames: [(name: String, offset: Int, phrase: String)] = [
        ("", 0, "the name is empty"),
        (String(repeating: "r", count: 256), 255, "the name is longer than 255 characters"),
        ("-x", 0, "a name must not start with '-'"),
        ("/x", 0, "a name must not start or end with '/'"),
        ("x/", 1, "a name must not start or end with '/'"),
        ("x.", 1, "a name must not end with '.'"),
        ("x.lock", 1, "a name or path component must not end with '.lock'"),
        ("@", 0, "'@' alone is not a name"),
        ("a b", 1, "a name must not contain spaces or control characters"),
        ("a\tb", 1, "a name must not contain spaces or control characters"),
        ("ab\u{7f}", 2, "a name must not contain spaces or control characters"),
        ("a~1", 1, "a name must not contain '~'"),
        ("a^b", 1, "a name must not contain '^'"),
        ("a:b", 1, "a name must not contain ':'"),
        ("a?b", 1, "a name must not contain '?'"),
        ("a*b", 1, "a name must not contain '*'"),
        ("a[b", 1, "a name must not contain '['"),
        ("a\\b", 1, "a name must not contain '\\'"),
        ("ab..c", 2, "a name must not contain '..'"),
        ("a//b", 1, "a name must not contain '//'"),
        ("a@{b", 1, "a name must not contain '@{'"),
        ("a/.b", 2, "a path component must not start with '.'"),
        (".a", 0, "a path component must not start with '.'"),
    ]

    @Test(arguments: badRefNames)
    func refusesInvalidRefNames(name: String, offset: Int, phrase: String) throws {
        let problem = try #require(RefName.problem(with: name))
        #expect(problem.offset == offset)
        #expect(problem.message == phrase)
    }

    /// git check-ref-format refuses any component ending in `.lock`, not only the last one.
    @Test func refusesLockSuffixOnAnyComponent() {
        #expect(RefName.problem(with: "a.lock/b") != nil)
    }

    // MARK: PluginName

    @Test(arguments: ["a", "0", "my-plugin_1.2", "1password", "a.b-c_d", String(repeating: "z", count: 128)])
    func acceptsValidPluginNames(_ name: String) {
        #expect(PluginName.problem(with: name) == nil)
        #expect(PluginName.isValid(name))
    }

    static let badPluginNames: [(name: String, message: String)] = [
        ("", "the name is empty"),
        (String(repeating: "z", count: 129), "the name has 129 characters; expected at most 128"),
        ("Foo", "the name must start with a lowercase letter or a digit"),
        (".hidden", "the name must start with a lowercase letter or a digit"),
        ("_x", "the name must start with a lowercase letter or a digit"),
        ("-x", "the name must start with a lowercase letter or a digit"),
        ("..", "the name must start with a lowercase letter or a digit"),
        ("fooBar", "the name contains 'B'; expected only a-z, 0-9, '.', '_' and '-'"),
        ("foo/bar", "the name contains '/'; expected only a-z, 0-9, '.', '_' and '-'"),
        ("foo bar", "the name contains ' '; expected only a-z, 0-9, '.', '_' and '-'"),
        ("foo+bar", "the name contains '+'; expected only a-z, 0-9, '.', '_' and '-'"),
        ("foo~1", "the name contains '~'; expected only a-z, 0-9, '.', '_' and '-'"),
        ("foo..bar", "the name must not contain '..'"),
        ("foo..", "the name must not contain '..'"),
    ]

    @Test(arguments: badPluginNames)
    func refusesInvalidPluginNames(name: String, message: String) {
        #expect(PluginName.problem(with: name) == message)
        #expect(!PluginName.isValid(name))
    }

    /// The message names one byte of a multi-byte character as if it were Latin-1.
    @Test func nonASCIIPluginNameMessageNamesTheCharacter() throws {
        let problem = try #require(PluginName.problem(with: "café"))
        #expect(problem == "the name contains 'é'; expected only a-z, 0-9, '.', '_' and '-'")
    }

    // MARK: SourceURL

    static let acceptedURLs: [(url: String, transport: SourceURL.Transport)] = [
        ("https://github.com/acme/plugin.git", .https),
        ("http://example.com/acme/plugin.git", .http),
        ("ssh://git@example.com/acme/plugin.git", .ssh),
        ("ssh://git@example.com:2222/acme/plugin.git", .ssh),
        ("git+ssh://example.com/acme/plugin.git", .ssh),
        ("ssh+git://example.com/acme/plugin.git", .ssh),
        ("git://example.com/acme/plugin.git", .git),
        ("file:///srv/git/plugin.git", .file),
        ("/srv/git/plugin.git", .file),
        ("git@github.com:acme/plugin.git", .ssh),
        ("example.com:acme/plugin.git", .ssh),
    ]

    @Test(arguments: acceptedURLs)
    func classifiesAcceptedURLs(url: String, transport: SourceURL.Transport) throws {
        let source = try SourceURL(url)
        #expect(source.transport == transport)
        #expect(source.url == url)
        #expect(source.description == url)
    }

    static let refusedURLs: [(url: String, phrase: String)] = [
        ("", "the URL is empty"),
        ("-oProxyCommand=touch /tmp/x", "the URL starts with '-', which git would read as an option"),
        ("https://example.com/a plugin.git", "the URL contains a space or control character (U+20)"),
        ("https://example.com/a\tplugin.git", "the URL contains a space or control character (U+9)"),
        ("https://example.com/a\u{7f}.git", "(U+7F)"),
        ("ext::sh", "remote-helper URLs ('<transport>::<address>', such as ext::) run arbitrary commands and are never allowed"),
        ("fd::3", "remote-helper URLs"),
        ("https::example.com/x", "remote-helper URLs"),
        ("ftp://example.com/plugin.git", "unknown scheme 'ftp://'; expected https://, http://, ssh://, git://, file:// or user@host:path"),
        ("https:///plugin.git", "the URL has no host"),
        ("https://example.com", "the URL has no repository path"),
        ("https://example.com/", "the URL has no repository path"),
        ("ssh://-oProxyCommand=x/plugin.git", "the host starts with '-', which ssh would read as an option"),
        ("ssh://git@-oProxyCommand=x/plugin.git", "the host starts with '-'"),
        ("file://server/plugin.git", "a file:// URL must hold an absolute path (file:///path/to/repo.git)"),
        ("git@-oProxyCommand=x:plugin.git", "the host starts with '-', which ssh would read as an option"),
        (":plugin.git", "the scp-like URL has no host before ':'"),
        ("example.com:", "the scp-like URL has no path after ':'"),
        ("./plugin", "'./plugin' is not a git URL; expected https://, ssh://, git://, file://, user@host:path or an absolute path"),
        ("plugins/foo:bar", "is not a git URL"),
        ("git@github.com", "is not a git URL"),
    ]

    @Test(arguments: refusedURLs)
    func refusesUnsafeOrMalformedURLs(url: String, phrase: String) {
        do throws(SourceURLError) {
            let source = try SourceURL(url)
            Issue.record("expected '\(url)' to be refused, classified as \(source.transport)")
        } catch {
            #expect(error.message.contains(phrase), "\(error.message)")
            #expect(error.description == error.message)
        }
    }

    /// A source never holds credentials: they stay with git's credential helpers or ssh keys,
    /// and a refusal never echoes the secret.
    @Test(arguments: [
        "https://user:s3cr3t@example.com/acme/plugin.git",
        "https://ghp_t0ken@example.com/acme/plugin.git",
        "http://user:s3cr3t@example.com/acme/plugin.git",
        "ssh://git:s3cr3t@example.com/acme/plugin.git",
        "git://user:s3cr3t@example.com/acme/plugin.git",
    ])
    func refusesCredentialsInTheURL(_ url: String) {
        do throws(SourceURLError) {
            let source = try SourceURL(url)
            Issue.record("expected '\(url)' to be refused, classified as \(source.transport)")
        } catch {
            #expect(error.message.contains("credentials"), "\(error.message)")
            #expect(!error.message.contains("s3cr3t") && !error.message.contains("t0ken"), "\(error.message)")
        }
    }

    /// git matches schemes in lower case only: `FILE://` would pass here and fail in git at
    /// every pass.
    @Test(arguments: ["FILE:///srv/git/plugin.git", "HTTPS://example.com/acme/plugin.git", "Ssh://example.com/acme/plugin.git"])
    func refusesSchemesNotInLowerCase(_ url: String) {
        do throws(SourceURLError) {
            _ = try SourceURL(url)
            Issue.record("expected '\(url)' to be refused")
        } catch {
            #expect(error.message.contains("lower case"), "\(error.message)")
        }
    }

    @Test(arguments: [
        ("https://user:s3cr3t@example.com/a.git", "https://***@example.com/a.git"),
        ("https://t0ken@example.com/a.git", "https://***@example.com/a.git"),
        ("cannot list https://u:p@h/x.git: fatal", "cannot list https://***@h/x.git: fatal"),
        ("ssh://git@example.com/a.git", "ssh://git@example.com/a.git"),
        ("git@github.com:acme/a.git", "git@github.com:acme/a.git"),
        ("https://example.com/a@b.git", "https://example.com/a@b.git"),
    ])
    func redactsUserinfoWherePrinted(text: String, expected: String) {
        #expect(SourceURL.redacted(text) == expected)
    }

    /// `"git@".split(separator: "@")` drops the empty host, so the "no host" guards never fire
    /// when a user part is present.
    @Test(arguments: ["git@:acme/plugin.git", "https://git@/acme/plugin.git"])
    func refusesAnEmptyHostAfterAUser(_ url: String) {
        #expect(throws: SourceURLError.self) { try SourceURL(url) }
    }

    // MARK: SourcePolicy

    @Test func standardPolicyAllowsOnlyEncryptedTransports() throws {
        let policy = SourcePolicy.standard
        #expect(try policy.check("https://example.com/a.git").transport == .https)
        #expect(try policy.check("git@example.com:a.git").transport == .ssh)
        for url in ["http://example.com/a.git", "git://example.com/a.git", "file:///srv/a.git", "/srv/a.git"] {
            #expect(throws: SourceURLError.self, "\(url)") { try policy.check(url) }
        }
    }

    @Test func refusalNamesTheTransportAndTheSortedAllowList() {
        let policy = SourcePolicy(transports: [.ssh, .https, .file], allow: [])
        #expect(throws: SourceURLError("the git transport is not allowed here (allowed: file, https, ssh); add it to sources.transports in sluice.yaml if it is intended")) {
            try policy.check("git://example.com/a.git")
        }
    }

    @Test func allowPatternsMustMatchWhenPresent() throws {
        let policy = SourcePolicy(transports: [.https, .ssh], allow: ["https://github.com/acme/*", "git@github.com:acme/*"])
        #expect(try policy.check("https://github.com/acme/tools.git").url == "https://github.com/acme/tools.git")
        #expect(try policy.check("git@github.com:acme/tools.git").transport == .ssh)
        #expect(throws: SourceURLError("'https://github.com/evil/tools.git' matches none of sources.allow in sluice.yaml (https://github.com/acme/*, git@github.com:acme/*)")) {
            try policy.check("https://github.com/evil/tools.git")
        }
    }

    @Test func transportIsCheckedBeforeAllowPatterns() {
        let policy = SourcePolicy(transports: [.https], allow: ["*"])
        do throws(SourceURLError) {
            _ = try policy.check("ext::sh")
            Issue.record("ext:: must never pass")
        } catch {
            #expect(error.message.contains("remote-helper URLs"))
        }
    }
}
