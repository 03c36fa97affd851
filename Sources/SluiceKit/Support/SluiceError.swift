/// Errors about the root as a whole, which stop a command before it does anything.
public enum SluiceError: Error, Sendable, CustomStringConvertible {
    /// The root folder does not exist.
    case rootMissing(String)
    /// Something the operator asked for does not exist or cannot be done.
    case usage(String)
    /// The queue folders cannot be created or written.
    case queueUnusable(String, String)
    /// A folder Sluice writes into is a symbolic link (or not a folder) below the root.
    case unconfined(String)

    /// What happened and what to do next.
    public var description: String {
        switch self {
        case .rootMissing(let path):
            return "the root '\(path)' does not exist or is not a folder; pass --root with the folder that holds your workspaces"
        case .usage(let message):
            return message
        case .queueUnusable(let path, let reason):
            return "the queue folder '\(path)' cannot be used (\(reason)); check that it is a writable folder, or set queue: in sluice.yaml"
        case .unconfined(let reason):
            return reason
        }
    }
}
