import Foundation
import Logging
@testable import SluiceKit

/// Apply helpers: run the applier with the fixture's counted git, approve, and read trees.
extension RootFixture {
    /// Runs `sluice apply` through the library with the fixture's git, so fetches are counted.
    @discardableResult
    package func apply(files: [String] = [], force: Bool = false, now: Date? = nil) async throws -> ApplyReport {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        var applier = Applier(layout: try layout(), git: git, logger: logger, force: force)
        if let now { applier.now = { now } }
        return try await applier.run(files: files)
    }

    /// Runs `sluice apply --dry-run` through the library with the fixture's git.
    package func dryRun(files: [String] = [], force: Bool = false) async throws -> ApplyReport {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let applier = Applier(layout: try layout(), git: git, logger: logger, force: force)
        return await applier.dryRun(files: files)
    }

    /// Moves every pending file to approved/, as an operator's `mv` would; returns the names.
    @discardableResult
    package func approveAll() throws -> [String] {
        let names = listFolder(folder(.pending)).filter { $0.hasSuffix(".yaml") }
        for name in names { try move(name, from: .pending, to: .approved) }
        return names
    }

    /// The live folder of a plugin in a workspace.
    package func live(_ workspace: String, _ plugin: String) -> String {
        (workspace == "." ? root : root + "/" + workspace) + "/plugins/" + plugin
    }

    /// The retention folder of a plugin in a workspace.
    package func retained(_ workspace: String, _ plugin: String) -> String {
        (workspace == "." ? root : root + "/" + workspace) + "/.sluice/retained/" + plugin
    }

    /// The staging folder of a plugin in a workspace.
    package func staging(_ workspace: String, _ plugin: String) -> String {
        (workspace == "." ? root : root + "/" + workspace) + "/.sluice/staging/" + plugin
    }

    /// The stamp of a plugin folder; throws when there is none.
    package func stamp(_ workspace: String, _ plugin: String) throws -> Stamp {
        guard let stamp = try Stamp.read(pluginFolder: live(workspace, plugin)) else {
            throw ShellError(message: "no stamp in \(live(workspace, plugin))")
        }
        return stamp
    }
}

/// Every regular file and link under `folder` by relative path, with its bytes (a link's target),
/// the stamp at the top included unless `stamp` is false.
package func treeContents(_ folder: String, stamp: Bool = false) throws -> [String: Data] {
    var result: [String: Data] = [:]
    try TreeDigest.walk(folder, relative: "") { relative, path, isLink in
        if isLink {
            result[relative] = Data(((try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "").utf8)
        } else {
            result[relative] = FileManager.default.contents(atPath: path) ?? Data()
        }
    }
    if stamp, let data = FileManager.default.contents(atPath: folder + "/" + Stamp.fileName) {
        result[Stamp.fileName] = data
    }
    return result
}

/// The files of `sha` (or of `sha:subpath`) in `repository`, by path, with their bytes, read with git itself.
package func commitContents(_ repository: UpstreamRepository, _ sha: String, subpath: String? = nil) async throws -> [String: Data] {
    let treeish = subpath.map { "\(sha):\($0)" } ?? sha
    let names = try await Shell.git(["--git-dir=" + repository.bare, "ls-tree", "-r", "--name-only", "-z", treeish])
        .split(separator: "\0").map(String.init).filter { !$0.isEmpty }
    var result: [String: Data] = [:]
    for name in names {
        let object = subpath.map { "\(sha):\($0)/\(name)" } ?? "\(sha):\(name)"
        let blob = try await Shell.run("git", ["--git-dir=" + repository.bare, "cat-file", "blob", object])
        guard blob.status == 0 else { throw ShellError(message: "git cat-file \(treeish) \(name) failed: \(blob.stderr)") }
        result[name] = Data(blob.stdout.utf8)
    }
    return result
}

/// Every path under `folder` (folders end in `/`) with the bytes of each file: a snapshot to
/// prove that nothing was created, changed or removed there.
package func snapshot(_ folder: String, excluding excluded: [String] = []) -> [String: Data] {
    var result: [String: Data] = [:]
    guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return result }
    while let relative = enumerator.nextObject() as? String {
        if excluded.contains(where: { relative == $0 || relative.hasPrefix($0 + "/") }) { continue }
        let path = folder + "/" + relative
        var info = stat()
        guard lstat(path, &info) == 0 else { continue }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: result[relative + "/"] = Data()
        case S_IFLNK: result[relative] = Data(((try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "").utf8)
        default: result[relative] = FileManager.default.contents(atPath: path) ?? Data()
        }
    }
    return result
}
