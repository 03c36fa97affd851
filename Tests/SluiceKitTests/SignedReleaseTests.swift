import Foundation
import Testing
@testable import SluiceKit
import SluiceTestSupport

/// `verify: ssh` and `verify: gpg` with real keys: signed tags and commits made by git with
/// ssh-keygen and gpg in temporary homes, checked against the root's trusted keys only.
@Suite struct SignedReleaseTests {
    /// An ssh signing key and its allowed-signers line.
    struct SSHKey {
        let path: String
        let principal: String
        var allowedSigners: String

        init(in dir: String, name: String, principal: String) async throws {
            path = dir + "/" + name
            self.principal = principal
            _ = try await Shell.run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", principal, "-f", path])
            let publicKey = try String(contentsOfFile: path + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            allowedSigners = "\(principal) \(publicKey)\n"
        }
    }

    /// Tags `sha` in `upstream`, signed with `key` (or unsigned when nil), and pushes it.
    func signTag(_ upstream: UpstreamRepository, _ name: String, at sha: String, key: SSHKey?) async throws {
        if let key {
            try await Shell.git(["-c", "gpg.format=ssh", "-c", "user.signingkey=" + key.path, "tag", "--force", "-s", "-m", "release " + name, name, sha], in: upstream.work)
            try await Shell.git(["push", "--quiet", "--force", "origin", "refs/tags/" + name], in: upstream.work)
        } else {
            try await upstream.tag(name, at: sha)
        }
    }

    /// A root whose workspace follows `track` of `upstream` with `verify: ssh`, trusting `trusted`.
    func root(_ dir: String, _ upstream: UpstreamRepository, trusted: SSHKey, track: String = "tag:latest") throws -> RootFixture {
        let fixture = try RootFixture(in: dir, config: "sources:\n  transports: [file]\nverify:\n  ssh:\n    allowed-signers: keys/allowed_signers\n")
        try writeFile(fixture.root + "/keys/allowed_signers", trusted.allowedSigners)
        try fixture.workspace("ws", RootFixture.manifest("review", source: upstream.url, track: track, extra: "    verify: ssh\n"))
        return fixture
    }

    @Test func aTagSignedByATrustedKeyIsQueuedWithItsSigner() async throws {
        try await withTemporaryFolder { dir in
            let alice = try await SSHKey(in: dir, name: "alice", principal: "alice@example.com")
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            let sha = try await upstream.commit(["SKILL.md": "v1"])
            try await signTag(upstream, "v1.0.0", at: sha, key: alice)
            let fixture = try root(dir, upstream, trusted: alice)
            let pass = try await fixture.reconcile()
            #expect(pass.queued.count == 1)
            let record = try #require(try fixture.record(.pending, workspace: "ws", plugin: "review"))
            let signature = try #require(record.signature)
            #expect(signature.method == .ssh)
            #expect(signature.object == "tag")
            #expect(signature.signer == "alice@example.com")
            #expect(signature.key.hasPrefix("SHA256:"))
            // Approved and applied: apply checks the signature again and installs.
            try fixture.move(record.fileName, from: .pending, to: .approved)
            let applied = try await fixture.apply()
            #expect(applied.items.first?.result == "applied", "\(applied.items)")
        }
    }

    @Test func unsignedOrForeignSignaturesAreNotQueued() async throws {
        try await withTemporaryFolder { dir in
            let alice = try await SSHKey(in: dir, name: "alice", principal: "alice@example.com")
            let mallory = try await SSHKey(in: dir, name: "mallory", principal: "mallory@example.com")
            for (index, signer) in [mallory, nil].enumerated() {
                let upstream = try await UpstreamRepository(in: dir, name: "review\(index)")
                let sha = try await upstream.commit(["SKILL.md": "v1"])
                try await signTag(upstream, "v1.0.0", at: sha, key: signer)
                let fixture = try root(dir + "/\(index)", upstream, trusted: alice)
                let pass = try await fixture.reconcile()
                #expect(pass.queued.isEmpty)
                let failure = try #require(pass.subscriptionFailures.first)
                #expect(failure.reason.hasPrefix("unverified: v1.0.0"), "\(failure.reason)")
                #expect(failure.reason.contains(signer == nil ? "not signed" : "allowed-signers"), "\(failure.reason)")
                let snapshot = await SnapshotReader(layout: try fixture.layout(), git: fixture.git).read()
                let plugin = try #require(StatusReport(snapshot: snapshot).workspaces.first?.plugins.first)
                #expect(plugin.state == .error)
                #expect(plugin.detail?.hasPrefix("unverified:") == true)
            }
        }
    }

    @Test func aSignedTagMovedToAnUnsignedCommitIsRefused() async throws {
        try await withTemporaryFolder { dir in
            let alice = try await SSHKey(in: dir, name: "alice", principal: "alice@example.com")
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            let signed = try await upstream.commit(["SKILL.md": "v1"])
            try await signTag(upstream, "v1.0.0", at: signed, key: alice)
            let fixture = try root(dir, upstream, trusted: alice, track: "tag:v1.0.0")
            #expect(try await fixture.reconcile().queued.count == 1)
            let other = try await upstream.commit(["SKILL.md": "evil"])
            try await upstream.tag("v1.0.0", at: other, annotated: false)
            let pass = try await fixture.reconcile()
            #expect(pass.queued.isEmpty && pass.replaced.isEmpty)
            #expect(pass.subscriptionFailures.first?.reason.contains("lightweight") == true)
            // The earlier, verified pending file is kept as it is.
            #expect(try fixture.record(.pending, workspace: "ws", plugin: "review")?.to?.sha == signed)
        }
    }

    @Test func applyRefusesWhenTheApprovedFileNoLongerMatchesItsSignature() async throws {
        try await withTemporaryFolder { dir in
            let alice = try await SSHKey(in: dir, name: "alice", principal: "alice@example.com")
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            let signed = try await upstream.commit(["SKILL.md": "v1"])
            try await signTag(upstream, "v1.0.0", at: signed, key: alice)
            let fixture = try root(dir, upstream, trusted: alice)
            try await fixture.reconcile()
            let record = try #require(try fixture.record(.pending, workspace: "ws", plugin: "review"))
            // Someone edits the approved file to install another commit under the same signature.
            let other = try await upstream.commit(["SKILL.md": "evil"])
            var edited = record
            edited.to?.sha = other
            edited.id = UpdateRecord.makeID(workspace: "ws", plugin: "review", targetSHA: other)
            try QueueStore(layout: try fixture.layout()).write(edited, to: .approved)
            try FileManager.default.removeItem(atPath: fixture.folder(.pending) + "/" + record.fileName)
            let applied = try await fixture.apply()
            let item = try #require(applied.items.first)
            #expect(item.result == "failed")
            #expect(item.reason?.contains("points at") == true, "\(item)")
            #expect(!FileManager.default.fileExists(atPath: fixture.root + "/ws/plugins/review"))
        }
    }

    @Test func aSignedCommitOnABranchVerifiesWithGPG() async throws {
        try await withTemporaryFolder { dir in
            let home = dir + "/gnupg"
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let gpg: [String: String?] = ["GNUPGHOME": home]
            let made = try await Shell.run("gpg", ["--batch", "--passphrase", "", "--quick-gen-key", "Release <release@example.com>", "ed25519", "sign", "never"], environment: gpg)
            #expect(made.status == 0, "\(made.stderr)")
            let exported = try await Shell.run("gpg", ["--batch", "--armor", "--export", "release@example.com"], environment: gpg)
            let upstream = try await UpstreamRepository(in: dir, name: "review")
            try await Shell.git(["-c", "user.signingkey=release@example.com", "commit", "--quiet", "--allow-empty", "-S", "-m", "signed"], in: upstream.work, environment: ["GNUPGHOME": home])
            try await Shell.git(["push", "--quiet", "origin", "main"], in: upstream.work)
            let fixture = try RootFixture(in: dir, config: "sources:\n  transports: [file]\ndefaults:\n  verify: gpg\nverify:\n  gpg:\n    keyring: keys/release.asc\n")
            try writeFile(fixture.root + "/keys/release.asc", exported.stdout)
            try fixture.workspace("ws", RootFixture.manifest("review", source: upstream.url, track: "branch:main"))
            let pass = try await fixture.reconcile()
            #expect(pass.queued.count == 1, "\(pass.subscriptionFailures)")
            let signature = try #require(try fixture.record(.pending, workspace: "ws", plugin: "review")?.signature)
            #expect(signature.method == .gpg)
            #expect(signature.object == "commit")
            #expect(signature.signer.contains("release@example.com"))
            #expect(signature.key.count == 40)
            // An unsigned commit on top is refused; the verified pending file stays.
            try await upstream.commit(["SKILL.md": "unsigned"])
            let next = try await fixture.reconcile()
            #expect(next.subscriptionFailures.first?.reason.contains("not signed") == true, "\(next.subscriptionFailures)")
        }
    }
}

/// The pure readers of release objects and verification reports.
@Suite struct ReleaseObjectTests {
    @Test func aSignedTagNamesItsTargetDateAndSignatureKind() {
        let text = "object 1111111111111111111111111111111111111111\ntype commit\ntag v1.0.0\ntagger Rel <rel@example.com> 1700000000 +0100\n\nrelease\n-----BEGIN SSH SIGNATURE-----\nabc\n-----END SSH SIGNATURE-----\n"
        let tag = ReleaseObject(parsing: text, kind: .tag)
        #expect(tag.target == String(repeating: "1", count: 40))
        #expect(tag.date == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(tag.signature == .ssh)
        let commit = ReleaseObject(parsing: "tree 2222\nauthor A <a@x> 1 +0000\ncommitter C <c@x> 1600000000 +0000\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n -----END PGP SIGNATURE-----\n\nmessage mentioning -----BEGIN SSH SIGNATURE-----\n", kind: .commit)
        #expect(commit.date == Date(timeIntervalSince1970: 1_600_000_000))
        #expect(commit.signature == .gpg, "a commit's signature is its gpgsig header, never its message")
        #expect(ReleaseObject(parsing: "object 1\ntype commit\ntag x\ntagger T <t@x> 5 +0000\n\nplain\n", kind: .tag).signature == nil)
    }

    @Test func signersAreReadFromWhatGitReports() {
        let ssh = SignatureRecord.signer(in: "Good \"git\" signature for alice@example.com with ED25519 key SHA256:abcDEF\n", method: .ssh)
        #expect(ssh?.signer == "alice@example.com")
        #expect(ssh?.key == "SHA256:abcDEF")
        let gpg = SignatureRecord.signer(in: "[GNUPG:] NEWSIG\n[GNUPG:] GOODSIG 0123456789ABCDEF Release <rel@example.com>\n[GNUPG:] VALIDSIG 0123456789ABCDEF0123456789ABCDEF01234567 2026-12-04 1\n", method: .gpg)
        #expect(gpg?.signer == "Release <rel@example.com>")
        #expect(gpg?.key == "0123456789ABCDEF0123456789ABCDEF01234567")
        #expect(SignatureRecord.signer(in: "[GNUPG:] BADSIG 01 x\n", method: .gpg) == nil)
        #expect(SignatureRecord.refusal(in: "[GNUPG:] NO_PUBKEY 0123\n") == "signed by a key that is not in the keyring")
        #expect(SignatureRecord.refusal(in: "No principal matched.\n").contains("allowed-signers"))
    }
}
