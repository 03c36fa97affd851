import Foundation

/// Finds out who approved an update: on a root that is a git working copy, the commit that
/// added the file to `approved/` and its signature; else what `sluice approve` recorded; else
/// nobody (`unattributed`).
public struct ApprovalReader: Sendable {
    /// The git choke point.
    public let git: Git
    /// The root's layout.
    public let layout: RootLayout

    /// Creates the reader of `layout`'s root.
    public init(git: Git, layout: RootLayout) {
        self.git = git
        self.layout = layout
    }

    /// Whether the root is a git working copy.
    public var isGitRoot: Bool {
        FileManager.default.fileExists(atPath: layout.root + "/.git")
    }

    /// Who approved `record`, claimed from `approved/<fileName>`.
    public func attribution(of record: UpdateRecord, fileName: String) async -> ApprovedBy {
        if isGitRoot, let commit = await git.commitAdding(layout.config.queue + "/" + QueueFolder.approved.rawValue + "/" + fileName, in: layout.root) {
            var approved = ApprovedBy(via: .git, commit: commit.id, author: commit.author, committer: commit.committer, at: commit.time)
            await checkSignature(of: commit.id, into: &approved)
            if layout.config.minApprovers != nil {
                // Distinct signers: the approving commit's and those of the merges that carried it in.
                var signers: Set<String> = approved.signature == "good" ? [approved.key ?? ""] : []
                var names: [String] = approved.signature == "good" ? [approved.signer ?? "?"] : []
                for merge in await git.mergesCarrying(commit.id, in: layout.root) {
                    var carried = ApprovedBy(via: .git)
                    await checkSignature(of: merge, into: &carried)
                    if carried.signature == "good", let key = carried.key, !signers.contains(key) {
                        signers.insert(key)
                        names.append(carried.signer ?? "?")
                    }
                }
                approved.signers = names
            }
            return approved
        }
        if let recorded = record.approvedBy, recorded.via == .sluiceApprove { return recorded }
        return ApprovedBy(via: .unattributed)
    }

    /// Why an approval does not count under `approvals.require-signed`, or nil when it does.
    public func refusal(of approval: ApprovedBy) -> String? {
        if let needed = layout.config.minApprovers {
            let found = approval.signers?.count ?? 0
            if found < needed {
                return "approvals.min-approvers: \(needed) distinct allowed signers are needed on the approving commit and the merges that carried it in, found \(found)\(found > 0 ? " (\(approval.signers?.joined(separator: ", ") ?? ""))" : "")"
            }
        }
        guard layout.config.requireSignedApprovals else { return nil }
        switch approval.via {
        case .git where approval.signature == "good": return nil
        case .git: return "approvals.require-signed: the commit that approved it (\(approval.commit.map { String($0.prefix(12)) } ?? "?")) is not signed by an allowed key: \(approval.signature ?? "unknown")"
        case .sluiceApprove, .unattributed: return "approvals.require-signed: an approval counts only as a signed commit in the root's git history; this one was \(approval.summary)"
        }
    }

    private func checkSignature(of commit: String, into approved: inout ApprovedBy) async {
        guard let text = try? await git.objectText(commit, type: .commit, in: layout.root) else {
            approved.signature = "bad: cannot read the commit"
            return
        }
        guard let method = ReleaseObject(parsing: text, kind: .commit).signature else {
            approved.signature = "none"
            return
        }
        let keys = layout.config.approvers
        guard keys.file(for: method) != nil else {
            approved.signature = "bad: signed with \(method.rawValue), but no approvals key of that kind is configured"
            return
        }
        do {
            let (home, allowedSigners) = try ReleaseInspector(git: git, layout: layout).prepareKeys(method, keys: keys)
            let (good, report) = try await git.verifySignature(of: commit, type: .commit, in: layout.root, allowedSigners: allowedSigners, gnupgHome: home)
            if good, let signer = SignatureRecord.signer(in: report, method: method) {
                approved.signature = "good"
                approved.signer = signer.signer
                approved.key = signer.key
            } else {
                approved.signature = "bad: " + SignatureRecord.refusal(in: report)
            }
        } catch {
            approved.signature = "bad: \(error)"
        }
    }
}
