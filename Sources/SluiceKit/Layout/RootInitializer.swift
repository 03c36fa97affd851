import Foundation

/// `sluice init`: lays out a new root without overwriting anything that is already there.
public enum RootInitializer {
    /// A commented `sluice.yaml` with every key at its default.
    public static let configTemplate = """
    # Sluice root configuration. Every key is optional; the values below are the defaults.
    # Reference: spec/formats.md. Check it with: sluice check sluice.yaml

    queue: updates          # pending/, approved/, applying/, applied/, failed/, rejected/
    state: .sluice          # git caches, exported trees and locks (keep it out of git)

    discovery:
      maxDepth: 4           # workspaces (folders holding plugins.yaml) at most 4 levels down
      exclude: []           # shell patterns of workspace paths to leave out, e.g. ["archive/*"]

    sources:
      transports: [https, ssh]   # add git, http or file only if you mean it; ext:: is never allowed
      allow: []                  # URL patterns; when set, every source must match one

    git:
      timeout: 60           # seconds per git ls-remote
      fetchTimeout: 300     # seconds per git fetch
      concurrency: 8        # git processes at once

    apply:
      retain: 3             # previous trees kept per plugin for rollback
      maxTreeBytes: 104857600
      hot: ["SKILL.md", "*/SKILL.md"]   # a change touching only these is a hot reload
      # afterApply: "systemctl reload my-runtime"   # run after each apply, with SLUICE_* variables

    """

    /// What `.gitignore` should hold so that caches and retained trees stay out of git.
    public static let gitignore = """
    # Sluice: caches, exported trees, locks, staging and retained trees are machine state.
    .sluice/
    **/.sluice/

    """

    /// The `.gitignore` of a root whose queue travels through git (`sluice init --git`): installed
    /// trees and claims in progress stay on the machine as well.
    public static func gitOpsIgnore(queue: String) -> String {
        gitignore + """
        # Sluice GitOps: installed plugin trees are never committed (the stamps say what is
        # installed); claims in progress and files being written are this machine's.
        plugins/
        /\(queue)/applying/
        /\(queue)/**/\(AtomicFile.temporaryPrefix)*

        """
    }

    /// Creates what is missing; returns the paths created and the notes for the operator.
    ///
    /// - Parameter git: Whether the root is a git working copy whose queue Sluice commits
    ///   (`sluice sync`, `serve --git`): the `.gitignore` then also keeps `plugins/` out.
    public static func run(root: String, git: Bool = false) throws -> (created: [String], notes: [String]) {
        let fileManager = FileManager.default
        var created: [String] = []
        var notes: [String] = []
        if !fileManager.fileExists(atPath: root) {
            try fileManager.createDirectory(atPath: root, withIntermediateDirectories: true)
            created.append(root)
        }
        let config = root + "/" + SluiceConfig.fileName
        if fileManager.fileExists(atPath: config) {
            notes.append("\(SluiceConfig.fileName) exists and was left as it is")
        } else {
            try AtomicFile.write(Data(configTemplate.utf8), to: config)
            created.append(config)
        }
        let layout = RootLayout(root: root, config: (try? SluiceConfig.load(root: root)) ?? .standard)
        created += try QueueStore(layout: layout).createFoldersWithKeepFiles()
        let ignore = root + "/.gitignore"
        let wanted = git ? gitOpsIgnore(queue: layout.config.queue) : gitignore
        if fileManager.fileExists(atPath: ignore) {
            let current = (try? String(contentsOfFile: ignore, encoding: .utf8)) ?? ""
            let missing = wanted.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty && !current.split(separator: "\n").contains($0) }
            if git, !missing.isEmpty {
                let separator = current.isEmpty || current.hasSuffix("\n") ? "" : "\n"
                try AtomicFile.write(Data((current + separator + missing.joined(separator: "\n") + "\n").utf8), to: ignore)
                notes.append(".gitignore exists; added: " + missing.joined(separator: ", "))
            } else if !missing.isEmpty {
                notes.append(".gitignore exists; add these lines to it:\n" + wanted)
            }
        } else {
            try AtomicFile.write(Data(wanted.utf8), to: ignore)
            created.append(ignore)
        }
        return (created, notes)
    }
}
