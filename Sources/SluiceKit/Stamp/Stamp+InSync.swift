extension Stamp {
    /// Whether the folder this stamp describes already holds a target: the one "in sync" rule.
    ///
    /// The planner queues nothing, `status` says `in-sync` and apply takes a claim as already
    /// installed exactly when this holds. Track and ref are left out on purpose: a new track or
    /// a moved tag that resolves to the installed commit changes nothing in `plugins/`.
    ///
    /// - Parameters:
    ///   - sha: The target's full commit SHA.
    ///   - source: The subscription's git URL.
    ///   - subpath: The subscription's folder inside the repository, if any.
    public func isInSync(sha: String, source: String, subpath: String?) -> Bool {
        self.sha == sha && self.source == source && self.subpath == subpath
    }
}
