import Foundation

/// One update: the YAML file that moves from `pending/` through `approved/` to `applied/` or `failed/`.
///
/// The same record travels through every folder; apply adds an ``Outcome``. The *basis* is what
/// the installed stamp and the manifest entry were when the update was detected; apply refuses
/// the update when either has changed since, as a saved plan is refused against a changed state.
public struct UpdateRecord: Codable, Sendable, Hashable {
    /// The record's values, in one immutable shared box: a record is copied into caches, queue
    /// entries, plans and reports, and a copy now costs one reference instead of some 700 bytes
    /// of fields and a retain per string (spec/lifecycle.md, "Memory"). A change replaces the
    /// box, so that every other copy keeps its values.
    private var box: Box

    private final class Box: Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    /// The format version of this file.
    public var format: Int {
        get { box.fields.format }
        set { var fields = box.fields; fields.format = newValue; box = Box(fields) }
    }

    /// Stable identifier: workspace, plugin and target (see ``UpdateRecord/makeID``).
    public var id: String {
        get { box.fields.id }
        set { var fields = box.fields; fields.id = newValue; box = Box(fields) }
    }

    /// The workspace's path relative to the root.
    public var workspace: String {
        get { box.fields.workspace }
        set { var fields = box.fields; fields.workspace = newValue; box = Box(fields) }
    }

    /// The plugin's name.
    public var plugin: String {
        get { box.fields.plugin }
        set { var fields = box.fields; fields.plugin = newValue; box = Box(fields) }
    }

    /// What kind of change this is.
    public var kind: UpdateKind {
        get { box.fields.kind }
        set { var fields = box.fields; fields.kind = newValue; box = Box(fields) }
    }

    /// The git URL (after the change, for a `change`).
    public var source: String {
        get { box.fields.source }
        set { var fields = box.fields; fields.source = newValue; box = Box(fields) }
    }

    /// The folder inside the repository, if any.
    public var subpath: String? {
        get { box.fields.subpath }
        set { var fields = box.fields; fields.subpath = newValue; box = Box(fields) }
    }

    /// The subscription's track, canonical text.
    public var track: String {
        get { box.fields.track }
        set { var fields = box.fields; fields.track = newValue; box = Box(fields) }
    }

    /// What is installed now; nil when nothing is.
    public var from: RefPoint? {
        get { box.fields.from }
        set { var fields = box.fields; fields.from = newValue; box = Box(fields) }
    }

    /// What would be installed; nil for a removal.
    public var to: RefPoint? {
        get { box.fields.to }
        set { var fields = box.fields; fields.to = newValue; box = Box(fields) }
    }

    /// A warning the operator should read before approving (retag, downgrade, unstamped folder).
    public var warning: String? {
        get { box.fields.warning }
        set { var fields = box.fields; fields.warning = newValue; box = Box(fields) }
    }

    /// When the drift was first detected, ISO 8601 in UTC.
    public var detected: String {
        get { box.fields.detected }
        set { var fields = box.fields; fields.detected = newValue; box = Box(fields) }
    }

    /// The state this update was computed against.
    public var basis: Basis {
        get { box.fields.basis }
        set { var fields = box.fields; fields.basis = newValue; box = Box(fields) }
    }

    /// Who signed the target, when the subscription's `verify` asked for a signature; apply
    /// checks it again before installing.
    public var signature: SignatureRecord? {
        get { box.fields.signature }
        set { var fields = box.fields; fields.signature = newValue; box = Box(fields) }
    }

    /// Who approved it: written by `sluice approve` (the local user), and by apply into the
    /// outcome's record (from the git history on a git root).
    public var approvedBy: ApprovedBy? {
        get { box.fields.approvedBy }
        set { var fields = box.fields; fields.approvedBy = newValue; box = Box(fields) }
    }

    /// Set by apply when it claims the file: one attempt's token, so that its outcome is told
    /// apart from an earlier approval of the same update.
    public var attempt: String? {
        get { box.fields.attempt }
        set { var fields = box.fields; fields.attempt = newValue; box = Box(fields) }
    }

    /// Set when the update has been applied or has failed.
    public var outcome: Outcome? {
        get { box.fields.outcome }
        set { var fields = box.fields; fields.outcome = newValue; box = Box(fields) }
    }

    /// Creates a record.
    public init(id: String, workspace: String, plugin: String, kind: UpdateKind, source: String, subpath: String?, track: String, from: RefPoint?, to: RefPoint?, warning: String?, detected: String, basis: Basis) {
        box = Box(Fields(id: id, workspace: workspace, plugin: plugin, kind: kind, source: source, subpath: subpath, track: track,
                         from: from, to: to, warning: warning, detected: detected, basis: basis))
    }

    /// Creates a record with the values that are set later in its life (a signature by the
    /// planner, an approval, attempt and outcome by apply) in one box, where setting them one
    /// by one would copy it for each.
    init(id: String, workspace: String, plugin: String, kind: UpdateKind, source: String, subpath: String?, track: String, from: RefPoint?, to: RefPoint?, warning: String?, detected: String, basis: Basis,
         signature: SignatureRecord? = nil, approvedBy: ApprovedBy? = nil, attempt: String? = nil, outcome: Outcome? = nil) {
        box = Box(Fields(id: id, workspace: workspace, plugin: plugin, kind: kind, source: source, subpath: subpath, track: track,
                         from: from, to: to, warning: warning, detected: detected, basis: basis,
                         signature: signature, approvedBy: approvedBy, attempt: attempt, outcome: outcome))
    }

    /// Decodes a record (the keys of ``Fields``).
    public init(from decoder: any Decoder) throws {
        box = Box(try Fields(from: decoder))
    }

    /// Encodes in a fixed key order with `from` and `to` always present (null when absent).
    public func encode(to encoder: any Encoder) throws {
        try box.fields.encode(to: encoder)
    }

    public static func == (left: UpdateRecord, right: UpdateRecord) -> Bool {
        left.box === right.box || left.box.fields == right.box.fields
    }

    public func hash(into hasher: inout Hasher) {
        box.fields.hash(into: &hasher)
    }

    /// The stored values of a record, and its YAML keys.
    struct Fields: Codable, Sendable, Hashable {
        var format: Int = 1
        var id: String
        var workspace: String
        var plugin: String
        var kind: UpdateKind
        var source: String
        var subpath: String?
        var track: String
        var from: RefPoint?
        var to: RefPoint?
        var warning: String?
        var detected: String
        var basis: Basis
        var signature: SignatureRecord?
        var approvedBy: ApprovedBy?
        var attempt: String?
        var outcome: Outcome?

        init(id: String, workspace: String, plugin: String, kind: UpdateKind, source: String, subpath: String?, track: String, from: RefPoint?, to: RefPoint?, warning: String?, detected: String, basis: Basis,
             signature: SignatureRecord? = nil, approvedBy: ApprovedBy? = nil, attempt: String? = nil, outcome: Outcome? = nil) {
            self.signature = signature
            self.approvedBy = approvedBy
            self.attempt = attempt
            self.outcome = outcome
            self.id = id
            self.workspace = workspace
            self.plugin = plugin
            self.kind = kind
            self.source = source
            self.subpath = subpath
            self.track = track
            self.from = from
            self.to = to
            self.warning = warning
            self.detected = detected
            self.basis = basis
        }

        enum CodingKeys: String, CodingKey {
            case format, id, workspace, plugin, kind, source, subpath, track, from, to, warning, detected, basis, signature
            case approvedBy = "approved-by"
            case attempt, outcome
        }

        /// Encodes in a fixed key order with `from` and `to` always present (null when absent).
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(format, forKey: .format)
            try container.encode(id, forKey: .id)
            try container.encode(workspace, forKey: .workspace)
            try container.encode(plugin, forKey: .plugin)
            try container.encode(kind, forKey: .kind)
            try container.encode(source, forKey: .source)
            try container.encodeIfPresent(subpath, forKey: .subpath)
            try container.encode(track, forKey: .track)
            try container.encode(from, forKey: .from)
            try container.encode(to, forKey: .to)
            try container.encodeIfPresent(warning, forKey: .warning)
            try container.encode(detected, forKey: .detected)
            try container.encode(basis, forKey: .basis)
            try container.encodeIfPresent(signature, forKey: .signature)
            try container.encodeIfPresent(approvedBy, forKey: .approvedBy)
            try container.encodeIfPresent(attempt, forKey: .attempt)
            try container.encodeIfPresent(outcome, forKey: .outcome)
        }
    }

    /// Whether `other` has the same values but maybe another detection time: the same drift.
    /// Compares in place: a copy of either record would allocate a box.
    func isSameDrift(as other: UpdateRecord) -> Bool {
        if box === other.box { return true }
        let mine = box.fields
        if mine.detected == other.box.fields.detected { return mine == other.box.fields }
        var theirs = other.box.fields
        theirs.detected = mine.detected
        return mine == theirs
    }

    /// The identifier of an update: `<workspace>+<plugin>+<first 12 of the target SHA | remove>`.
    ///
    /// Workspace paths are escaped so that the id is one safe file name and never collides:
    /// `/` becomes `~`, any byte outside `A-Z a-z 0-9 . _ -` becomes `%XX`, and a leading `.`
    /// (the root workspace) becomes `%2E`. Plugin names
    /// cannot contain `+`, `~` or `%`, so the three parts stay apart.
    public static func makeID(workspace: String, plugin: String, targetSHA: String?) -> String {
        let target = targetSHA.map { String($0.prefix(12)) } ?? "remove"
        let hex = Array("0123456789ABCDEF".utf8)
        // Written byte by byte into one string (a pass makes one id per subscription).
        let capacity = workspace.utf8.count * 3 + plugin.utf8.count + target.utf8.count + 2
        return String(unsafeUninitializedCapacity: capacity) { buffer in
            var count = 0
            func append(_ byte: UInt8) {
                buffer[count] = byte
                count += 1
            }
            for (index, byte) in workspace.utf8.enumerated() {
                switch byte {
                case UInt8(ascii: "/"): append(UInt8(ascii: "~"))
                // A leading dot would hide the file from every scanner (the root workspace is ".").
                case UInt8(ascii: ".") where index == 0:
                    append(UInt8(ascii: "%")); append(UInt8(ascii: "2")); append(UInt8(ascii: "E"))
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                     UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                    append(byte)
                default:
                    append(UInt8(ascii: "%")); append(hex[Int(byte >> 4)]); append(hex[Int(byte & 0x0F)])
                }
            }
            append(UInt8(ascii: "+"))
            for byte in plugin.utf8 { append(byte) }
            append(UInt8(ascii: "+"))
            for byte in target.utf8 { append(byte) }
            return count
        }
    }

    /// The record's file name in any queue folder.
    public var fileName: String { QueueFileName.name(id: id) }
}

/// The kinds of update a reconcile pass queues.
public enum UpdateKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// The plugin is subscribed but not installed (or its folder has no stamp).
    case install
    /// The target moved forward.
    case update
    /// The same tag now points at another commit: a supply-chain signal.
    case retag
    /// The target is a lower version than what is installed.
    case downgrade
    /// The manifest's source, subpath or track changed.
    case change
    /// A stamped plugin is no longer in the manifest.
    case remove
    /// An operator's `sluice rollback` (recorded in `applied/` only, never queued).
    case rollback
}

/// A ref and the commit it resolved to.
public struct RefPoint: Codable, Sendable, Hashable {
    /// Tag or branch name, or the SHA itself for a `sha:` track; nil when unknown.
    public var ref: String?
    /// The full commit SHA.
    public var sha: String

    /// Creates a point.
    public init(ref: String?, sha: String) {
        self.ref = ref
        self.sha = sha
    }

    /// Encodes `ref` even when nil, so the two keys are always there.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ref, forKey: .ref)
        try container.encode(sha, forKey: .sha)
    }

    enum CodingKeys: String, CodingKey { case ref, sha }
}

/// What an update was computed against.
public struct Basis: Codable, Sendable, Hashable {
    /// The installed plugin folder at detection time.
    public var installed: InstalledBasis
    /// The manifest entry at detection time; nil for a removal (no entry).
    public var manifest: ManifestBasis?

    /// Creates a basis.
    public init(installed: InstalledBasis, manifest: ManifestBasis?) {
        self.installed = installed
        self.manifest = manifest
    }

    /// Encodes `manifest` even when nil.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(installed, forKey: .installed)
        try container.encode(manifest, forKey: .manifest)
    }

    enum CodingKeys: String, CodingKey { case installed, manifest }
}

/// The installed folder's state in a basis.
public struct InstalledBasis: Codable, Sendable, Hashable {
    /// `absent`, `unstamped` or `stamped`.
    public var state: InstalledState
    /// The stamp's SHA when stamped.
    public var sha: String?
    /// The stamp's tree digest when stamped.
    public var digest: String?

    /// Creates the basis of an installed folder.
    public init(state: InstalledState, sha: String? = nil, digest: String? = nil) {
        self.state = state
        self.sha = sha
        self.digest = digest
    }
}

/// Whether a plugin folder exists and carries a stamp.
public enum InstalledState: String, Codable, Sendable, Hashable, CaseIterable {
    case absent, unstamped, stamped
}
