import Foundation

/// How queue files are named: `<id>.yaml`, and `<id>.N.yaml` for a further outcome of the same
/// update in `applied/` or `failed/`.
///
/// A name that starts with `.` is never a record: temporary files of ``AtomicFile`` and
/// `.gitkeep` live beside the records.
public enum QueueFileName {
    /// The extension of every record file.
    static let suffix = ".yaml"

    /// The file name of the record with `id`.
    public static func name(id: String) -> String {
        id + suffix
    }

    /// Whether `name` is a record file (and not a temporary or hidden file).
    public static func isRecord(_ name: String) -> Bool {
        name.hasSuffix(suffix) && !name.hasPrefix(".")
    }

    /// Whether `name` ends in the record extension (what a user typed may be an id or a file name).
    public static func hasRecordSuffix(_ name: String) -> Bool {
        name.hasSuffix(suffix)
    }

    /// The id an operator means by `reference`: an id, a file name or a path to a queue file.
    public static func id(fromReference reference: String) -> String {
        let last = (reference as NSString).lastPathComponent
        return hasRecordSuffix(last) ? String(last.dropLast(suffix.count)) : last
    }

    /// The id part of a record's file name (`<id>` of `<id>.yaml`).
    public static func stem(of name: String) -> String {
        (name as NSString).deletingPathExtension
    }

    /// The `index`-th further copy of `name`: `<id>.<index>.yaml`.
    static func numbered(_ name: String, _ index: Int) -> String {
        stem(of: name) + ".\(index)" + suffix
    }

    /// Whether `candidate` is `name` itself or one of its numbered copies.
    static func isCopy(_ candidate: String, of name: String) -> Bool {
        candidate == name || candidate.hasPrefix(stem(of: name) + ".")
    }
}
