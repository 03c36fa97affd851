/// A record read from a queue folder, with the file it came from.
public struct QueueEntry: Sendable, Hashable {
    /// The file name inside its folder.
    public var fileName: String
    /// The parsed record.
    public var record: UpdateRecord

    /// Creates an entry.
    public init(fileName: String, record: UpdateRecord) {
        self.fileName = fileName
        self.record = record
    }
}
