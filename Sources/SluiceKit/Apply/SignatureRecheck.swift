/// Apply's second look at a signed target: the object the pending file names must still carry
/// a good signature by a trusted key, by the same key reconcile saw, and (for a tag) still
/// point at `to.sha`. An approved file edited to name another commit, or a key removed from the
/// trusted keys since, fails the update.
struct SignatureRecheck: Sendable {
    /// Reads and verifies objects from the root's caches.
    let inspector: ReleaseInspector

    /// Checks `record` before its target is installed; throws why it may not be.
    ///
    /// - Parameter policy: The subscription's release policy now (from the manifest at apply time).
    func check(_ record: UpdateRecord, target: RefPoint, policy: ReleasePolicy) async throws(ReleaseProblem) {
        guard let signature = record.signature else {
            guard policy.verify == .none else {
                throw ReleaseProblem("the subscription requires verify: \(policy.verify.rawValue), but this update carries no signature; run 'sluice reconcile' to queue a verified one")
            }
            return
        }
        guard let kind = Git.ObjectKind(rawValue: signature.object) else {
            throw ReleaseProblem("signature.object '\(signature.object)' is neither tag nor commit")
        }
        if kind == .commit, signature.id != target.sha {
            throw ReleaseProblem("the signed commit \(RefPoint.shortSHA(signature.id)) is not to.sha \(target.shortSHA)")
        }
        switch await inspector.verify(signature.id, kind: kind, source: record.source, mode: signature.method, pointingAt: kind == .tag ? target.sha : nil) {
        case .failure(let problem):
            throw ReleaseProblem("signature check failed again at apply: \(problem)")
        case .success(let now):
            guard now.key == signature.key else {
                throw ReleaseProblem("signed by key \(now.key) now, but the update was queued for key \(signature.key)")
            }
        }
    }
}
