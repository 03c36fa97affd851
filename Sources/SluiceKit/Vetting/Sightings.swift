import Crypto
import Foundation
import Synchronization

/// When Sluice first saw each candidate ref at each commit, per source, kept in the state
/// folder (`<state>/sightings/<hash>.json`) so that a soak survives restarts.
///
/// A target's age counts from the later of its own date and its first sighting: a backdated
/// tag still soaks from the moment it appeared, and a tag moved to another commit is a new
/// sighting that starts again. The date read from the tag or commit is kept beside the
/// sighting, so that each (source, commit) is fetched and read once.
public final class Sightings: Sendable {
    /// One ref as first seen.
    public struct Entry: Codable, Sendable, Hashable {
        /// The commit (or tag object) the ref pointed at.
        public var sha: String
        /// When Sluice first saw the ref there, ISO 8601.
        public var firstSeen: String
        /// The tagger date of the annotated tag, else the committer date, ISO 8601, once read.
        public var date: String?

        enum CodingKeys: String, CodingKey {
            case sha
            case firstSeen = "first-seen"
            case date
        }
    }

    /// One source's file.
    struct File: Codable, Sendable {
        var format = 1
        var source: String
        var refs: [String: Entry]
    }

    private let folder: String
    private let state = Mutex<(files: [String: File], changed: Set<String>)>(([:], []))

    /// Creates the store of the state folder `state`.
    public init(state: String) {
        self.folder = state + "/sightings"
    }

    /// When `ref` was first seen at `sha` in `source`: the recorded time, or `now` (recorded when
    /// `record` is true; `status` only reads).
    public func firstSeen(source: String, ref: String, sha: String, now: Date, record: Bool) -> Date {
        state.withLock { state in
            var file = Self.load(state.files[source], folder: folder, source: source)
            defer { state.files[source] = file }
            if let entry = file.refs[ref], entry.sha == sha, let date = Self.date(entry.firstSeen) { return date }
            if record {
                file.refs[ref] = Entry(sha: sha, firstSeen: Timestamp.string(now))
                state.changed.insert(source)
            }
            return now
        }
    }

    /// The date read from `ref`'s object at `sha`, if it was read before.
    public func date(source: String, ref: String, sha: String) -> Date? {
        state.withLock { state in
            let file = Self.load(state.files[source], folder: folder, source: source)
            state.files[source] = file
            guard let entry = file.refs[ref], entry.sha == sha else { return nil }
            return entry.date.flatMap(Self.date)
        }
    }

    /// Keeps the date read from `ref`'s object at `sha` (only beside a recorded sighting).
    public func remember(date: Date, source: String, ref: String, sha: String) {
        state.withLock { state in
            var file = Self.load(state.files[source], folder: folder, source: source)
            if var entry = file.refs[ref], entry.sha == sha, entry.date == nil {
                entry.date = Timestamp.string(date)
                file.refs[ref] = entry
                state.changed.insert(source)
            }
            state.files[source] = file
        }
    }

    /// Writes every changed source's file atomically.
    public func save() throws {
        let pending: [File] = state.withLock { state in
            defer { state.changed = [] }
            return state.changed.compactMap { state.files[$0] }
        }
        guard !pending.isEmpty else { return }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        for file in pending {
            try AtomicFile.write(try encoder.encode(file), to: Self.path(folder: folder, source: file.source))
        }
    }

    /// The file of `source`: named by a hash, so that no URL text reaches a path.
    static func path(folder: String, source: String) -> String {
        folder + "/" + SHA256.hash(data: Data(source.utf8)).prefix(12).map { String(format: "%02x", $0) }.joined() + ".json"
    }

    private static func load(_ known: File?, folder: String, source: String) -> File {
        if let known { return known }
        // A file that cannot be read is started again: the soak then counts from now, which errs
        // on the side of waiting longer.
        guard let data = FileManager.default.contents(atPath: path(folder: folder, source: source)),
              let file = try? JSONDecoder().decode(File.self, from: data), file.source == source else {
            return File(source: source, refs: [:])
        }
        return file
    }

    private static func date(_ text: String) -> Date? {
        try? Date(text, strategy: .iso8601)
    }
}
