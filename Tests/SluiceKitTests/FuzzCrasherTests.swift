import Foundation
import Testing
@testable import SluiceKit
import Yams
import SluiceTestSupport

/// Inputs the libFuzzer targets (Fuzz/, `scripts/fuzz/run`) found, kept in Fuzz/Crashers/<parser>/
/// and replayed here so that a fixed finding stays fixed.
@Suite struct FuzzCrasherTests {
    /// The committed inputs of one parser's findings, by file name.
    static func crashers(_ parser: String) throws -> [(name: String, data: Data)] {
        let folder = SourceLayoutTests.package + "/Fuzz/Crashers/" + parser
        return try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map { name in
            (name, try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
        }
    }

    /// FuzzStamp: the first fast stamp reader accepted texts that the YAML decoder reads
    /// differently or not at all (a form feed, a trailing tab or blanks, `NULL`, a key given
    /// twice); the fast path must leave each to the decoder or read it exactly as the decoder does.
    @Test func theFastStampReaderDeclinesWhatYAMLReadsDifferently() throws {
        let inputs = try Self.crashers("stamp")
        #expect(inputs.count >= 5)
        for input in inputs {
            guard let fast = Stamp.fastParse(input.data) else { continue }
            #expect(fast == (try? YAMLDecoder().decode(Stamp.self, from: input.data)), "\(input.name)")
        }
    }

    /// The stamp Sluice writes still takes the fast path.
    @Test func theFastStampReaderStillReadsWhatSluiceWrites() throws {
        let stamp = Stamp(plugin: "p", source: "https://git.example.com/p.git", subpath: "a b", track: "tag:^1.0", ref: "v1.0.0",
                          sha: String(repeating: "a", count: 40), digest: "sha256:" + String(repeating: "0", count: 64),
                          installed: "2026-01-01T00:00:00Z")
        #expect(Stamp.fastParse(Data(try stamp.encoded().utf8)) == stamp)
    }
}
