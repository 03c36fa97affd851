extension StatusReport {
    /// How many subscriptions of `snapshot` are in each state: the states of ``init(snapshot:)``,
    /// counted one workspace at a time, so that a count over 100,000 subscriptions (`serve`'s
    /// `sluice_subscriptions` gauge, after every full pass) never holds all the rows at once.
    public static func stateCounts(snapshot: Snapshot) -> [State: Int] {
        let queued = Queued(snapshot)
        var counts: [State: Int] = [:]
        for workspace in snapshot.workspaces {
            for plugin in Self.workspace(workspace, snapshot: snapshot, queued: queued).plugins { counts[plugin.state, default: 0] += 1 }
        }
        return counts
    }
}
