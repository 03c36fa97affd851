/// Where the wall-clock time of one pass went, in seconds, so that a slow pass names its phase.
///
/// Phases that run one after the other are timed as they run. Workspaces are read manifest and
/// stamps together; that span is split between ``readManifests`` and ``readStamps`` in
/// proportion to the time spent on each (a workspace found unchanged by `stat` counts as
/// reading its manifest). `other` is what no phase covers (creating the queue folders, grouping
/// the queue by workspace, notifications), so the phases add up to the pass. The sweep of
/// temporaries in `pending/` is part of ``readQueue``: it uses that read's listing.
public struct PassPhases: Sendable, Codable, Hashable {
    /// Finding the workspaces under the root.
    public var discover: Double = 0
    /// Reading and parsing `plugins.yaml` files.
    public var readManifests: Double = 0
    /// Reading the plugin folders and their stamps.
    public var readStamps: Double = 0
    /// Listing the queue folders (sweeping `pending/` of temporaries from its listing) and reading their records.
    public var readQueue: Double = 0
    /// Listing sources upstream (what is left of it after the queue read, which it overlaps),
    /// resolving every subscription and vetting targets.
    public var resolve: Double = 0
    /// Planning every workspace (or reusing an unchanged plan).
    public var plan: Double = 0
    /// Writing and removing pending files, and recording soaking targets.
    public var write: Double = 0
    /// Everything else.
    public var other: Double = 0

    /// Creates an empty breakdown.
    public init() {}

    /// The phases by name, in pass order.
    public var named: [(name: String, seconds: Double)] {
        [("discover", discover), ("read manifests", readManifests), ("read stamps", readStamps), ("read queue", readQueue),
         ("resolve", resolve), ("plan", plan), ("write", write), ("other", other)]
    }
}
