import Foundation
@testable import SluiceKit

/// The setup most reconcile and apply tests start from: one real upstream plugin repository
/// with releases, a root whose workspaces subscribe to it, and optionally one release already
/// installed (stamped) in each workspace.
package struct Scenario: Sendable {
    package let upstream: UpstreamRepository
    package let fixture: RootFixture
    /// The commit of each release, by tag.
    package let releases: [String: String]

    /// The commit of the release `tag`; a test that names a tag it did not publish fails here.
    package subscript(tag: String) -> String {
        get throws {
            guard let sha = releases[tag] else { throw ShellError(message: "no release \(tag) in the scenario") }
            return sha
        }
    }

    /// Builds the scenario in `dir`.
    ///
    /// - Parameters:
    ///   - plugin: The plugin's name, also the upstream repository's.
    ///   - releases: Tags released in this order, each with its files (an empty map gets a default `plugin.yaml`).
    ///   - track: The subscriptions' track.
    ///   - workspaces: The subscribed workspaces.
    ///   - installed: The release installed in every workspace, if any.
    ///   - extra: More lines for each subscription.
    ///   - config: The root's `sluice.yaml`, if not the default.
    package static func make(in dir: String, plugin: String = "review", releases: [(tag: String, files: [String: String?])], track: String = "tag:latest",
                     workspaces: [String] = ["ws"], installed: String? = nil, extra: String = "", config: String? = nil) async throws -> Scenario {
        let upstream = try await UpstreamRepository(in: dir, name: plugin)
        var shas: [String: String] = [:]
        for release in releases { shas[release.tag] = try await upstream.release(release.tag, release.files) }
        let fixture = try config.map { try RootFixture(in: dir, config: $0) } ?? RootFixture(in: dir)
        for workspace in workspaces {
            try fixture.workspace(workspace, RootFixture.manifest(plugin, source: upstream.url, track: track, extra: extra))
            if let installed {
                guard let sha = shas[installed] else { throw ShellError(message: "cannot install \(installed): not released") }
                try await fixture.install(workspace, plugin, from: upstream, sha: sha, ref: installed, track: track)
            }
        }
        return Scenario(upstream: upstream, fixture: fixture, releases: shas)
    }

    /// Builds the scenario with each release's default files.
    package static func make(in dir: String, plugin: String = "review", releases: [String], track: String = "tag:latest",
                     workspaces: [String] = ["ws"], installed: String? = nil) async throws -> Scenario {
        try await make(in: dir, plugin: plugin, releases: releases.map { ($0, [:]) }, track: track, workspaces: workspaces, installed: installed)
    }
}
