import Foundation
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// The file name every manifest in this suite is parsed under; diagnostics must carry it.
private let manifestFile = "team/alpha/plugins.yaml"

/// Parses `text` and returns its diagnostics, recording an issue when it parses cleanly.
private func diagnostics(of text: String, policy: SourcePolicy = .standard, sourceLocation: SourceLocation = #_sourceLocation) -> [Diagnostic] {
    do throws(ValidationError) {
        let manifest = try Manifest.parse(text, file: manifestFile, policy: policy)
        Issue.record("expected the manifest to be refused, parsed \(manifest.plugins.map(\.name))", sourceLocation: sourceLocation)
        return []
    } catch {
        return error.diagnostics
    }
}

/// The character a 1-based line and column (in Unicode scalars, as libyaml counts) point at.
private func character(atLine line: Int, column: Int, in text: String) -> Character? {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard line >= 1, line <= lines.count else { return nil }
    let scalars = Array(lines[line - 1].unicodeScalars)
    guard column >= 1, column <= scalars.count else { return nil }
    return Character(scalars[column - 1])
}

/// One diagnostic a malformed manifest must produce.
struct ExpectedDiagnostic: Sendable {
    let line: Int
    let column: Int
    /// A phrase the message must contain.
    let phrase: String
    /// The character the column must point at, when the diagnostic locates one character.
    let pointsAt: Character?

    init(_ line: Int, _ column: Int, _ phrase: String, pointsAt: Character? = nil) {
        self.line = line
        self.column = column
        self.phrase = phrase
        self.pointsAt = pointsAt
    }
}

/// A malformed manifest and every diagnostic it must produce, in order.
struct BadManifest: Sendable, CustomTestStringConvertible {
    let name: String
    let text: String
    let expected: [ExpectedDiagnostic]
    var policy: SourcePolicy = .standard
    var testDescription: String { name }
}

/// Asserts that `actual` is exactly `expected`, one by one: file, line, column, phrase, pointed-at character.
private func expectDiagnostics(_ actual: [Diagnostic], _ expected: [ExpectedDiagnostic], in text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "got \(actual.map(\.description))", sourceLocation: sourceLocation)
    for (diagnostic, want) in zip(actual, expected) {
        #expect(diagnostic.file == manifestFile, sourceLocation: sourceLocation)
        #expect(diagnostic.line == want.line, "\(diagnostic)", sourceLocation: sourceLocation)
        #expect(diagnostic.column == want.column, "\(diagnostic)", sourceLocation: sourceLocation)
        #expect(diagnostic.message.contains(want.phrase), "\(diagnostic.message) should contain \(want.phrase)", sourceLocation: sourceLocation)
        if let pointsAt = want.pointsAt {
            #expect(character(atLine: diagnostic.line, column: diagnostic.column, in: text) == pointsAt, "\(diagnostic)", sourceLocation: sourceLocation)
        }
    }
}

@Suite struct ManifestParsingTests {

    // MARK: Valid manifests

    static let everyKind = """
        plugins:
          alpha:
            source: https://github.com/acme/alpha.git
            track: tag:latest
          beta:
            source: git@github.com:acme/beta.git
            track: tag:^1.2
            subpath: skills/beta/
            hold: true
          gamma:
            source: ssh://git@example.com/acme/gamma.git
            track: branch:release/2.x
            restart: true
          delta:
            source: https://example.com/acme/delta
            track: sha:0123456789ABCDEF0123456789abcdef01234567
            hold: false
            restart: false
          epsilon:
            source: https://example.com/acme/epsilon
            track: tag:v1.2.3
          zeta:
            source: https://example.com/acme/zeta
          eta:
            source: https://example.com/acme/eta
            track: none
          theta:
            source: https://example.com/acme/theta
            track: sha:abc1234
            subpath: plugins/theta
        """

    @Test func parsesEveryTrackKindAndOption() throws {
        let manifest = try Manifest.parse(Self.everyKind, file: manifestFile, policy: .standard)
        let expected: [PluginEntry] = [
            PluginEntry(name: "alpha", source: "https://github.com/acme/alpha.git", track: .latest, line: 2),
            PluginEntry(name: "beta", source: "git@github.com:acme/beta.git", subpath: "skills/beta", track: .range(try VersionRange("^1.2")), hold: true, line: 5),
            PluginEntry(name: "gamma", source: "ssh://git@example.com/acme/gamma.git", track: .branch("release/2.x"), restart: true, line: 10),
            PluginEntry(name: "delta", source: "https://example.com/acme/delta", track: .sha("0123456789abcdef0123456789abcdef01234567"), line: 14),
            PluginEntry(name: "epsilon", source: "https://example.com/acme/epsilon", track: .tag("v1.2.3"), line: 19),
            PluginEntry(name: "zeta", source: "https://example.com/acme/zeta", track: .none, line: 22),
            PluginEntry(name: "eta", source: "https://example.com/acme/eta", track: .none, line: 24),
            PluginEntry(name: "theta", source: "https://example.com/acme/theta", subpath: "plugins/theta", track: .sha("abc1234"), line: 27),
        ]
        #expect(manifest.plugins.map(\.name) == expected.map(\.name))
        for (parsed, want) in zip(manifest.plugins, expected) {
            #expect(parsed == want)
        }
    }

    @Test func defaultTrackIsNoneAndFlagsAreFalse() throws {
        let manifest = try Manifest.parse("""
            plugins:
              solo:
                source: https://example.com/solo.git
            """, file: manifestFile, policy: .standard)
        let entry = try #require(manifest.entry(named: "solo"))
        #expect(entry.track == .none)
        #expect(entry.hold == false)
        #expect(entry.restart == false)
        #expect(entry.subpath == nil)
        #expect(entry.line == 2)
        #expect(entry.basis == ManifestBasis(source: "https://example.com/solo.git", subpath: nil, track: "none"))
        #expect(manifest.entry(named: "other") == nil)
    }

    @Test(arguments: ["plugins:\n", "plugins:", "plugins: {}\n", "plugins: ~\n", "# subscriptions\nplugins:\n"])
    func emptyPluginsKeyMeansNoSubscriptions(_ text: String) throws {
        let manifest = try Manifest.parse(text, file: manifestFile, policy: .standard)
        #expect(manifest.plugins == [])
    }

    @Test func quotedValuesAndYAMLBooleanSpellingsAreAccepted() throws {
        let manifest = try Manifest.parse("""
            plugins:
              "quoted":
                source: 'https://example.com/q.git'
                track: "tag:>=1.0.0 <2.0.0"
                hold: yes
                restart: off
              '007':
                source: https://example.com/007.git
            """, file: manifestFile, policy: .standard)
        let quoted = try #require(manifest.entry(named: "quoted"))
        #expect(quoted.source == "https://example.com/q.git")
        #expect(quoted.track == .range(try VersionRange(">=1.0.0 <2.0.0")))
        #expect(quoted.track.description == "tag:>=1.0.0 <2.0.0")
        #expect(quoted.hold == true)
        #expect(quoted.restart == false)
        #expect(manifest.entry(named: "007")?.line == 7)
    }

    @Test func nameOf128CharactersIsAccepted() throws {
        let name = String(repeating: "a", count: 127) + "9"
        let manifest = try Manifest.parse("plugins:\n  \(name):\n    source: https://example.com/x.git\n", file: manifestFile, policy: .standard)
        #expect(manifest.plugins.map(\.name) == [name])
    }

    @Test func fileSourceIsAcceptedWhenThePolicyAllowsIt() throws {
        let policy = SourcePolicy(transports: [.https, .file], allow: [])
        let manifest = try Manifest.parse("""
            plugins:
              local:
                source: file:///srv/git/local.git
              bare:
                source: /srv/git/bare.git
            """, file: manifestFile, policy: policy)
        #expect(manifest.plugins.map(\.source) == ["file:///srv/git/local.git", "/srv/git/bare.git"])
    }

    @Test func sourceMatchingAnAllowPatternIsAccepted() throws {
        let policy = SourcePolicy(transports: [.https], allow: ["https://github.com/acme/*"])
        let manifest = try Manifest.parse("plugins:\n  foo:\n    source: https://github.com/acme/foo.git\n", file: manifestFile, policy: policy)
        #expect(manifest.entry(named: "foo")?.source == "https://github.com/acme/foo.git")
    }

    @Test func unreadableFileIsReportedForTheWholeFile() {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-missing-\(UUID().uuidString)/plugins.yaml").path
        do throws(ValidationError) {
            _ = try Manifest.load(path: path, displayPath: "ws/plugins.yaml", policy: .standard)
            Issue.record("a missing file must not load")
        } catch {
            #expect(error.diagnostics == [Diagnostic(file: "ws/plugins.yaml", line: 0, column: 0, message: "cannot read the file; check that it exists and is readable")])
        }
    }

    @Test func loadReadsAFileFromDisk() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-manifest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent(Manifest.fileName).path
        try "plugins:\n  foo:\n    source: https://example.com/foo.git\n    track: branch:main\n".write(toFile: path, atomically: true, encoding: .utf8)
        let manifest = try Manifest.load(path: path, displayPath: "ws/plugins.yaml", policy: .standard)
        #expect(manifest.plugins == [PluginEntry(name: "foo", source: "https://example.com/foo.git", track: .branch("main"), line: 2)])
    }

    // MARK: Malformed manifests

    static let longName = String(repeating: "a", count: 129)

    static let badManifests: [BadManifest] = [
        BadManifest(name: "unknown top-level key", text: """
            plugins:
              foo:
                source: https://example.com/foo.git
            extras: true
            """, expected: [ExpectedDiagnostic(4, 1, "unknown key 'extras' in plugins.yaml; expected one of: plugins", pointsAt: "e")]),
        BadManifest(name: "unknown entry key", text: """
            plugins:
              foo:
                source: https://example.com/foo.git
                branch: main
            """, expected: [ExpectedDiagnostic(4, 5, "unknown key 'branch' in plugin 'foo'; expected one of: source, subpath, track, hold, restart", pointsAt: "b")]),
        BadManifest(name: "no plugins key", text: "{}\n", expected: [ExpectedDiagnostic(1, 1, "no 'plugins' key; expected 'plugins:'")]),
        BadManifest(name: "top level is not a mapping", text: "just text\n", expected: [ExpectedDiagnostic(1, 1, "plugins.yaml must be a mapping, found the text 'just text'")]),
        BadManifest(name: "name with uppercase first letter", text: """
            plugins:
              Foo:
                source: https://example.com/foo.git
            """, expected: [ExpectedDiagnostic(2, 3, "invalid plugin name 'Foo': the name must start with a lowercase letter or a digit", pointsAt: "F")]),
        BadManifest(name: "name with uppercase inside", text: """
            plugins:
              myPlugin:
                source: https://example.com/foo.git
            """, expected: [ExpectedDiagnostic(2, 3, "invalid plugin name 'myPlugin': the name contains 'P'")]),
        BadManifest(name: "name with leading dot", text: """
            plugins:
              .hidden:
                source: https://example.com/foo.git
            """, expected: [ExpectedDiagnostic(2, 3, "invalid plugin name '.hidden': the name must start with a lowercase letter or a digit")]),
        BadManifest(name: "name with ..", text: """
            plugins:
              foo..bar:
                source: https://example.com/foo.git
            """, expected: [ExpectedDiagnostic(2, 3, "invalid plugin name 'foo..bar': the name must not contain '..'")]),
        BadManifest(name: "name with slash", text: """
            plugins:
              foo/bar:
                source: https://example.com/foo.git
            """, expected: [ExpectedDiagnostic(2, 3, "invalid plugin name 'foo/bar': the name contains '/'")]),
        BadManifest(name: "name of 129 characters", text: "plugins:\n  \(longName):\n    source: https://example.com/foo.git\n",
                    expected: [ExpectedDiagnostic(2, 3, "the name has 129 characters; expected at most 128")]),
        BadManifest(name: "numeric plugin name", text: """
            plugins:
              007:
                source: https://example.com/foo.git
            """, expected: [ExpectedDiagnostic(2, 3, "a plugin name must be text, found the number 007; quote it")]),
        BadManifest(name: "entry is not a mapping", text: """
            plugins:
              foo: https://example.com/foo.git
            """, expected: [ExpectedDiagnostic(2, 8, "plugin 'foo' must be a mapping, found the text 'https://example.com/foo.git'", pointsAt: "h")]),
        BadManifest(name: "bare branch name as track", text: """
            plugins:
              foo:
                source: https://example.com/foo.git
                track: main
            """, expected: [ExpectedDiagnostic(4, 12, "track of 'foo': 'main' has no kind; expected none, sha:<hex>, tag:<name>, tag:latest, tag:<range> or branch:<name> (for example tag:main or branch:main)", pointsAt: "m")]),
        BadManifest(name: "bare version as track", text: """
            plugins:
              foo:
                source: https://example.com/foo.git
                track: v0.2.1
            """, expected: [ExpectedDiagnostic(4, 12, "track of 'foo': 'v0.2.1' has no kind", pointsAt: "v")]),
        BadManifest(name: "unknown track kind", text: """
            plugins:
              foo:
                source: https://example.com/foo.git
                track: commit:0123abc
            """, expected: [ExpectedDiagnostic(4, 12, "track of 'foo': unknown track kind 'commit'; expected none, sha:, tag: or branch:", pointsAt: "c")]),
        BadManifest(name: "sha too short", text: """
            plugins:
              foo:
                source: https://example.com/foo.git
                track: sha:abc12
            """, expected: [ExpectedDiagnostic(4, 16, "track of 'foo': sha:abc12 has 5 hex digits; expected 7 to 40", pointsAt: "a")]),
        BadManifest(name: "sha with non-hex character", text: """
            plugins:
              foo:
                source: https://example.com/foo.git
                track: sha:0123abz456
            """, expected: [ExpectedDiagnostic(4, 22, "sha:0123abz456 contains 'z'; expected hexadecimal digits 0-9 and a-f", pointsAt: "z")]),
        BadManifest(name: "quoted sha with non-hex character", text: """
            plugins:
              foo:
                source: https://example.com/foo.git
                track: "sha:0123abz456"
            """, expected: [ExpectedDiagnostic(4, 23, "sha:0123abz456 contains 'z'", pointsAt: "z")]),
        BadManifest(name: "sha with non-hex character in a flow mapping", text: """
            plugins:
              foo: {source: https://example.com/foo.git, track: 'sha:abcdefgh'}
            """, expected: [ExpectedDiagnostic(2, 64, "sha:abcdefgh contains 'g'", pointsAt: "g")]),
        BadManifest(name: "incomplete range", text: """
            plugins:
              foo:
                source: https://example.com/foo.git
                track: tag:>=
            """, expected: [ExpectedDiagnostic(4, 18, "tag:>= is not a valid version range: expected a version after '>=' but found end of range")]),
        BadManifest(name: "range with a bad component", text: """
            plugins:
              foo:
                source: https://example.com/foo.git
                track: "tag:^1.02"
            """, expected: [ExpectedDiagnostic(4, 20, "is not a valid version range: found '02' with a leading zero", pointsAt: "0")]),
        BadManifest(name: "tag name with ..", text: """
            plugins:
              foo:
                source: https://example.com/foo.git
                track: tag:a..b
            """, expected: [ExpectedDiagnostic(4, 17, "tag:a..b is not a valid tag name: a name must not contain '..'", pointsAt: ".")]),
        BadManifest(name: "branch name with ~", text: """
            plugins:
              foo:
                source: https://example.com/foo.git
                track: branch:feature~1
            """, expected: [ExpectedDiagnostic(4, 26, "branch:feature~1 is not a valid branch name: a name must not contain '~'", pointsAt: "~")]),
        BadManifest(name: "branch name starting with -", text: """
            plugins:
              foo:
                source: https://example.com/foo.git
                track: branch:-delete
            """, expected: [ExpectedDiagnostic(4, 19, "is not a valid branch name: a name must not start with '-'", pointsAt: "-")]),
        BadManifest(name: "track is a number", text: """
            plugins:
              foo:
                source: https://example.com/foo.git
                track: 123
            """, expected: [ExpectedDiagnostic(4, 12, "track of 'foo' must be text, found the number 123; quote it if it is meant as text")]),
        BadManifest(name: "track is empty", text: """
            plugins:
              foo:
                source: https://example.com/foo.git
                track:
            """, expected: [ExpectedDiagnostic(4, 11, "track of 'foo' must be text, found null")]),
        BadManifest(name: "source starting with -", text: """
            plugins:
              foo:
                source: -oProxyCommand=touch
            """, expected: [ExpectedDiagnostic(3, 13, "source of 'foo': the URL starts with '-', which git would read as an option", pointsAt: "-")]),
        BadManifest(name: "ext:: remote helper", text: """
            plugins:
              foo:
                source: ext::sh
            """, expected: [ExpectedDiagnostic(3, 13, "source of 'foo': remote-helper URLs")]),
        BadManifest(name: "file transport under the standard policy", text: """
            plugins:
              foo:
                source: file:///srv/git/foo.git
            """, expected: [ExpectedDiagnostic(3, 13, "source of 'foo': the file transport is not allowed here (allowed: https, ssh)")]),
        BadManifest(name: "absolute path under the standard policy", text: """
            plugins:
              foo:
                source: /srv/git/foo.git
            """, expected: [ExpectedDiagnostic(3, 13, "the file transport is not allowed here")]),
        BadManifest(name: "git transport under the standard policy", text: """
            plugins:
              foo:
                source: git://example.com/foo.git
            """, expected: [ExpectedDiagnostic(3, 13, "source of 'foo': the git transport is not allowed here (allowed: https, ssh)")]),
        BadManifest(name: "http transport when only ssh is allowed", text: """
            plugins:
              foo:
                source: http://example.com/foo.git
            """, expected: [ExpectedDiagnostic(3, 13, "the http transport is not allowed here (allowed: ssh)")],
                    policy: SourcePolicy(transports: [.ssh], allow: [])),
        BadManifest(name: "source outside the allow patterns", text: """
            plugins:
              foo:
                source: https://gitlab.com/acme/foo.git
            """, expected: [ExpectedDiagnostic(3, 13, "'https://gitlab.com/acme/foo.git' matches none of sources.allow in sluice.yaml (https://github.com/acme/*)")],
                    policy: SourcePolicy(transports: [.https], allow: ["https://github.com/acme/*"])),
        BadManifest(name: "scp host starting with -", text: """
            plugins:
              foo:
                source: git@-oProxyCommand=x:foo.git
            """, expected: [ExpectedDiagnostic(3, 13, "source of 'foo': the host starts with '-', which ssh would read as an option")]),
        BadManifest(name: "empty source", text: """
            plugins:
              foo:
                source: ""
            """, expected: [ExpectedDiagnostic(3, 13, "source of 'foo' is empty; expected a value")]),
        BadManifest(name: "missing source", text: """
            plugins:
              foo:
                track: tag:latest
            """, expected: [ExpectedDiagnostic(2, 3, "plugin 'foo' has no source; expected 'source: <git URL>'", pointsAt: "f")]),
        BadManifest(name: "duplicate entry key", text: """
            plugins:
              foo:
                source: https://example.com/foo.git
                track: tag:latest
                source: https://example.com/other.git
            """, expected: [ExpectedDiagnostic(5, 5, "duplicate key 'source' (first at line 3); expected each key once", pointsAt: "s")]),
        BadManifest(name: "duplicate plugin name", text: """
            plugins:
              foo:
                source: https://example.com/foo.git
              bar:
                source: https://example.com/bar.git
              foo:
                source: https://example.com/foo2.git
            """, expected: [ExpectedDiagnostic(6, 3, "duplicate key 'foo' (first at line 2)", pointsAt: "f")]),
        BadManifest(name: "hold as quoted text", text: """
            plugins:
              foo:
                source: https://example.com/foo.git
                hold: "yes"
            """, expected: [ExpectedDiagnostic(4, 11, "hold of 'foo' must be true or false, found the text 'yes'", pointsAt: "\"")]),
        BadManifest(name: "restart as a number", text: """
            plugins:
              foo:
                source: https://example.com/foo.git
                restart: 1
            """, expected: [ExpectedDiagnostic(4, 14, "restart of 'foo' must be true or false, found the number 1", pointsAt: "1")]),
        BadManifest(name: "plugins as a list", text: """
            plugins:
              - foo
              - bar
            """, expected: [ExpectedDiagnostic(2, 3, "plugins must be a mapping, found a list", pointsAt: "-")]),
        BadManifest(name: "plugins as a flow list", text: "plugins: [foo, bar]\n",
                    expected: [ExpectedDiagnostic(1, 10, "plugins must be a mapping, found a list", pointsAt: "[")]),
        BadManifest(name: "empty file", text: "", expected: [ExpectedDiagnostic(1, 1, "the file is empty; expected a YAML mapping")]),
        BadManifest(name: "whitespace-only file", text: "\n   \n\n", expected: [ExpectedDiagnostic(1, 1, "the file is empty")]),
        BadManifest(name: "comment-only file", text: "# nothing yet\n", expected: [ExpectedDiagnostic(1, 1, "the file holds no YAML document")]),
        BadManifest(name: "tab indentation", text: "plugins:\n  foo:\n\tsource: https://example.com/foo.git\n",
                    expected: [ExpectedDiagnostic(3, 1, "found character that cannot start any token", pointsAt: "\t")]),
        BadManifest(name: "unclosed quote", text: "plugins:\n  foo:\n    source: \"https://example.com/foo.git\n    track: tag:latest\n",
                    expected: [ExpectedDiagnostic(3, 13, "invalid YAML: while scanning a quoted scalar here, found unexpected end of stream at line 5, column 1")]),
        BadManifest(name: "subpath with ..", text: """
            plugins:
              foo:
                source: https://example.com/foo.git
                subpath: skills/../secret
            """, expected: [ExpectedDiagnostic(4, 14, "subpath of 'foo' must be a plain folder path without '.', '..' or empty parts, found 'skills/../secret'", pointsAt: "s")]),
        BadManifest(name: "absolute subpath", text: """
            plugins:
              foo:
                source: https://example.com/foo.git
                subpath: /etc/agent
            """, expected: [ExpectedDiagnostic(4, 14, "subpath of 'foo' must be relative to the repository, found '/etc/agent'", pointsAt: "/")]),
        BadManifest(name: "subpath naming .git", text: """
            plugins:
              foo:
                source: https://example.com/foo.git
                subpath: vendor/.git
            """, expected: [ExpectedDiagnostic(4, 14, "subpath of 'foo' must not name a .git folder")]),
        BadManifest(name: "subpath with backslash", text: """
            plugins:
              foo:
                source: https://example.com/foo.git
                subpath: 'skills\\foo'
            """, expected: [ExpectedDiagnostic(4, 14, "subpath of 'foo' must use '/' as separator")]),
        BadManifest(name: "errors in two entries are all reported", text: """
            plugins:
              foo:
                source: https://example.com/foo.git
                track: "tag:"
              bar:
                source: https://example.com/bar.git
                track: sha:xyz1234
            """, expected: [
                ExpectedDiagnostic(4, 17, "track of 'foo': tag: is not a valid tag name: the name is empty"),
                ExpectedDiagnostic(7, 16, "track of 'bar': sha:xyz1234 contains 'x'", pointsAt: "x"),
            ]),
    ]

    @Test(arguments: badManifests)
    func refusesMalformedManifestWithLocatedDiagnostics(_ bad: BadManifest) {
        let found = diagnostics(of: bad.text, policy: bad.policy)
        expectDiagnostics(found, bad.expected, in: bad.text)
    }

    @Test func reportsFourDifferentErrorsInFileOrder() {
        let text = """
            plugins:
              Bad:
                source: https://example.com/bad.git
              good:
                source: ext::sh
                track: main
              other:
                source: https://example.com/other.git
                hold: "no"
            """
        let found = diagnostics(of: text)
        expectDiagnostics(found, [
            ExpectedDiagnostic(2, 3, "invalid plugin name 'Bad'"),
            ExpectedDiagnostic(5, 13, "source of 'good': remote-helper URLs"),
            ExpectedDiagnostic(6, 12, "track of 'good': 'main' has no kind"),
            ExpectedDiagnostic(9, 11, "hold of 'other' must be true or false, found the text 'no'"),
        ], in: text)
        #expect(found.map(\.line) == found.map(\.line).sorted())
    }

    @Test func diagnosticDescriptionIsFileLineColumn() {
        let found = diagnostics(of: "plugins:\n  foo:\n    source: https://example.com/foo.git\n    track: main\n")
        #expect(found.first?.description.hasPrefix("team/alpha/plugins.yaml:4:12: error: track of 'foo': 'main' has no kind") == true)
    }

    /// `ValidationError` promises its diagnostics "in file order", but a missing source is only
    /// noticed after the entry's keys were checked, so it comes after errors further down.
    @Test func missingSourceIsReportedInFileOrder() {
        let text = """
            plugins:
              foo:
                track: main
            """
        let found = diagnostics(of: text)
        #expect(Set(found.map { "\($0.line):\($0.column)" }) == ["2:3", "3:12"])
        #expect(found.map(\.line) == [2, 3])
    }

    /// The same order problem for unknown keys: every unknown key of a mapping is reported
    /// before the values of the keys above it are checked.
    @Test func unknownKeyIsReportedInFileOrder() {
        let text = """
            plugins:
              foo:
                source: ext::sh
                colour: red
            """
        let found = diagnostics(of: text)
        #expect(Set(found.map { "\($0.line):\($0.column)" }) == ["3:13", "4:5"])
        #expect(found.map(\.line) == [3, 4])
    }

    /// An unclosed quote is located at the end of the file; the scanner's context (where the
    /// quoted scalar started) is dropped, so the message never leads to line 3.
    @Test func unclosedQuoteNamesWhereTheQuoteOpened() {
        let text = "plugins:\n  foo:\n    source: \"https://example.com/foo.git\n    track: tag:latest\n"
        let found = diagnostics(of: text)
        #expect(found.count == 1)
        #expect(found.first.map { "\($0.line):\($0.column)" } == "3:13")
    }
}
