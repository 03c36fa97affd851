import Foundation

extension Stamp {
    /// The YAML body `YAMLEncoder` writes for this stamp, written without Yams; nil when a
    /// value is outside what the plain writer is sure of (``RecordEncoding/scalar(_:column:)``),
    /// and then ``encoded()`` uses `YAMLEncoder`.
    ///
    /// Apply writes one stamp per update; through `YAMLEncoder` that was 2% of a fan-out's CPU
    /// time. What this returns also reads back, through ``fastParse(_:)``, as this very stamp.
    func plainBody() -> String? {
        var out = "format: \(format)\n"
        guard RecordEncoding.add("plugin", plugin, to: &out), RecordEncoding.add("source", source, to: &out),
              RecordEncoding.add("subpath", subpath, to: &out), RecordEncoding.add("track", track, to: &out),
              RecordEncoding.add("ref", ref, to: &out), RecordEncoding.add("sha", sha, to: &out),
              RecordEncoding.add("digest", digest, to: &out), RecordEncoding.add("installed", installed, to: &out) else { return nil }
        guard Self.fastParse(Data(out.utf8)) == self else { return nil }
        return out
    }
}
