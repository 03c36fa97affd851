import Foundation

/// What `RootSync` remembers between runs, in `<state>/gitops.json`: the last remote commit it
/// followed, and why it stopped following, if it did.
struct GitOpsState: Codable, Sendable, Hashable {
    /// The remote branch's commit Sluice last fetched or pushed.
    var followed: String?
    /// Why following stopped (a rewritten remote branch); nothing is pulled or pushed while set.
    var stopped: String?

    static func path(layout: RootLayout) -> String { layout.state + "/gitops.json" }

    static func read(layout: RootLayout) -> GitOpsState {
        guard let data = FileManager.default.contents(atPath: path(layout: layout)),
              let state = try? JSONDecoder().decode(GitOpsState.self, from: data) else { return GitOpsState() }
        return state
    }

    func write(layout: RootLayout) throws {
        try FileManager.default.createDirectory(atPath: layout.state, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try AtomicFile.write(try encoder.encode(self), to: Self.path(layout: layout))
    }
}
