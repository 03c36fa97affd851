import Foundation
@testable import SluiceKit

/// The record fast path as it was before it became one pass: a lookup per key, each a scan of
/// the mapping. Kept as the reference the one-pass ``RecordDecoding/plain(_:)`` must agree
/// with, accepting the same texts and reading the same records.
enum PlainRecordReference {
    static let recordKeys: Set<String> = [
        "format", "id", "workspace", "plugin", "kind", "source", "subpath", "track", "from", "to", "warning", "detected", "basis", "attempt",
    ]
    static let refKeys: Set<String> = ["ref", "sha"]
    static let installedKeys: Set<String> = ["state", "sha", "digest"]
    static let manifestKeys: Set<String> = ["source", "subpath", "track"]
    static let basisKeys: Set<String> = ["installed", "manifest"]

    /// The record in a file of the subset ``PlainYAML`` reads, when every key is one it knows
    /// and every value has the type the full decoder would give it; nil sends the file to the
    /// full decoder (signatures, approvals and outcomes always go there).
    static func plain(_ yaml: PlainYAML) -> UpdateRecord? {
        let top = yaml.top
        guard top.keys(within: recordKeys), top.isFormatOne("format"),
              let id = top.text("id"), let workspace = top.text("workspace"), let plugin = top.text("plugin"),
              let kind = top.text("kind").flatMap(UpdateKind.init(rawValue:)), let source = top.text("source"),
              let subpath = top.optionalText("subpath"), let track = top.text("track"),
              let fromMapping = top.optionalMapping("from"), let toMapping = top.optionalMapping("to"),
              let warning = top.optionalText("warning"), let detected = top.text("detected"),
              let attempt = top.optionalText("attempt"),
              let basisMapping = top.optionalMapping("basis"), let basisMapping, basisMapping.keys(within: basisKeys),
              let installedMapping = basisMapping.optionalMapping("installed"), let installedMapping,
              installedMapping.keys(within: installedKeys),
              let state = installedMapping.text("state").flatMap(InstalledState.init(rawValue:)),
              let installedSHA = installedMapping.optionalText("sha"), let digest = installedMapping.optionalText("digest"),
              let manifestMapping = basisMapping.optionalMapping("manifest") else { return nil }
        var from: RefPoint?
        var to: RefPoint?
        if let fromMapping {
            guard let point = refPoint(fromMapping) else { return nil }
            from = point
        }
        if let toMapping {
            guard let point = refPoint(toMapping) else { return nil }
            to = point
        }
        var manifest: ManifestBasis?
        if let manifestMapping {
            guard manifestMapping.keys(within: manifestKeys), let source = manifestMapping.text("source"),
                  let subpath = manifestMapping.optionalText("subpath"), let track = manifestMapping.text("track") else { return nil }
            manifest = ManifestBasis(source: source, subpath: subpath, track: track)
        }
        var record = UpdateRecord(
            id: id, workspace: workspace, plugin: plugin, kind: kind, source: source, subpath: subpath, track: track,
            from: from, to: to, warning: warning, detected: detected,
            basis: Basis(installed: InstalledBasis(state: state, sha: installedSHA, digest: digest), manifest: manifest))
        record.attempt = attempt
        return record

        /// `{ref, sha}`, or nil (outside the fast path) when it is anything else.
        func refPoint(_ mapping: PlainYAML.Mapping) -> RefPoint? {
            guard mapping.keys(within: refKeys), let sha = mapping.text("sha"), let ref = mapping.optionalText("ref") else { return nil }
            return RefPoint(ref: ref, sha: sha)
        }
    }
}
