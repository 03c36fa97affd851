import Foundation

/// A real upstream plugin repository for tests: a bare repository plus a work tree to commit from.
package struct UpstreamRepository: Sendable {
    package let bare: String
    package let work: String

    /// Creates `<folder>/<name>.git` with a `main` branch.
    package init(in folder: String, name: String) async throws {
        bare = folder + "/" + name + ".git"
        work = folder + "/" + name + "-work"
        try await Shell.git(["init", "--quiet", "--bare", "--initial-branch=main", bare])
        try await Shell.git(["init", "--quiet", "--initial-branch=main", work])
        try await Shell.git(["remote", "add", "origin", bare], in: work)
    }

    /// The `file://` URL of the bare repository.
    package var url: String { "file://" + bare }

    /// Writes `files` (path to content; nil deletes), commits on `branch`, pushes; returns the SHA.
    @discardableResult
    package func commit(_ files: [String: String?], message: String = "change", branch: String = "main") async throws -> String {
        let current = try await Shell.git(["symbolic-ref", "--short", "HEAD"], in: work)
        if current != branch {
            if (try? await Shell.git(["rev-parse", "--verify", "--quiet", "refs/heads/" + branch], in: work)) != nil {
                try await Shell.git(["checkout", "--quiet", branch], in: work)
            } else {
                try await Shell.git(["checkout", "--quiet", "-b", branch], in: work)
            }
        }
        for (path, content) in files {
            let full = work + "/" + path
            if let content {
                try writeFile(full, content)
            } else {
                try? FileManager.default.removeItem(atPath: full)
            }
        }
        try await Shell.git(["add", "--all", "."], in: work)
        try await Shell.git(["commit", "--quiet", "--allow-empty", "-m", message], in: work)
        try await Shell.git(["push", "--quiet", "--force", "origin", branch], in: work)
        return try await Shell.git(["rev-parse", "HEAD"], in: work)
    }

    /// Tags `sha` (annotated by default) and pushes the tag, replacing an existing one.
    package func tag(_ name: String, at sha: String, annotated: Bool = true) async throws {
        if annotated {
            try await Shell.git(["tag", "--force", "-a", "-m", "release \(name)", name, sha], in: work)
        } else {
            try await Shell.git(["tag", "--force", name, sha], in: work)
        }
        try await Shell.git(["push", "--quiet", "--force", "origin", "refs/tags/\(name)"], in: work)
    }

    /// Commits `files` and tags the commit; returns the SHA.
    @discardableResult
    package func release(_ tag: String, _ files: [String: String?] = [:], annotated: Bool = true) async throws -> String {
        var content = files
        if content.isEmpty { content = ["plugin.yaml": "name: demo\nversion: \(tag)\n"] }
        let sha = try await commit(content, message: "release \(tag)")
        try await self.tag(tag, at: sha, annotated: annotated)
        return sha
    }
}
