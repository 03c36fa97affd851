import SluiceKit

/// What the bench writes as JSON (`--out`). The fields of the first benchmark are kept with
/// their meaning (`floorSeconds` reads manifests and stamps only, `fanoutFloorSeconds` copies
/// without syncing) so that old results compare; the floors that count everything a pass must
/// do are beside them.
struct BenchResult: Codable {
    /// One measured row: the result, its floor and their ratio.
    struct Row: Codable {
        var seconds: Double
        var floorSeconds: Double
        var ratio: Double
        var target: String
        /// The phases of an in-process pass, or of `reconcile --json` run as a process.
        var phases: PassPhases?
        /// The process's peak resident memory, in MB.
        var peakMB: Double?

        init(seconds: Double, floor: Double, target: String, phases: PassPhases? = nil, peakMB: Double? = nil) {
            self.seconds = seconds
            self.floorSeconds = floor
            self.ratio = floor > 0 ? seconds / floor : 0
            self.target = target
            self.phases = phases
            self.peakMB = peakMB
        }
    }

    var workspaces: Int, plugins: Int, sources: Int, tags: Int, fanout: Int, releaseWorkspaces: Int, repeats: Int

    // The first benchmark's fields, same meaning.
    var floorSeconds: Double, coldPassSeconds: Double, coldRatio: Double
    var driftPassSeconds: Double, driftQueued: Int
    var secondFloorSeconds: Double, secondPassSeconds: Double, secondRatio: Double
    var gitProcessesColdPass: Int, gitProcessesSecondPass: Int
    var fanoutSeconds: Double, fanoutFloorSeconds: Double, fanoutRatio: Double, fanoutFetches: Int
    var peakResidentMB: Double
    /// The bench's own resident memory before the measured passes (its generated root's lists,
    /// the runtime): part of `peakResidentMB`, not of any pass.
    var baselineResidentMB: Double?

    // Floors that count what must be done.
    var floors: [String: Double] = [:]
    /// Rows by name: `coldPass`, `coldPassWithQueue`, `driftPass`, `secondPass`, `fanout`,
    /// `reconcileProcess`, `releaseReconcileProcess`, `releasePendingProcess`, `releaseStatusProcess`.
    var rows: [String: Row] = [:]
    /// `sluice serve` on the first root after three passes: steady `VmRSS` and `VmHWM`, in MB.
    var serveRSSMB: Double?
    var servePeakMB: Double?
}
