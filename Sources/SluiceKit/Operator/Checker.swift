import Foundation

/// `sluice check`: validates manifests and `sluice.yaml` without touching anything.
public enum Checker {
    /// The outcome of a check.
    public struct Result: Sendable, Codable {
        /// The files checked, as named.
        public var files: [String]
        /// Every problem, in file order.
        public var diagnostics: [Diagnostic]
    }

    /// Checks `paths` (files or folders), or the whole root when `paths` is empty.
    ///
    /// A file named `sluice.yaml` is checked as the root configuration, any other file as a
    /// manifest; a folder stands for the `sluice.yaml` and `plugins.yaml` it holds. Manifests are
    /// checked against the root's source policy when the root's `sluice.yaml` is valid, and
    /// against the default policy otherwise.
    public static func check(paths: [String], root: String) -> Result {
        var files: [(path: String, display: String)] = []
        var diagnostics: [Diagnostic] = []
        var config = SluiceConfig.standard
        let rootConfig = root + "/" + SluiceConfig.fileName
        if FileManager.default.fileExists(atPath: rootConfig), let loaded = try? SluiceConfig.load(root: root) {
            config = loaded
        }
        if paths.isEmpty {
            if FileManager.default.fileExists(atPath: rootConfig) { files.append((rootConfig, SluiceConfig.fileName)) }
            for workspace in WorkspaceDiscovery.find(in: RootLayout(root: root, config: config)) {
                let display = workspace == "." ? Manifest.fileName : workspace + "/" + Manifest.fileName
                files.append((RootLayout(root: root, config: config).workspacePath(workspace) + "/" + Manifest.fileName, display))
            }
        } else {
            for path in paths {
                if Directory.isFolder(path) {
                    for name in [SluiceConfig.fileName, Manifest.fileName] where FileManager.default.fileExists(atPath: path + "/" + name) {
                        files.append((path + "/" + name, (path as NSString).appendingPathComponent(name)))
                    }
                } else {
                    files.append((path, path))
                }
            }
        }
        for file in files {
            guard let data = FileManager.default.contents(atPath: file.path) else {
                diagnostics.append(Diagnostic(file: file.display, line: 0, column: 0, message: "cannot read the file; check the path"))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                diagnostics.append(Diagnostic(file: file.display, line: 0, column: 0, message: "the file is not UTF-8 text"))
                continue
            }
            do {
                if (file.path as NSString).lastPathComponent == SluiceConfig.fileName {
                    _ = try SluiceConfig.parse(text, file: file.display)
                } else {
                    _ = try Manifest.parse(text, file: file.display, policy: config.sources)
                }
            } catch {
                diagnostics += error.diagnostics
            }
        }
        return Result(files: files.map(\.display), diagnostics: diagnostics)
    }

    /// A diagnostic as a GitHub Actions annotation.
    public static func githubAnnotation(_ diagnostic: Diagnostic) -> String {
        let message = diagnostic.message.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
        let file = diagnostic.file.replacingOccurrences(of: ",", with: "%2C").replacingOccurrences(of: ":", with: "%3A")
        return "::error file=\(file),line=\(max(diagnostic.line, 1)),col=\(max(diagnostic.column, 1)),title=sluice check::\(message)"
    }
}
