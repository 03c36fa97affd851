import Synchronization

/// Keeps one copy of each long string that many files repeat, so that the values read from
/// thousands of manifests and stamps share their storage.
///
/// Ten thousand workspaces on the same release hold the same source URL, commit, digest and
/// install time ten thousand times over; each copy is a separate heap allocation once it is
/// longer than 15 bytes (shorter strings are stored inline and never allocate). Interning them
/// is what keeps a pass over 100,000 subscriptions within its memory budget (spec/lifecycle.md,
/// "Memory"). Interning never changes a value, only where its bytes live.
///
/// The table is bounded: when it holds ``capacity`` strings it starts again empty, so that a
/// long-running `serve` that sees new commits every day does not grow without end. Strings
/// already handed out stay valid (they are reference counted); later reads simply share a new copy.
public final class StringInterner: Sendable {
    /// How many distinct strings the table holds before it starts again.
    public let capacity: Int
    private let table = Mutex<Set<String>>([])

    /// Creates an empty table holding at most `capacity` strings.
    public init(capacity: Int = 65_536) {
        self.capacity = max(1, capacity)
    }

    /// The shared copy of `string`: the first one seen equal to it, or `string` itself.
    public func intern(_ string: String) -> String {
        // Small strings live inline in the `String` value: sharing them saves nothing.
        guard string.utf8.count > 15 else { return string }
        return table.withLock { table in
            if let known = table.firstIndex(of: string) { return table[known] }
            if table.count >= capacity { table.removeAll(keepingCapacity: true) }
            table.insert(string)
            return string
        }
    }

    /// `string` shared, or nil.
    public func intern(_ string: String?) -> String? {
        string.map { intern($0) }
    }

    /// How many strings the table holds now.
    public var count: Int { table.withLock { $0.count } }
}
