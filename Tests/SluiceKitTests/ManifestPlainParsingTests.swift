import Foundation
import Testing
@testable import SluiceKit

/// The byte-level fast path for `plugins.yaml` (``Manifest/parsePlain(_:policy:)``): a file it
/// accepts parses to the same manifest as through Yams' node tree, and a file with any problem
/// is left to the tree parser, whose diagnostics carry file, line and column.
@Suite struct ManifestPlainParsingTests {
    static let file = "team/alpha/plugins.yaml"
    static let policy = SourcePolicy(transports: [.https, .ssh, .file], allow: [])

    static let usual = """
        # Subscriptions of team alpha.
        plugins:
          review:
            source: https://git.example.com/acme/review.git
            track: tag:latest
          careful-mode:
            source: git@git.example.com:acme/skills.git
            subpath: plugins/careful-mode/
            track: tag:^1.2   # npm ranges
            hold: true
            restart: yes
            min-age: 72h
            verify: ssh
          pinned:
            source: 'https://git.example.com/acme/pinned.git'
            track: "sha:622bc3c9fe0a72b36bcb3bd0e6577ada9c707a3c"
            minAge: '0'
        """

    /// Manifests the fast path reads, each exactly as the tree parser does.
    static let readable: [String] = [
        usual,
        usual.replacingOccurrences(of: "\n", with: "\r\n"),
        "plugins:\n",
        "plugins: ~\n",
        "plugins:\n  a:\n    source: file:///srv/up/a.git\n",
        "plugins:\n    a:\n          source: file:///srv/up/a.git\n          track: branch:main\n",
        "plugins:\n  a:\n    source: https://h/a.git\n    track: none\n    hold: off\n    restart: False\n    verify: none\n",
        "\n# comment\n\nplugins:   # the list\n  a:\n    # the source\n    source: https://h/a.git # trailing\n",
    ]

    /// Manifests the fast path leaves to the tree parser (valid or not).
    static let unusual: [String] = [
        usual.replacingOccurrences(of: "review:", with: "révision:"),
        usual.replacingOccurrences(of: "track: tag:latest", with: "track: main"),
        usual.replacingOccurrences(of: "track: tag:latest", with: "track: tag:latest\n    colour: blue"),
        usual.replacingOccurrences(of: "hold: true", with: "hold: maybe"),
        usual.replacingOccurrences(of: "hold: true", with: "hold: 'true'"),
        usual.replacingOccurrences(of: "min-age: 72h", with: "min-age: 3 days"),
        usual.replacingOccurrences(of: "verify: ssh", with: "verify: pgp"),
        usual.replacingOccurrences(of: "subpath: plugins/careful-mode/", with: "subpath: ../x"),
        usual.replacingOccurrences(of: "source: https://git.example.com/acme/review.git", with: "source: http://git.example.com/acme/review.git"),
        usual.replacingOccurrences(of: "source: https://git.example.com/acme/review.git", with: "source: 12"),
        usual.replacingOccurrences(of: "source: https://git.example.com/acme/review.git\n", with: ""),
        usual.replacingOccurrences(of: "  review:", with: "  Bad_Name!:"),
        usual.replacingOccurrences(of: "  review:", with: "  true:"),
        usual.replacingOccurrences(of: "  review:", with: "  careful-mode:"),
        usual + "\nextra: 1\n",
        usual.replacingOccurrences(of: "track: tag:latest", with: "track: 1.10"),
        usual.replacingOccurrences(of: "track: tag:latest", with: "track: yes"),
        usual.replacingOccurrences(of: "hold: true", with: "hold: 1"),
        usual.replacingOccurrences(of: "  review:", with: "  \"review\":"),
        usual.replacingOccurrences(of: "  review:", with: "  &r review:"),
        usual.replacingOccurrences(of: "    track: tag:latest\n", with: "    track: tag:latest\n    track: tag:latest\n"),
        "\u{FEFF}" + usual,
        "---\n" + usual,
        usual + "\n---\nplugins:\n",
        "plugins: [a]\n",
        "plugins: {}\n",
        "plugins:\n  a: {source: https://h/a.git}\n",
        "plugins:\n  a:\n",
        "plugins:\n  - a\n",
        "plugins:\n\ta:\n",
        "",
        "# nothing\n",
        "other: 1\n",
    ]

    @Test(arguments: readable)
    func fastManifestEqualsTheTreeParser(_ text: String) throws {
        let tree = try Manifest.parseTree(text, file: Self.file, policy: Self.policy)
        var bytes = text
        let fast = try #require(bytes.withUTF8 { Manifest.parsePlain(UnsafeRawBufferPointer($0), policy: Self.policy) })
        #expect(fast == tree)
        #expect(try Manifest.parse(text, file: Self.file, policy: Self.policy) == tree)
    }

    @Test(arguments: unusual)
    func unusualManifestsAreLeftToTheTreeParser(_ text: String) {
        var bytes = text
        #expect(bytes.withUTF8 { Manifest.parsePlain(UnsafeRawBufferPointer($0), policy: Self.policy) } == nil)
        let tree = Result { () throws(ValidationError) in try Manifest.parseTree(text, file: Self.file, policy: Self.policy) }
        let parsed = Result { () throws(ValidationError) in try Manifest.parse(text, file: Self.file, policy: Self.policy) }
        switch (parsed, tree) {
        case (.success(let manifest), .success(let expected)):
            #expect(manifest == expected)
        case (.failure(let error), .failure(let expected)):
            #expect(error.diagnostics == expected.diagnostics)
            #expect(error.diagnostics.allSatisfy { $0.file == Self.file && $0.line >= 1 && $0.column >= 1 })
        default:
            Issue.record("parse gave \(parsed), the tree parser \(tree)")
        }
    }
}
