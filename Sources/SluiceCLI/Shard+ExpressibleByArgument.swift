import ArgumentParser
import SluiceKit

/// `--shard K/N` parsed by ArgumentParser, so a malformed value is a usage error (exit 64)
/// before a command runs, in every command that takes it.
extension Shard: ExpressibleByArgument {
    /// Parses `K/N` with `1 <= K <= N`; nil otherwise.
    public init?(argument: String) {
        guard let shard = try? Shard(parsing: argument) else { return nil }
        self = shard
    }
}
