import Foundation
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// Parses a `sluice.yaml` text and returns its diagnostics, recording an issue when it parses.
private func configDiagnostics(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [Diagnostic] {
    do throws(ValidationError) {
        let config = try SluiceConfig.parse(text, file: SluiceConfig.fileName)
        Issue.record("expected the config to be refused, parsed \(config)", sourceLocation: sourceLocation)
        return []
    } catch {
        return error.diagnostics
    }
}

/// A temporary root folder, removed by `remove()`.
private struct TemporaryRoot {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    func write(_ text: String) throws {
        try text.write(toFile: path + "/" + SluiceConfig.fileName, atomically: true, encoding: .utf8)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A refused `sluice.yaml` and the one diagnostic it must produce.
struct BadConfig: Sendable, CustomTestStringConvertible {
    let name: String
    let text: String
    let line: Int
    let column: Int
    let phrase: String
    var testDescription: String { name }

    init(_ name: String, _ text: String, _ line: Int, _ column: Int, _ phrase: String) {
        self.name = name
        self.text = text
        self.line = line
        self.column = column
        self.phrase = phrase
    }
}

@Suite struct ConfigParsingTests {

    // MARK: Defaults

    @Test func standardDefaults() {
        let config = SluiceConfig.standard
        #expect(config.queue == "updates")
        #expect(config.state == ".sluice")
        #expect(config.maxDepth == 4)
        #expect(config.exclude == [])
        #expect(config.sources == SourcePolicy(transports: [.https, .ssh], allow: []))
        #expect(config.resolveTimeout == 60)
        #expect(config.fetchTimeout == 300)
        #expect(config.concurrency == 8)
        #expect(config.retain == 3)
        #expect(config.maxTreeBytes == 104_857_600)
        #expect(config.hotPatterns == ["SKILL.md", "*/SKILL.md"])
        #expect(config.afterApply == nil)
    }

    @Test func absentFileGivesTheDefaults() throws {
        let root = try TemporaryRoot()
        defer { root.remove() }
        let config = try SluiceConfig.load(root: root.path)
        #expect(config == .standard)
    }

    @Test func presentFileIsLoadedFromTheRoot() throws {
        let root = try TemporaryRoot()
        defer { root.remove() }
        try root.write("queue: inbox\ngit:\n  concurrency: 2\n")
        let config = try SluiceConfig.load(root: root.path)
        var expected = SluiceConfig()
        expected.queue = "inbox"
        expected.concurrency = 2
        #expect(config == expected)
    }

    @Test func loadNamesTheFileRelativeToTheRoot() throws {
        let root = try TemporaryRoot()
        defer { root.remove() }
        try root.write("git:\n  timeout: 0\n")
        do throws(ValidationError) {
            _ = try SluiceConfig.load(root: root.path)
            Issue.record("timeout 0 must be refused")
        } catch {
            #expect(error.diagnostics == [Diagnostic(file: "sluice.yaml", line: 2, column: 12, message: "git.timeout must be between 1 and 3600, found 0")])
        }
    }

    @Test func nonUTF8FileIsRefusedAsAWhole() throws {
        let root = try TemporaryRoot()
        defer { root.remove() }
        try Data([0x71, 0x75, 0x65, 0x75, 0x65, 0x3a, 0x20, 0xff, 0xfe, 0x0a]).write(to: URL(fileURLWithPath: root.path + "/sluice.yaml"))
        do throws(ValidationError) {
            _ = try SluiceConfig.load(root: root.path)
            Issue.record("a non-UTF-8 file must be refused")
        } catch {
            #expect(error.diagnostics == [Diagnostic(file: "sluice.yaml", line: 0, column: 0, message: "cannot read the file as UTF-8 text")])
        }
    }

    // MARK: Every key

    @Test func parsesEveryKey() throws {
        let config = try SluiceConfig.parse("""
            queue: queue/updates
            state: var/sluice
            discovery:
              maxDepth: 6
              exclude: ["archive/*", tmp]
            sources:
              transports: [https, ssh, file]
              allow: ["https://github.com/acme/*", "git@github.com:acme/*"]
            git:
              timeout: 30
              fetchTimeout: 600
              concurrency: 4
            apply:
              retain: 5
              maxTreeBytes: 1048576
              hot: ["*.md", "docs/**"]
              afterApply: systemctl reload agent
            """, file: "sluice.yaml")
        var expected = SluiceConfig()
        expected.queue = "queue/updates"
        expected.state = "var/sluice"
        expected.maxDepth = 6
        expected.exclude = ["archive/*", "tmp"]
        expected.sources = SourcePolicy(transports: [.https, .ssh, .file], allow: ["https://github.com/acme/*", "git@github.com:acme/*"])
        expected.resolveTimeout = 30
        expected.fetchTimeout = 600
        expected.concurrency = 4
        expected.retain = 5
        expected.maxTreeBytes = 1_048_576
        expected.hotPatterns = ["*.md", "docs/**"]
        expected.afterApply = "systemctl reload agent"
        #expect(config == expected)
    }

    @Test func keysLeftOutKeepTheirDefaults() throws {
        let config = try SluiceConfig.parse("apply:\n  retain: 0\n", file: "sluice.yaml")
        var expected = SluiceConfig()
        expected.retain = 0
        #expect(config == expected)
    }

    @Test func blockListOfTransportsIsParsed() throws {
        let config = try SluiceConfig.parse("sources:\n  transports:\n    - git\n    - https\n", file: "sluice.yaml")
        #expect(config.sources.transports == [.git, .https])
        #expect(config.sources.allow == [])
    }

    @Test func parsedPolicyIsWhatManifestsAreCheckedAgainst() throws {
        let config = try SluiceConfig.parse("sources:\n  transports: [file]\n  allow: [\"file:///srv/git/*\"]\n", file: "sluice.yaml")
        #expect(try config.sources.check("file:///srv/git/foo.git").transport == .file)
        #expect(throws: SourceURLError.self) { try config.sources.check("file:///home/me/foo.git") }
        #expect(throws: SourceURLError.self) { try config.sources.check("https://github.com/acme/foo.git") }
    }

    static let boundaries: [(text: String, keyPath: KeyPath<SluiceConfig, Int> & Sendable, value: Int)] = [
        ("discovery:\n  maxDepth: 1\n", \SluiceConfig.maxDepth, 1),
        ("discovery:\n  maxDepth: 16\n", \SluiceConfig.maxDepth, 16),
        ("git:\n  timeout: 1\n", \SluiceConfig.resolveTimeout, 1),
        ("git:\n  timeout: 3600\n", \SluiceConfig.resolveTimeout, 3600),
        ("git:\n  fetchTimeout: 1\n", \SluiceConfig.fetchTimeout, 1),
        ("git:\n  fetchTimeout: 86400\n", \SluiceConfig.fetchTimeout, 86400),
        ("git:\n  concurrency: 1\n", \SluiceConfig.concurrency, 1),
        ("git:\n  concurrency: 256\n", \SluiceConfig.concurrency, 256),
        ("apply:\n  retain: 100\n", \SluiceConfig.retain, 100),
        ("apply:\n  maxTreeBytes: 1\n", \SluiceConfig.maxTreeBytes, 1),
        ("apply:\n  maxTreeBytes: 2147483647\n", \SluiceConfig.maxTreeBytes, 2_147_483_647),
    ]

    @Test(arguments: boundaries)
    func acceptsValuesAtTheBoundsOfTheirRange(text: String, keyPath: KeyPath<SluiceConfig, Int> & Sendable, value: Int) throws {
        let config = try SluiceConfig.parse(text, file: "sluice.yaml")
        #expect(config[keyPath: keyPath] == value)
    }

    // MARK: Refused values

    static let badConfigs: [BadConfig] = [
        BadConfig("maxDepth 0", "discovery:\n  maxDepth: 0\n", 2, 13, "discovery.maxDepth must be between 1 and 16, found 0"),
        BadConfig("maxDepth 17", "discovery:\n  maxDepth: 17\n", 2, 13, "discovery.maxDepth must be between 1 and 16, found 17"),
        BadConfig("maxDepth quoted", "discovery:\n  maxDepth: \"4\"\n", 2, 13, "discovery.maxDepth must be a whole number, found the text '4'"),
        BadConfig("maxDepth fractional", "discovery:\n  maxDepth: 2.5\n", 2, 13, "discovery.maxDepth must be a whole number, found the number 2.5"),
        BadConfig("exclude not a list", "discovery:\n  exclude: tmp\n", 2, 12, "discovery.exclude must be a list, found the text 'tmp'"),
        BadConfig("timeout 0", "git:\n  timeout: 0\n", 2, 12, "git.timeout must be between 1 and 3600, found 0"),
        BadConfig("timeout 3601", "git:\n  timeout: 3601\n", 2, 12, "git.timeout must be between 1 and 3600, found 3601"),
        BadConfig("fetchTimeout 86401", "git:\n  fetchTimeout: 86401\n", 2, 17, "git.fetchTimeout must be between 1 and 86400, found 86401"),
        BadConfig("concurrency 0", "git:\n  concurrency: 0\n", 2, 16, "git.concurrency must be between 1 and 256, found 0"),
        BadConfig("concurrency 257", "git:\n  concurrency: 257\n", 2, 16, "git.concurrency must be between 1 and 256, found 257"),
        BadConfig("retain -1", "apply:\n  retain: -1\n", 2, 11, "apply.retain must be between 0 and 100, found -1"),
        BadConfig("retain 101", "apply:\n  retain: 101\n", 2, 11, "apply.retain must be between 0 and 100, found 101"),
        BadConfig("maxTreeBytes 0", "apply:\n  maxTreeBytes: 0\n", 2, 17, "apply.maxTreeBytes must be between 1 and 2147483647, found 0"),
        BadConfig("maxTreeBytes above Int32", "apply:\n  maxTreeBytes: 2147483648\n", 2, 17, "apply.maxTreeBytes must be between 1 and 2147483647, found 2147483648"),
        BadConfig("hot item not text", "apply:\n  hot: [1]\n", 2, 9, "each item of apply.hot must be text, found the number 1"),
        BadConfig("afterApply empty", "apply:\n  afterApply: \"\"\n", 2, 15, "apply.afterApply is empty; expected a value"),
        BadConfig("unknown transport ext in a flow list", "sources:\n  transports: [https, ext]\n", 2, 23,
                  "unknown transport 'ext'; expected https, http, ssh, git or file (remote helpers such as ext are never allowed)"),
        BadConfig("unknown transport ext in a block list", "sources:\n  transports:\n    - https\n    - ext\n", 4, 7, "unknown transport 'ext'"),
        BadConfig("transport in upper case", "sources:\n  transports: [HTTPS]\n", 2, 16, "unknown transport 'HTTPS'"),
        BadConfig("transports not a list", "sources:\n  transports: https\n", 2, 15, "sources.transports must be a list, found the text 'https'"),
        BadConfig("allow not a list", "sources:\n  allow: \"https://*\"\n", 2, 10, "sources.allow must be a list, found the text 'https://*'"),
        BadConfig("queue escaping the root", "queue: ../x\n", 1, 8, "queue must be a plain relative path without '.', '..' or empty parts, found '../x'"),
        BadConfig("queue absolute", "queue: /var/spool/updates\n", 1, 8, "queue must be relative to the root, found the absolute path '/var/spool/updates'"),
        BadConfig("queue with .. inside", "queue: updates/../../etc\n", 1, 8, "found 'updates/../../etc'"),
        BadConfig("queue with empty part", "queue: \"a//b\"\n", 1, 8, "queue must be a plain relative path"),
        BadConfig("queue is the root", "queue: .\n", 1, 8, "queue must be a plain relative path"),
        BadConfig("queue a number", "queue: 5\n", 1, 8, "queue must be text, found the number 5"),
        BadConfig("state escaping the root", "state: ../state\n", 1, 8, "state must be a plain relative path without '.', '..' or empty parts, found '../state'"),
        BadConfig("queue inside a plugin tree", "queue: ws-a/plugins/p/q\n", 1, 8, "queue must not be inside a plugins/ folder"),
        BadConfig("state is a plugins folder", "state: plugins\n", 1, 8, "state must not be inside a plugins/ folder"),
        BadConfig("queue equal to state", "queue: var/sluice\nstate: var/sluice\n", 2, 8, "state and queue must be different folders, neither inside the other"),
        BadConfig("state inside the queue", "queue: updates\nstate: updates/state\n", 2, 8, "state and queue must be different folders"),
        BadConfig("queue inside the state", "state: var\nqueue: var/updates\n", 2, 8, "queue and state must be different folders"),
        BadConfig("state absolute", "state: /tmp/sluice\n", 1, 8, "state must be relative to the root, found the absolute path '/tmp/sluice'"),
        BadConfig("unknown top-level key", "queue: updates\nremote: origin\n", 2, 1,
                  "unknown key 'remote' in sluice.yaml; expected one of: queue, state, discovery, sources, git, apply, defaults, verify, gitops, approvals, notify, watch"),
        BadConfig("unknown discovery key", "discovery:\n  depth: 3\n", 2, 3, "unknown key 'depth' in discovery; expected one of: maxDepth, exclude"),
        BadConfig("unknown sources key", "sources:\n  hosts: [github.com]\n", 2, 3, "unknown key 'hosts' in sources; expected one of: transports, allow"),
        BadConfig("unknown git key", "git:\n  retries: 3\n", 2, 3, "unknown key 'retries' in git; expected one of: timeout, fetchTimeout, concurrency"),
        BadConfig("unknown apply key", "apply:\n  hook: make\n", 2, 3, "unknown key 'hook' in apply; expected one of: retain, maxTreeBytes, hot, afterApply"),
        BadConfig("section not a mapping", "git: 5\n", 1, 6, "git must be a mapping, found the number 5"),
        BadConfig("top level a list", "- queue\n", 1, 1, "sluice.yaml must be a mapping, found a list"),
        BadConfig("duplicate key", "queue: a\nstate: b\nqueue: c\n", 3, 1, "duplicate key 'queue' (first at line 1)"),
    ]

    @Test(arguments: badConfigs)
    func refusesBadValuesWithLocatedDiagnostics(_ bad: BadConfig) {
        let found = configDiagnostics(bad.text)
        #expect(found.count == 1, "\(found.map(\.description))")
        let diagnostic = found.first
        #expect(diagnostic?.file == "sluice.yaml")
        #expect(diagnostic?.line == bad.line, "\(found.map(\.description))")
        #expect(diagnostic?.column == bad.column, "\(found.map(\.description))")
        #expect(diagnostic?.message.contains(bad.phrase) == true, "\(diagnostic?.message ?? "none") should contain \(bad.phrase)")
    }

    @Test func reportsEveryProblemInOnePass() {
        let found = configDiagnostics("""
            queue: /abs
            discovery:
              maxDepth: 99
            sources:
              transports: [ext, https, fd]
            colour: blue
            """)
        let byPosition = Dictionary(uniqueKeysWithValues: found.map { ("\($0.line):\($0.column)", $0.message) })
        #expect(byPosition == [
            "1:8": "queue must be relative to the root, found the absolute path '/abs'",
            "3:13": "discovery.maxDepth must be between 1 and 16, found 99",
            "5:16": "unknown transport 'ext'; expected https, http, ssh, git or file (remote helpers such as ext are never allowed)",
            "5:28": "unknown transport 'fd'; expected https, http, ssh, git or file (remote helpers such as ext are never allowed)",
            "6:1": "unknown key 'colour' in sluice.yaml; expected one of: queue, state, discovery, sources, git, apply, defaults, verify, gitops, approvals, notify, watch",
        ])
        #expect(found.count == 5)
        // ValidationError promises file order; YAMLReader.entries reports every unknown key of a
        // mapping before the caller has looked at any value, so 6:1 comes first.
        #expect(found.map { "\($0.line):\($0.column)" } == ["1:8", "3:13", "5:16", "5:28", "6:1"])
    }

    /// A queue or state folder inside a workspace would be written by reconcile and apply
    /// beside (or inside) that workspace's live trees; it is refused when the root is loaded.
    @Test func refusesAQueueOrStateInsideAWorkspace() throws {
        let root = try TemporaryRoot()
        defer { root.remove() }
        try FileManager.default.createDirectory(atPath: root.path + "/ws-a/inbox", withIntermediateDirectories: true)
        try Data("plugins: {}\n".utf8).write(to: URL(fileURLWithPath: root.path + "/ws-a/plugins.yaml"))
        try root.write("# queue beside the workspaces\nqueue: ws-a/inbox\nstate: ws-a\n")
        do throws(ValidationError) {
            _ = try SluiceConfig.load(root: root.path)
            Issue.record("a queue inside a workspace must be refused")
        } catch {
            #expect(error.diagnostics.map { "\($0.line):\($0.column)" } == ["2:8", "3:8"], "\(error.diagnostics)")
            #expect(error.diagnostics.first?.message == "queue 'ws-a/inbox' is inside the workspace 'ws-a' (it holds plugins.yaml); put it beside the workspaces, not in one")
        }
    }

    @Test(arguments: ["updates", "var/queue", ".sluice", "a.b/c_d-e"])
    func acceptsPlainRelativeFolders(_ path: String) {
        #expect(SluiceConfig.relativePathProblem(path) == nil)
    }
}
