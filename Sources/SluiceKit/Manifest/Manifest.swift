/// A workspace's `plugins.yaml`: the subscriptions it declares.
public struct Manifest: Sendable, Hashable {
    /// The file name inside a workspace.
    public static let fileName = "plugins.yaml"

    /// The subscriptions, in file order.
    public var plugins: [PluginEntry]

    /// Creates a manifest.
    public init(plugins: [PluginEntry]) {
        self.plugins = plugins
    }

    /// The entry for `name`, if the manifest declares it.
    public func entry(named name: String) -> PluginEntry? {
        plugins.first { $0.name == name }
    }
}

/// One subscription in `plugins.yaml`.
public struct PluginEntry: Sendable, Hashable {
    /// The plugin's folder name under `plugins/`.
    public var name: String
    /// The git URL.
    public var source: String
    /// A folder inside the repository that holds the plugin, or nil for the whole tree.
    public var subpath: String?
    /// What is followed upstream.
    public var track: Track
    /// While true the subscription stays but nothing is queued or applied.
    public var hold: Bool
    /// When true every change to this plugin is classified restart, never hot.
    public var restart: Bool
    /// Seconds a target must have existed before it is queued (`min-age`), or nil for the root's default.
    public var minAge: Int?
    /// The signature a target must carry (`verify`), or nil for the root's default.
    public var verify: VerifyMode?
    /// The line of the entry in the manifest, for messages.
    public var line: Int

    /// Creates an entry.
    public init(name: String, source: String, subpath: String? = nil, track: Track, hold: Bool = false, restart: Bool = false, minAge: Int? = nil, verify: VerifyMode? = nil, line: Int = 0) {
        self.name = name
        self.source = source
        self.subpath = subpath
        self.track = track
        self.hold = hold
        self.restart = restart
        self.minAge = minAge
        self.verify = verify
        self.line = line
    }

    /// What a pending file's basis records of the entry; equal bases mean an unchanged subscription.
    public var basis: ManifestBasis {
        ManifestBasis(source: source, subpath: subpath, track: track.description)
    }
}

/// The part of a manifest entry that an approval depends on.
public struct ManifestBasis: Sendable, Hashable, Codable {
    /// The git URL.
    public var source: String
    /// The subpath inside the repository, if any.
    public var subpath: String?
    /// The track, in canonical text.
    public var track: String

    /// Creates a basis.
    public init(source: String, subpath: String?, track: String) {
        self.source = source
        self.subpath = subpath
        self.track = track
    }
}
