import Foundation
import SluiceKit

/// `POST /admin/workspaces/<workspace>/plugins`: `sluice install` over HTTP.
extension SluiceService {
    /// The request body of the install endpoint (`?track=` may give the track instead).
    public struct InstallRequest: Sendable, Decodable {
        /// Plugin name.
        public var name: String
        /// The plugin's git URL.
        public var source: String
        /// What to follow from now on (`tag:latest`, `tag:^1.2`, `none`, …); default `none`.
        public var track: String?
        /// A folder inside the repository.
        public var subpath: String?
        /// Tag, branch or SHA to install now (default: the track's target).
        public var ref: String?
    }

    /// What an install request came to.
    public enum InstallAnswer: Sendable {
        /// The workspace is not a workspace under the root (404).
        case unknownWorkspace(String)
        /// The request is invalid or conflicts with the manifest; nothing was written (400).
        case invalid(String)
        /// The install ran; its one item says how (200 applied, 422 failed).
        case ran(ApplyReport.Item)
    }

    /// Checks an untrusted workspace path from a URL: a plain relative path (no `.`, `..`,
    /// empty or absolute parts, no link on the way) to a folder under the root that holds a
    /// `plugins.yaml`.
    ///
    /// - Returns: why it is refused, or nil.
    public func workspaceRefusal(_ workspace: String) -> String? {
        if workspace == "." || workspace.contains("\0") { return "'\(workspace)' is not a workspace path; give a path relative to the root" }
        if let problem = layout.workspaceProblem(workspace) { return problem }
        var info = stat()
        let manifest = layout.workspacePath(workspace) + "/" + Manifest.fileName
        guard lstat(manifest, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            return "'\(workspace)' holds no \(Manifest.fileName); it is no workspace"
        }
        return nil
    }

    /// Records the subscription in the workspace's `plugins.yaml` (keeping its comments) and
    /// installs it through an approved file, exactly as `sluice install` does
    /// (``OperatorInstall``), in the service's apply lane.
    ///
    /// - Throws: ``SluiceError`` (other than a usage error) or ``FileSystemError`` when the root
    ///   cannot be used.
    public func install(workspace: String, _ request: InstallRequest) async throws -> InstallAnswer {
        if let refusal = workspaceRefusal(workspace) { return .unknownWorkspace(refusal) }
        let track: Track
        do {
            track = try Track(parsing: request.track ?? "none")
        } catch {
            return .invalid("track: \(error.message)")
        }
        let install = OperatorInstall(layout: layout, git: git, logger: logger)
        let operatorRequest = OperatorInstall.Request(workspace: workspace, plugin: request.name, source: request.source,
                                                      subpath: request.subpath, track: track, ref: request.ref)
        let metrics = self.metrics
        let layout = self.layout
        let answer = try await lane.perform { () async throws -> InstallAnswer in
            let report: ApplyReport
            do {
                report = try await install.run(operatorRequest)
            } catch SluiceError.usage(let message) {
                return .invalid(message)
            }
            metrics.recordApplies(report)
            metrics.setQueueSizes(layout)
            guard let item = report.items.first else { return .invalid("nothing was installed") }
            return .ran(item)
        }
        if case .ran = answer { await refreshSubscriptions() }
        return answer
    }
}
