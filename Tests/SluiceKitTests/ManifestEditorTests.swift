import Testing
@testable import SluiceKit
import SluiceTestSupport

/// Adding a subscription by editing text keeps everything else as written.
@Suite struct ManifestEditorTests {
    static let entry = PluginEntry(name: "careful-mode", source: "https://git.example.com/acme/careful.git", track: .latest)

    @Test func appendsToTheBlockKeepingCommentsAndLaterKeys() throws {
        let text = """
        # team-a's plugins; reviewed in git
        plugins:
            # the review plugin follows releases
            five-axis-review:
                source: https://git.example.com/acme/review.git   # upstream
                track: tag:latest

        # trailing comment stays
        """
        let edited = try ManifestEditor.adding(Self.entry, to: text + "\n", file: "ws/plugins.yaml")
        #expect(edited.hasPrefix("# team-a's plugins; reviewed in git\nplugins:\n    # the review plugin follows releases\n"))
        #expect(edited.contains("source: https://git.example.com/acme/review.git   # upstream\n"))
        #expect(edited.contains("        track: tag:latest\n    careful-mode:\n        source: \"https://git.example.com/acme/careful.git\"\n        track: \"tag:latest\"\n"))
        #expect(edited.hasSuffix("\n# trailing comment stays\n"))
        let manifest = try Manifest.parse(edited, file: "ws/plugins.yaml", policy: .standard)
        #expect(manifest.plugins.map(\.name) == ["five-axis-review", "careful-mode"])
        #expect(manifest.entry(named: "careful-mode")?.track == .latest)
    }

    @Test(arguments: ["", "# only a comment\n", "plugins:\n", "plugins: {}\n"])
    func createsTheBlockWhenThereIsNone(text: String) throws {
        let edited = try ManifestEditor.adding(Self.entry, to: text, file: "plugins.yaml")
        let manifest = try Manifest.parse(edited, file: "plugins.yaml", policy: .standard)
        #expect(manifest.plugins.map(\.name) == ["careful-mode"])
        if text.hasPrefix("#") { #expect(edited.hasPrefix("# only a comment\n")) }
    }

    @Test func refusesAnExistingEntryAndFlowStyle() {
        #expect(throws: SluiceError.self) {
            try ManifestEditor.adding(Self.entry, to: "plugins:\n  careful-mode:\n    source: https://x.example/a.git\n", file: "plugins.yaml")
        }
        #expect(throws: SluiceError.self) {
            try ManifestEditor.adding(Self.entry, to: "plugins: {a: {source: https://x.example/a.git}}\n", file: "plugins.yaml")
        }
    }

    @Test func quotesValuesThatYAMLWouldMisread() throws {
        let tricky = PluginEntry(name: "x", source: "https://git.example.com/a#b.git", subpath: "p #q", track: .range(try VersionRange(">=1.2.0 <2.0.0")))
        let edited = try ManifestEditor.adding(tricky, to: "plugins:\n", file: "plugins.yaml")
        let parsed = try #require(try Manifest.parse(edited, file: "plugins.yaml", policy: .standard).entry(named: "x"))
        #expect(parsed.source == "https://git.example.com/a#b.git")
        #expect(parsed.track.description == "tag:>=1.2.0 <2.0.0")
    }
}
