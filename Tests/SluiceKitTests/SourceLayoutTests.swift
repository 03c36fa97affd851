import Foundation
import Testing
import SluiceTestSupport

/// Folder rules that Swift's access control cannot state: git argument lists live in
/// `Sources/SluiceKit/Git/`, and only the process runner starts processes.
@Suite struct SourceLayoutTests {
    /// The package's top folder, found from this file's path.
    static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static let gitFolder = "Sources/SluiceKit/Git/"
    static let runner = "Sources/SluiceKit/Process/ProcessRunner.swift"

    /// Git subcommands: an array literal starting with one of these is a git argument list.
    static let subcommands = [
        "add", "archive", "branch", "cat-file", "checkout", "checkout-index", "clone", "commit", "config", "daemon", "diff",
        "fast-import", "fetch", "for-each-ref", "gc", "hash-object", "init", "log", "ls-remote", "ls-tree", "merge", "mv",
        "push", "read-tree", "remote", "repack", "reset", "rev-parse", "rm", "show", "status", "symbolic-ref", "tag",
        "update-index", "update-ref", "worktree", "write-tree",
    ]

    /// The ways git can be called outside the typed layer, each with what it means.
    static var gitCalls: [(pattern: Regex<AnyRegexOutput>, meaning: String)] {
        let names = subcommands.map { NSRegularExpression.escapedPattern(for: $0) }.joined(separator: "|")
        return [
            (try! Regex(#"(?i)\bgit\s*\.\s*run\s*\("#), "Git.run called"),
            (try! Regex(#"\bGit\s*\([^()]*\)\s*\.\s*run\s*\("#), "Git.run called"),
            (try! Regex(#"\[\s*"(?:"# + names + #")"\s*[,\]+]"#), "a git argument list"),
            (try! Regex(#"\[\s*"(?:--git-dir=|--work-tree=)"#), "a git argument list"),
            (try! Regex(#"\.(?:name|path)\(\s*"(?:[^"]*/)?git"\s*\)"#), "the git executable started"),
        ]
    }

    static var spawns: [Regex<AnyRegexOutput>] { [
        try! Regex(#"(?:^|[^\w.])Process\(\)"#), try! Regex(#"\bFoundation\.Process\b"#), try! Regex(#"\bposix_spawnp?\("#),
        try! Regex(#"(?:^|[^\w.])fork\(\)"#), try! Regex(#"\bexecv[pe]?\("#),
    ] }

    /// What a line of source does wrong, if anything, for a file at `path` (relative to the package).
    static func gitProblem(_ line: Substring, path: String) -> String? {
        if path.hasPrefix(gitFolder) { return nil }
        let code = line.trimmingCharacters(in: .whitespaces)
        if code.hasPrefix("//") { return nil }
        for (pattern, meaning) in gitCalls {
            guard let match = code.firstMatch(of: pattern) else { continue }
            // An error that names a git call (`GitError(arguments: [...])`) is no call.
            if code[..<match.range.lowerBound].hasSuffix("arguments: ") { continue }
            return meaning
        }
        return nil
    }

    /// Swift files under `folder` (relative to the package), with their relative paths.
    static func swiftFiles(under folder: String) throws -> [(path: String, text: String)] {
        let base = package + "/" + folder
        guard let enumerator = FileManager.default.enumerator(atPath: base) else { throw SourceLayoutError(message: "cannot read \(base)") }
        var files: [(String, String)] = []
        while let relative = enumerator.nextObject() as? String {
            guard relative.hasSuffix(".swift") else { continue }
            files.append((folder + "/" + relative, try String(contentsOfFile: base + "/" + relative, encoding: .utf8)))
        }
        return files.sorted { $0.0 < $1.0 }
    }

    @Test func gitArgumentListsOnlyInTheGitFolder() throws {
        let files = try Self.swiftFiles(under: "Sources")
        #expect(files.contains { $0.path == Self.runner })
        var problems: [String] = []
        for file in files {
            for (index, line) in file.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if let problem = Self.gitProblem(line, path: file.path) { problems.append("\(file.path):\(index + 1): \(problem)") }
            }
        }
        #expect(problems.isEmpty, "git is called outside \(Self.gitFolder); add a typed operation there:\n\(problems.joined(separator: "\n"))")
    }

    @Test func onlyTheProcessRunnerImportsSubprocessOrSpawns() throws {
        let imports = try Regex(#"^\s*(?:@[\w()]+\s+)*(?:public\s+|internal\s+|package\s+)?import\s+(?:\w+\s+)?Subprocess\b"#).anchorsMatchLineEndings()
        var problems: [String] = []
        for file in try Self.swiftFiles(under: "Sources") + Self.swiftFiles(under: "Tests") where file.path != Self.runner {
            if file.text.contains(imports) { problems.append("\(file.path): imports Subprocess") }
            for line in file.text.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                if Self.spawns.contains(where: { line.contains($0) }) { problems.append("\(file.path): starts a process: \(line.trimmingCharacters(in: .whitespaces))") }
            }
        }
        #expect(problems.isEmpty, "only \(Self.runner) starts processes:\n\(problems.joined(separator: "\n"))")
    }

    @Test(arguments: [
        ("try await git.run([\"fetch\", \"--\", source], timeout: t)", true),
        ("try await fixture.git.run([\"ls-remote\"], timeout: t)", true),
        ("_ = try await Git(transports: []).run(arguments, timeout: t)", true),
        ("let arguments = [\"ls-remote\", \"--heads\", \"--tags\"]", true),
        ("let a = [\"--git-dir=\" + repo, \"tag\"]", true),
        ("ProcessRunner(.name(\"git\"), arguments, timeout: t)", true),
        ("ProcessRunner(.path(\"/usr/bin/git\"), arguments, timeout: t)", true),
        ("try await runner.run()", false),
        ("try await Subprocess.run(configuration, output: .discarded)", false),
        ("return try await reconcile(scope: scope).report", false),
        ("let allowed = [\"queue\", \"state\", \"git\"]", false),
        ("ProcessRunner(.path(\"/bin/sh\"), [\"-c\", command], timeout: t)", false),
        ("throw GitError(arguments: [\"cat-file\", \"-t\", treeish], status: nil, message: m)", false),
        ("/// Lists refs with `git.run([\"ls-remote\"])`.", false),
        ("try await shell(\"git init --quiet --bare \\(repo)\")", false),
    ])
    func gitCallPatterns(line: String, isProblem: Bool) {
        #expect((Self.gitProblem(Substring(line), path: "Sources/SluiceKit/Apply/Example.swift") != nil) == isProblem)
        #expect(Self.gitProblem(Substring(line), path: Self.gitFolder + "Git+Example.swift") == nil)
    }
}

struct SourceLayoutError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
