import Crypto
import Foundation

/// One of N disjoint, stable shares of the workspaces: `--shard K/N`.
///
/// A workspace belongs to shard `K` when the first 8 bytes of SHA-256 of its path relative to
/// the root, read as a big-endian integer, are `K - 1` modulo `N`. The hash of the path, not
/// the list position, decides, so adding a workspace never moves the others.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    /// This shard's number, 1-based.
    public let index: Int
    /// How many shards there are.
    public let count: Int

    /// Parses `K/N` with `1 <= K <= N`.
    public init(parsing text: String) throws(SluiceError) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (1...count).contains(index) else {
            throw SluiceError.usage("--shard '\(text)' is not K/N with 1 <= K <= N (for example --shard 2/4)")
        }
        self.index = index
        self.count = count
    }

    /// Whether the workspace at `path` (relative to the root) is in this shard.
    public func contains(_ path: String) -> Bool {
        let digest = Array(SHA256.hash(data: Data(path.utf8)))
        let value = digest.prefix(8).reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
        return Int(value % UInt64(count)) == index - 1
    }

    /// `K/N`.
    public var description: String { "\(index)/\(count)" }
}
