import Foundation

/// Path helpers shared by every subsystem.
public enum Paths {
    /// `path` made absolute against the current directory and standardised (no `.`/`..`, no trailing `/`).
    public static func absolute(_ path: String) -> String {
        let joined = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return (joined as NSString).standardizingPath
    }
}
