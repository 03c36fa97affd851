import Foundation

/// Where a subscription's target stands against its release policy: who signed it, and what
/// is still soaking. `status` shows it; the planner writes the signature into the pending file.
public struct Vetting: Sendable, Hashable {
    /// Who signed the target, when `verify` is on and it verified.
    public var signature: SignatureRecord?
    /// The newest candidate still soaking (also when an older one was taken meanwhile).
    public var soaking: RefPoint?
    /// When ``soaking`` becomes eligible.
    public var eligibleAt: Date?

    /// Nothing to report.
    public init(signature: SignatureRecord? = nil, soaking: RefPoint? = nil, eligibleAt: Date? = nil) {
        self.signature = signature
        self.soaking = soaking
        self.eligibleAt = eligibleAt
    }
}
