/// Why a notification could not be sent; logged, never thrown out of a pass or an apply.
struct NotifyError: Error, Sendable, CustomStringConvertible {
    /// What went wrong and what to do.
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
