import Foundation

/// `sluice hold` and `sluice unhold`: set `hold` on a subscription in its `plugins.yaml`.
public enum HoldSetting {
    /// What changed.
    public struct Result: Sendable, Codable, Hashable {
        /// Workspace path.
        public var workspace: String
        /// Plugin name.
        public var plugin: String
        /// The new value of `hold`.
        public var hold: Bool
        /// Whether the file changed (false when it already said so).
        public var changed: Bool
        /// The manifest, relative to the root.
        public var file: String
    }

    /// Sets `hold` on `plugin` in `workspace`, under the workspace lock, editing the text only.
    ///
    /// - Throws: ``SluiceError/usage(_:)`` when the workspace or entry does not exist, the entry
    ///   cannot be edited safely, or the result would not validate; the file is then untouched.
    public static func set(_ hold: Bool, workspace: String, plugin: String, layout: RootLayout) async throws -> Result {
        if let problem = layout.workspaceProblem(workspace) { throw SluiceError.usage(problem) }
        let display = (workspace == "." ? "" : workspace + "/") + Manifest.fileName
        let path = layout.workspacePath(workspace) + "/" + Manifest.fileName
        return try await FileLock.withLock(layout.workspaceLock(workspace)) { () async throws -> Result in
            // A manifest write cut short by a kill; only plugins.yaml's temporaries are Sluice's here.
            AtomicFile.sweepTemporaries(in: layout.workspacePath(workspace), named: Manifest.fileName)
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw SluiceError.usage("cannot read \(display); is '\(workspace)' a workspace?")
            }
            let before: Manifest
            do {
                before = try Manifest.parse(text, file: display, policy: layout.config.sources)
            } catch {
                throw SluiceError.usage("\(display) is invalid; fix it first ('sluice check'):\n\(error)")
            }
            guard let entry = before.entry(named: plugin) else {
                throw SluiceError.usage("'\(plugin)' is not in \(display); the plugins there are: \(before.plugins.map(\.name).joined(separator: ", "))")
            }
            if entry.hold == hold { return Result(workspace: workspace, plugin: plugin, hold: hold, changed: false, file: display) }
            let edited = try ManifestEditor.settingHold(hold, plugin: plugin, in: text, file: display)
            let after: Manifest
            do {
                after = try Manifest.parse(edited, file: display, policy: layout.config.sources)
            } catch {
                throw SluiceError.usage("\(display) would not be valid after the edit (\(error)); edit 'hold' by hand")
            }
            guard after.entry(named: plugin)?.hold == hold else {
                throw SluiceError.usage("could not set hold on '\(plugin)' in \(display) by a text edit; edit it by hand")
            }
            try AtomicFile.write(Data(edited.utf8), to: path)
            return Result(workspace: workspace, plugin: plugin, hold: hold, changed: true, file: display)
        }
    }
}
