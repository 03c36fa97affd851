import Testing
@testable import SluiceKit
import SluiceTestSupport

/// The hot-reload classifier as a pure function.
@Suite struct ClassifierTests {
    static func entry(_ digest: String, kind: Character = "f") -> TreeDigest.Entry {
        TreeDigest.Entry(kind: kind, digest: digest, size: 1)
    }

    static let base: [String: TreeDigest.Entry] = [
        "plugin.yaml": entry("p1"), "skills/review/SKILL.md": entry("s1"), "SKILL.md": entry("t1"), "hooks/pre.sh": entry("h1", kind: "x"),
    ]
    static let patterns = SluiceConfig.standard.hotPatterns

    @Test func skillOnlyChangeIsHot() {
        var new = Self.base
        new["skills/review/SKILL.md"] = Self.entry("s2")
        new["SKILL.md"] = Self.entry("t2")
        let result = Classifier.classify(old: Self.base, new: new, hotPatterns: Self.patterns, forceRestart: false)
        #expect(result.verdict == .hot)
        #expect(result.changes.modified == ["SKILL.md", "skills/review/SKILL.md"])
        #expect(result.changes.added.isEmpty && result.changes.removed.isEmpty)
    }

    @Test(arguments: ["plugin.yaml", "hooks/pre.sh"])
    func otherFileChangeIsRestart(path: String) {
        var new = Self.base
        new[path] = Self.entry("changed")
        let result = Classifier.classify(old: Self.base, new: new, hotPatterns: Self.patterns, forceRestart: false)
        #expect(result.verdict == .restart)
        #expect(result.why.contains(path))
    }

    @Test func modeChangeIsRestart() {
        var new = Self.base
        new["SKILL.md"] = Self.entry("t1", kind: "x")
        #expect(Classifier.classify(old: Self.base, new: new, hotPatterns: Self.patterns, forceRestart: false).verdict == .restart)
    }

    @Test func addedOrRemovedFilesAreRestart() {
        var added = Self.base
        added["skills/new/SKILL.md"] = Self.entry("n")
        let grown = Classifier.classify(old: Self.base, new: added, hotPatterns: Self.patterns, forceRestart: false)
        #expect(grown.verdict == .restart)
        #expect(grown.changes.added == ["skills/new/SKILL.md"])
        var removed = Self.base
        removed["SKILL.md"] = nil
        let shrunk = Classifier.classify(old: Self.base, new: removed, hotPatterns: Self.patterns, forceRestart: false)
        #expect(shrunk.verdict == .restart)
        #expect(shrunk.changes.removed == ["SKILL.md"])
    }

    @Test func firstInstallRemovalAndUnreadableTreeAreRestart() {
        #expect(Classifier.classify(old: nil, new: Self.base, hotPatterns: Self.patterns, forceRestart: false).verdict == .restart)
        #expect(Classifier.classify(old: Self.base, new: nil, hotPatterns: Self.patterns, forceRestart: false).verdict == .restart)
    }

    @Test func operatorForcedRestartWinsOverSkillOnlyChange() {
        var new = Self.base
        new["SKILL.md"] = Self.entry("t2")
        let result = Classifier.classify(old: Self.base, new: new, hotPatterns: Self.patterns, forceRestart: true)
        #expect(result.verdict == .restart)
        #expect(result.why.contains("restart: true"))
    }

    @Test func operatorPatternsWidenAndNarrowHot() {
        var new = Self.base
        new["hooks/pre.sh"] = Self.entry("h2", kind: "x")
        #expect(Classifier.classify(old: Self.base, new: new, hotPatterns: ["hooks/*"], forceRestart: false).verdict == .hot)
        var skill = Self.base
        skill["SKILL.md"] = Self.entry("t2")
        #expect(Classifier.classify(old: Self.base, new: skill, hotPatterns: [], forceRestart: false).verdict == .restart)
    }
}
