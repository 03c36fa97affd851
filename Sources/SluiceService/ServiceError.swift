import SluiceKit

/// Errors of `sluice serve`: its options, its secrets and its listener.
public enum ServiceError: Error, Sendable, CustomStringConvertible {
    /// `--listen` is not `host:port`.
    case invalidListen(String)
    /// A secret file cannot be read.
    case secretUnreadable(path: String, reason: String)
    /// A secret file or variable holds nothing.
    case secretEmpty(String)
    /// The HTTP listener could not start.
    case listenerFailed(address: String, reason: String)
    /// A webhook body that cannot be read.
    case invalidPayload(String)
    /// An apply was requested after the service began to stop.
    case shuttingDown

    /// What happened and what to do next.
    public var description: String {
        switch self {
        case .invalidListen(let value):
            return "--listen '\(value)' is not host:port (for example 127.0.0.1:8735, [::1]:8735, or 127.0.0.1:0 for a free port)"
        case .secretUnreadable(let path, let reason):
            return "cannot read the secret file '\(path)' (\(reason)); check the path and that the service user may read it"
        case .secretEmpty(let origin):
            return "\(origin) is empty; put the secret in it, or leave it unset to turn the endpoints it guards off"
        case .listenerFailed(let address, let reason):
            return "cannot listen on \(address) (\(reason)); pick a free port with --listen, or stop what holds it"
        case .invalidPayload(let reason):
            return "the webhook payload cannot be read: \(reason); send the forge's JSON (content type application/json)"
        case .shuttingDown:
            return "the service is stopping and takes no more applies; send the request again once it runs"
        }
    }

    /// Whether the error is in the configuration (exit 2) rather than at run time (exit 1).
    public var isConfiguration: Bool {
        switch self {
        case .invalidListen, .secretUnreadable, .secretEmpty: return true
        case .listenerFailed, .invalidPayload, .shuttingDown: return false
        }
    }
}
