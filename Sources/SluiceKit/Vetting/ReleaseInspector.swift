import Crypto
import Foundation

/// Reads release objects from the root's source caches for the release policy: dates,
/// signatures checked against the root's trusted keys only, and subtrees.
///
/// Every object is fetched into the shared cache once per (source, object); later passes find
/// it there.
public struct ReleaseInspector: Sendable {
    /// The git choke point.
    public let git: Git
    /// The root's layout (cache, state folder, trusted keys).
    public let layout: RootLayout

    /// Creates the inspector of `layout`'s root.
    public init(git: Git, layout: RootLayout) {
        self.git = git
        self.layout = layout
    }

    private var cache: SourceCache { SourceCache(git: git, layout: layout) }

    /// The tag or commit `object` of `source`, fetched into the cache when it is not there yet.
    public func inspect(_ object: String, kind: Git.ObjectKind, source: String) async -> Result<ReleaseObject, ReleaseProblem> {
        do {
            try await cache.fetch(source, sha: object)
            let text = try await git.objectText(object, type: kind, in: cache.path(for: source))
            return .success(ReleaseObject(parsing: text, kind: kind))
        } catch {
            return .failure(ReleaseProblem("cannot read \(kind.rawValue) \(RefPoint.shortSHA(object)) of \(SourceURL.redacted(source)): \(error)"))
        }
    }

    /// Checks that `object` carries a good `mode` signature by one of the root's trusted keys
    /// and, for a tag, that it points at `target`.
    public func verify(_ object: String, kind: Git.ObjectKind, source: String, mode: VerifyMode, pointingAt target: String?) async -> Result<SignatureRecord, ReleaseProblem> {
        if let problem = layout.config.trustedKeys.problem(for: mode) { return .failure(ReleaseProblem(problem)) }
        let inspected: ReleaseObject
        switch await inspect(object, kind: kind, source: source) {
        case .success(let read): inspected = read
        case .failure(let problem): return .failure(problem)
        }
        if let target, kind == .tag, inspected.target != target {
            return .failure(ReleaseProblem("the signed tag points at \(inspected.target.map(RefPoint.shortSHA) ?? "nothing"), not at \(RefPoint.shortSHA(target))"))
        }
        guard let found = inspected.signature else {
            return .failure(ReleaseProblem("the \(kind.rawValue) \(RefPoint.shortSHA(object)) is not signed"))
        }
        guard found == mode else {
            return .failure(ReleaseProblem("the \(kind.rawValue) is signed with \(found.rawValue), but verify is \(mode.rawValue)"))
        }
        let home: String
        let allowedSigners: String?
        do {
            (home, allowedSigners) = try prepareKeys(mode, keys: layout.config.trustedKeys)
        } catch {
            return .failure(error)
        }
        do {
            let (good, report) = try await git.verifySignature(of: object, type: kind, in: cache.path(for: source), allowedSigners: allowedSigners, gnupgHome: home)
            guard good else { return .failure(ReleaseProblem(SignatureRecord.refusal(in: report))) }
            guard let signer = SignatureRecord.signer(in: report, method: mode) else {
                return .failure(ReleaseProblem("git accepted the signature but named no signer: \(SignatureRecord.refusal(in: report))"))
            }
            return .success(SignatureRecord(method: mode, object: kind.rawValue, id: object, signer: signer.signer, key: signer.key))
        } catch {
            return .failure(ReleaseProblem("cannot check the signature: \(error)"))
        }
    }

    /// The tree at `subpath` of `commit` (fetched when missing), or nil when it cannot be read.
    public func treeID(of commit: String, at subpath: String?, source: String) async -> String? {
        guard (try? await cache.fetch(source, sha: commit)) != nil else { return nil }
        return await git.treeID(of: commit, at: subpath, in: cache.path(for: source))
    }

    /// The private GnuPG home and the allowed-signers file for `mode`.
    ///
    /// For `gpg` the home holds only the root's keyring (de-armoured when it is ASCII armour),
    /// one folder per keyring content; for `ssh` the home is empty, so that no OpenPGP signature
    /// verifies.
    func prepareKeys(_ mode: VerifyMode, keys: TrustedKeys) throws(ReleaseProblem) -> (home: String, allowedSigners: String?) {
        let folder = layout.state + "/gnupg"
        var keyring = Data()
        var allowedSigners: String?
        if let file = keys.file(for: mode) {
            let path = layout.root + "/" + file
            guard let data = FileManager.default.contents(atPath: path) else {
                let key = mode == .ssh ? "verify.ssh.allowed-signers" : "verify.gpg.keyring"
                throw ReleaseProblem("cannot read \(key) '\(file)'; check that it exists in the root and is readable")
            }
            if mode == .ssh { allowedSigners = path } else { keyring = OpenPGPArmor.dearmored(data) }
        }
        let name = mode == .gpg ? SHA256.hash(data: keyring).prefix(12).map { String(format: "%02x", $0) }.joined() : "empty"
        let home = folder + "/" + name
        if FileManager.default.fileExists(atPath: home) { return (home, allowedSigners) }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let temporary = folder + "/" + AtomicFile.temporaryPrefix + UUID().uuidString
            try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            if mode == .gpg { try AtomicFile.write(keyring, to: temporary + "/pubring.gpg", mode: 0o600) }
            if rename(temporary, home) != 0 {
                try? FileManager.default.removeItem(atPath: temporary)
                guard FileManager.default.fileExists(atPath: home) else { throw FileSystemError(operation: "create", path: home, errno: errno) }
            }
        } catch {
            throw ReleaseProblem("cannot prepare the private GnuPG home under \(folder): \(error)")
        }
        return (home, allowedSigners)
    }
}

/// Why a release could not be read or did not verify; for the operator.
public struct ReleaseProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The reason.
    public var description: String

    /// Creates a problem.
    public init(_ description: String) {
        self.description = description
    }
}
