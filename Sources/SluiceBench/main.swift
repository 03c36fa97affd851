import Foundation
import Logging
import SluiceKit

// sluice-bench: a synthetic root of W workspaces x P subscriptions over S sources, and a second
// root of R workspaces where every plugin has a new release, measured against I/O floors taken
// in the same run. Build in release mode; the quick form:
//   swift build -c release --product sluice && swift build -c release --product sluice-bench
//   .build/release/sluice-bench --workspaces 1000 --release-workspaces 300 --fanout 100
// Prints a table and writes JSON (--out). Not part of `swift test`.

let options = try Options(CommandLine.arguments)
let scratch = options.dir ?? (FileManager.default.temporaryDirectory.path + "/sluice-bench-\(getpid())")
try? FileManager.default.removeItem(atPath: scratch)
try FileManager.default.createDirectory(atPath: scratch + "/upstream", withIntermediateDirectories: true)
defer { if options.dir == nil { try? FileManager.default.removeItem(atPath: scratch) } }
let logger: Logger = {
    var logger = Logger(label: "bench")
    logger.logLevel = .critical
    return logger
}()
let binary = options.sluice ?? (URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path + "/sluice")
let sluice: SluiceProcess? = FileManager.default.isExecutableFile(atPath: binary) ? SluiceProcess(executable: binary, scratch: scratch) : nil
if sluice == nil { print("no sluice binary at \(binary) (build it, or pass --sluice): the process rows are left out") }
let repeats = options.repeats

print("generating \(options.sources) sources x \(options.tags) tags ...")
let upstream = try await SyntheticUpstream(scratch: scratch, sources: options.sources, tags: options.tags)
print("generating \(options.workspaces) workspaces x \(options.plugins) subscriptions ...")
let root = try SyntheticRoot(path: scratch + "/root", workspaces: options.workspaces, plugins: options.plugins, upstream: upstream, released: false)
let layout = try RootLayout.load(root: root.path)
let counter = GitCounter()
let git = Git(transports: [.file], counter: counter)
func reconciler(_ layout: RootLayout) -> Reconciler { Reconciler(layout: layout, git: git, logger: logger) }
func bestFloor(_ body: () throws -> Double) rethrows -> Double {
    var value = Double.infinity
    for _ in 0..<repeats { value = min(value, try body()) }
    return value
}
/// The best of `repeats` passes, each by a fresh reconciler (a cold process), after `prepare`.
func coldPasses(_ layout: RootLayout, prepare: () throws -> Void = {}) async throws -> (ReconcileReport, Double) {
    var bestPass: (ReconcileReport, Double)?
    for _ in 0..<repeats {
        try prepare()
        let pass = try await measure { try await reconciler(layout).run() }
        if bestPass.map({ pass.1 < $0.1 }) ?? true { bestPass = pass }
    }
    guard let bestPass else { throw BenchError("no pass") }
    return bestPass
}

print("measuring ...")
FreeMemory.release()
resetPeak()
let baselineResident = procStatusMB("VmRSS")
if let pause = ProcessInfo.processInfo.environment["SLUICE_BENCH_PAUSE"].flatMap(Double.init) {
    // For attaching a profiler to the measured phases only.
    FileHandle.standardError.write(Data("pid \(getpid()) pausing \(pause) s\n".utf8))
    try await Task.sleep(for: .seconds(pause))
}
var result = BenchResult(
    workspaces: options.workspaces, plugins: options.plugins, sources: options.sources, tags: options.tags, fanout: options.fanout,
    releaseWorkspaces: options.releaseWorkspaces, repeats: repeats,
    floorSeconds: 0, coldPassSeconds: 0, coldRatio: 0, driftPassSeconds: 0, driftQueued: 0,
    secondFloorSeconds: 0, secondPassSeconds: 0, secondRatio: 0, gitProcessesColdPass: 0, gitProcessesSecondPass: 0,
    fanoutSeconds: 0, fanoutFloorSeconds: 0, fanoutRatio: 0, fanoutFetches: 0, peakResidentMB: 0)

// 1. Cold pass, empty queue: a fresh reconciler each time, against reading manifests and stamps.
_ = Floors.read(root.inputFiles)  // warm the page cache, so that the pass and its floor read from the same cache
let inputsFloor = bestFloor { Floors.read(root.inputFiles) }
let gitBefore = counter.total
let (_, firstColdSeconds) = try await measure { try await reconciler(layout).run() }
result.gitProcessesColdPass = counter.total - gitBefore
let (cold, coldSeconds) = try await coldPasses(layout)
precondition(cold.queued.isEmpty && !cold.hasFailures, "the cold pass found drift or failures: \(cold.summary)")
result.floorSeconds = inputsFloor
result.coldPassSeconds = min(firstColdSeconds, coldSeconds)
result.coldRatio = result.coldPassSeconds / inputsFloor
result.floors["readInputs"] = inputsFloor
result.rows["coldPass"] = .init(seconds: result.coldPassSeconds, floor: inputsFloor, target: "<= 2x", phases: cold.phases)

// 2. 10% of the subscriptions drift (their stamps move back one tag); a fresh reconciler writes
// one pending file each. Before each repeat the queue is emptied and synced.
var drifted = 0
for workspace in 0..<root.workspaces {
    for plugin in 0..<root.plugins where (workspace * root.plugins + plugin) % 10 == 0 {
        try upstream.stampText(plugin, source: root.sourceIndex(workspace, plugin), latest: false)
            .write(toFile: root.stampPath(workspace, plugin), atomically: true, encoding: .utf8)
        drifted += 1
    }
}
let (drift, driftSeconds) = try await coldPasses(layout) {
    for name in (try? FileManager.default.contentsOfDirectory(atPath: root.pending)) ?? [] where name.hasSuffix(".yaml") {
        try FileManager.default.removeItem(atPath: root.pending + "/" + name)
    }
    if FileManager.default.fileExists(atPath: root.pending) { try syncFilesystem(of: root.pending) }
}
precondition(drift.queued.count == drifted, "expected \(drifted) queued, got \(drift.queued.count)")
let pendingNames = try FileManager.default.contentsOfDirectory(atPath: root.pending).filter { $0.hasSuffix(".yaml") }
let pendingBytes = pendingNames.reduce(0) { $0 + (FileManager.default.contents(atPath: root.pending + "/" + $1)?.count ?? 0) }
let writeFloor = try bestFloor { try Floors.write(count: drifted, size: pendingBytes / max(1, pendingNames.count), into: scratch + "/floor-writes") }
result.driftPassSeconds = driftSeconds
result.driftQueued = drift.queued.count
result.floors["writePending"] = writeFloor
result.rows["driftPass"] = .init(seconds: driftSeconds, floor: inputsFloor + writeFloor, target: "<= 2x", phases: drift.phases)

// 3. Cold pass with the drift queued (nothing to change): the floor also reads the queue.
_ = Floors.readQueue(root.pending)
let queueFloor = bestFloor { Floors.readQueue(root.pending) }
result.floors["readQueue"] = queueFloor
let (coldQueue, coldQueueSeconds) = try await coldPasses(layout)
precondition(coldQueue.queued.isEmpty && coldQueue.unchanged == drifted, "the cold pass with a queue changed something: \(coldQueue.summary)")
result.rows["coldPassWithQueue"] = .init(seconds: coldQueueSeconds, floor: inputsFloor + queueFloor, target: "<= 2x", phases: coldQueue.phases)

// 4. The unchanged pass is what `serve` does every interval: one reconciler, `pass` (which also
// reads pending/ again after the pass), best of --repeat. `secondPass` watches with inotify as
// `serve` does under `watch: auto`; `secondPassStat` is the stat check of `watch: stat` (and of
// roots on network filesystems).
func unchangedPasses(_ warm: Reconciler, drifted: Int) async throws -> (seconds: Double, phases: PassPhases, git: Int, first: (Double, PassPhases)) {
    let ((firstReport, _), firstSeconds) = try await measure { try await warm.pass() }
    var best = (seconds: Double.infinity, phases: PassPhases(), git: 0, first: (firstSeconds, firstReport.phases))
    for _ in 0..<repeats {
        let beforeSecond = counter.total
        let ((second, _), seconds) = try await measure { try await warm.pass() }
        precondition(second.queued.isEmpty && second.unchanged == drifted, "second pass changed something: \(second.summary)")
        if seconds < best.seconds { (best.seconds, best.phases, best.git) = (seconds, second.phases, counter.total - beforeSecond) }
    }
    return best
}
let statPass = try await unchangedPasses(reconciler(layout), drifted: drifted)
let watchedPass = try await unchangedPasses(Reconciler(layout: layout, git: git, logger: logger, watchesChanges: true), drifted: drifted)
result.gitProcessesSecondPass = watchedPass.git
result.secondFloorSeconds = inputsFloor
result.secondPassSeconds = watchedPass.seconds
result.secondRatio = watchedPass.seconds / inputsFloor
result.rows["secondPass"] = .init(seconds: watchedPass.seconds, floor: inputsFloor + queueFloor, target: "<= 0.3x", phases: watchedPass.phases)
// The first pass of `serve` reads everything and adds the watches (about 12 per workspace).
result.rows["firstServePass"] = .init(seconds: watchedPass.first.0, floor: inputsFloor + queueFloor, target: "<= 2x", phases: watchedPass.first.1)
result.rows["secondPassStat"] = .init(seconds: statPass.seconds, floor: inputsFloor + queueFloor, target: "<= 0.3x", phases: statPass.phases)
result.peakResidentMB = peakResidentMB()
result.baselineResidentMB = baselineResident

// 5. `sluice reconcile` as a process on that root, with its queue.
if let sluice {
    print("sluice reconcile as a process ...")
    let run = try await sluice.run("reconcile", ["--root", root.path, "--json"], repeats: repeats)
    result.rows["reconcileProcess"] = .init(seconds: run.seconds, floor: inputsFloor + queueFloor, target: "<= 2x", phases: run.phases, peakMB: run.peakMB)
}

// 6. Fan-out: F + 1 new workspaces on v1.0.(T-2) of source 0, one update to v1.0.(T-1) each,
// rolled out as an operator does under the canary gate (spec/lifecycle.md#canary-and-fan-out):
// `approve --canary 1` and `apply` first (not measured; it also fetches the source), then the
// plain `approve` of the other F and the measured `apply`, against F copies of the tree.
if options.fanout > 0 {
    print("fan-out to \(options.fanout) workspaces, after one canary ...")
    let exported = scratch + "/old-tree"
    try await shell("mkdir -p \(exported) && git -C \(scratch)/upstream/src0.git archive \(upstream.older[0]) | tar -x -C \(exported)")
    let oldDigest = try TreeDigest.digest(of: exported)
    for index in 0...options.fanout {
        let folder = root.path + String(format: "/fan/f%05d", index)
        try FileManager.default.createDirectory(atPath: folder + "/plugins", withIntermediateDirectories: true)
        try "plugins:\n  fan:\n    source: \(upstream.url(0))\n    track: tag:latest\n".write(toFile: folder + "/plugins.yaml", atomically: false, encoding: .utf8)
        try FileManager.default.copyItem(atPath: exported, toPath: folder + "/plugins/fan")
        let stamp = Stamp(plugin: "fan", source: upstream.url(0), subpath: nil, track: "tag:latest",
                          ref: "v1.0.\(options.tags - 2)", sha: upstream.older[0], digest: oldDigest, installed: "2026-01-01T00:00:00Z")
        try stamp.encoded().write(toFile: folder + "/plugins/fan/.sluice-stamp.yaml", atomically: false, encoding: .utf8)
    }
    _ = try await reconciler(layout).run()
    let mover = QueueMover(layout: layout, git: git, logger: logger)
    let applier = Applier(layout: layout, git: git, logger: logger)
    let canary = try await mover.move(Selection(plugin: "fan", canary: 1), to: .approved, stage: false, dryRun: false)
    precondition(canary.moved.count == 1, "the canary approval moved \(canary.moved.count) files")
    let canaryApplied = try await applier.run()
    precondition(canaryApplied.items.filter { $0.result == "applied" }.count == 1, canaryApplied.summary)
    // No --force: the gate lets the fan-out through because the canary was applied.
    let moved = try await mover.move(Selection(plugin: "fan"), to: .approved, stage: false, dryRun: false)
    precondition(moved.moved.count == options.fanout, "the fan-out approval moved \(moved.moved.count) files")
    let newTree = scratch + "/new-tree"
    try await shell("mkdir -p \(newTree) && git -C \(scratch)/upstream/src0.git archive \(upstream.latest[0]) | tar -x -C \(newTree)")
    let copyFloor = try bestFloor { try Floors.copy(newTree, count: options.fanout, into: scratch + "/floor-copies", sync: false) }
    let copySyncFloor = try bestFloor { try Floors.copy(newTree, count: options.fanout, into: scratch + "/floor-copies", sync: true) }
    // What each workspace must get at least: its old tree read, the copy, a stamp and an outcome record.
    let fanTrees = (1...options.fanout).map { root.path + String(format: "/fan/f%05d", $0) + "/plugins/fan" }
    let sampleStamp = FileManager.default.contents(atPath: fanTrees[0] + "/" + Stamp.fileName) ?? Data()
    let sampleRecord = (try? FileManager.default.contentsOfDirectory(atPath: root.path + "/updates/applied"))?.first { $0.hasSuffix(".yaml") }
        .flatMap { FileManager.default.contents(atPath: root.path + "/updates/applied/" + $0) } ?? Data()
    let fanOutFloor = try bestFloor { try Floors.fanOut(newTree, oldTrees: fanTrees, into: scratch + "/floor-fanout", stamp: sampleStamp, record: sampleRecord) }
    let fetchesBefore = counter.count("fetch")
    try Floors.settle(root.path)
    perfControl("enable")
    let (applied, fanoutSeconds) = try await measure { try await applier.run() }
    perfControl("disable")
    result.fanoutFetches = counter.count("fetch") - fetchesBefore
    precondition(applied.items.filter { $0.result == "applied" }.count == options.fanout, applied.summary)
    result.fanoutSeconds = fanoutSeconds
    result.fanoutFloorSeconds = copyFloor
    result.fanoutRatio = fanoutSeconds / copyFloor
    result.floors["copyTree"] = copyFloor
    result.floors["copyTreeSyncfs"] = copySyncFloor
    result.floors["fanOutRecords"] = fanOutFloor
    result.rows["fanout"] = .init(seconds: fanoutSeconds, floor: fanOutFloor, target: "<= 2x")
}

// 7. `sluice serve` on that root: its memory after three passes.
if options.serve, let sluice {
    print("sluice serve, three passes ...")
    let memory = try await sluice.serveMemory(root: root.path)
    result.serveRSSMB = memory.rssMB
    result.servePeakMB = memory.peakMB
}

// 8. A second root where every plugin has a new release: R workspaces x P pending files.
if options.releaseWorkspaces > 0 {
    print("generating \(options.releaseWorkspaces) workspaces x \(options.plugins), every plugin released ...")
    let release = try SyntheticRoot(path: scratch + "/release-root", workspaces: options.releaseWorkspaces, plugins: options.plugins, upstream: upstream, released: true)
    let releaseLayout = try RootLayout.load(root: release.path)
    let (released, releaseSeconds) = try await measure { try await reconciler(releaseLayout).run() }
    precondition(released.queued.count == options.releaseWorkspaces * options.plugins, released.summary)
    print(String(format: "  release pass queued %d files in %.2f s", released.queued.count, releaseSeconds))
    result.floors["releaseQueuePass"] = releaseSeconds
    // Generating the root and queuing 30,000 files leaves hundreds of MB to write back: the
    // floors and the processes below start after a `syncfs`, so none shares its cores with that.
    try syncFilesystem(of: release.path)
    _ = Floors.read(release.inputFiles)
    _ = Floors.readQueue(release.pending)
    // `status` also digests every stamped live tree: every file of it read once.
    let liveTrees = release.inputFiles.filter { $0.hasSuffix("/" + Stamp.fileName) }.map { ($0 as NSString).deletingLastPathComponent }
    _ = Floors.readTrees(liveTrees)
    if let sluice { print("sluice reconcile, pending, status as processes ...") }
    // Floors and processes alternate, round by round, and each keeps its best: a floor and the
    // command it is compared with see the same machine (a few seconds of another VM's disk or
    // CPU load otherwise lands on one of them only).
    var releaseInputs = Double.infinity, releaseQueue = Double.infinity, releaseTrees = Double.infinity
    var reconcileRun: SluiceProcess.Run?, pendingRun: SluiceProcess.Run?, statusRun: SluiceProcess.Run?
    func best(_ run: SluiceProcess.Run?, _ next: SluiceProcess.Run) -> SluiceProcess.Run {
        run.map { $0.seconds <= next.seconds ? $0 : next } ?? next
    }
    for _ in 0..<repeats {
        releaseInputs = min(releaseInputs, Floors.read(release.inputFiles))
        releaseQueue = min(releaseQueue, Floors.readQueue(release.pending))
        releaseTrees = min(releaseTrees, Floors.readTrees(liveTrees))
        guard let sluice else { continue }
        reconcileRun = best(reconcileRun, try await sluice.run("reconcile", ["--root", release.path, "--json"], repeats: 1))
        pendingRun = best(pendingRun, try await sluice.run("pending", ["--root", release.path], repeats: 1))
        statusRun = best(statusRun, try await sluice.run("status", ["--root", release.path], repeats: 1))
    }
    result.floors["releaseReadInputs"] = releaseInputs
    result.floors["releaseReadQueue"] = releaseQueue
    result.floors["releaseReadTrees"] = releaseTrees
    if let reconcileRun, let pendingRun, let statusRun {
        result.rows["releaseReconcileProcess"] = .init(seconds: reconcileRun.seconds, floor: releaseInputs + releaseQueue, target: "<= 2x",
                                                        phases: reconcileRun.phases, peakMB: reconcileRun.peakMB)
        result.rows["releasePendingProcess"] = .init(seconds: pendingRun.seconds, floor: releaseQueue, target: "<= 2x", peakMB: pendingRun.peakMB)
        result.rows["releaseStatusProcess"] = .init(seconds: statusRun.seconds, floor: releaseInputs + releaseQueue + releaseTrees, target: "<= 2x", peakMB: statusRun.peakMB)
        result.floors["releaseStatusInputsAndQueue"] = releaseInputs + releaseQueue
    }
}

// The table.
func cell(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
func seconds(_ value: Double) -> String { String(format: "%.3f s", value) }
let queued = drift.queued.count
let releaseFiles = options.releaseWorkspaces * options.plugins
let labels: [(key: String, label: String)] = [
    ("coldPass", "cold pass, no drift"),
    ("coldPassWithQueue", "cold pass, \(queued) files in pending/"),
    ("driftPass", "pass with 10% drift (\(queued) written)"),
    ("firstServePass", "first serve pass (adds the inotify watches)"),
    ("secondPass", "unchanged second pass (serve, inotify)"),
    ("secondPassStat", "unchanged second pass (serve, watch: stat)"),
    ("reconcileProcess", "sluice reconcile process, \(queued) pending"),
    ("fanout", "fan-out to \(options.fanout) workspaces"),
    ("releaseReconcileProcess", "sluice reconcile, \(releaseFiles) pending"),
    ("releasePendingProcess", "sluice pending, \(releaseFiles) pending"),
    ("releaseStatusProcess", "sluice status, \(releaseFiles) pending, trees"),
]
print("")
print(cell("measure", 46) + cell("floor", 11) + cell("result", 11) + cell("ratio", 9) + cell("target", 9) + "peak")
for (key, label) in labels {
    guard let row = result.rows[key] else { continue }
    print(cell(label, 46) + cell(seconds(row.floorSeconds), 11) + cell(seconds(row.seconds), 11) + cell(String(format: "%.2fx", row.ratio), 9)
          + cell(row.target, 9) + (row.peakMB.map { String(format: "%.0f MB", $0) } ?? ""))
}
print(cell("git processes per pass (cold, second)", 46) + "\(result.gitProcessesColdPass), \(result.gitProcessesSecondPass) (S = \(options.sources))")
print(cell("fetches for the fan-out (after the canary)", 46) + "\(result.fanoutFetches)")
print(cell("peak resident memory, in-process passes", 46) + String(format: "%.0f MB", result.peakResidentMB)
      + (result.baselineResidentMB.map { String(format: " (the bench itself before them: %.0f MB)", $0) } ?? ""))
if let rss = result.serveRSSMB, let peak = result.servePeakMB {
    print(cell("sluice serve after 3 passes (VmRSS, VmHWM)", 46) + String(format: "%.0f MB, %.0f MB", rss, peak))
}
if let status = result.rows["releaseStatusProcess"], let trees = result.floors["releaseReadTrees"], let inputs = result.floors["releaseStatusInputsAndQueue"] {
    print(cell("status floor: inputs and queue, live trees", 46) + seconds(inputs) + ", " + seconds(trees)
          + String(format: " (against inputs and queue alone: %.2fx)", status.seconds / max(inputs, 1e-9)))
}
print(cell("old floors: inputs only, copy without sync", 46) + seconds(result.floorSeconds) + ", " + seconds(result.fanoutFloorSeconds))
if let copies = result.floors["copyTreeSyncfs"], let fanout = result.rows["fanout"] {
    print(cell("fan-out against copies + syncfs only", 46) + seconds(copies) + String(format: ", %.2fx", fanout.seconds / copies))
}
print("\nphases (seconds)")
let phaseRows = labels.filter { result.rows[$0.key]?.phases != nil }
print(cell("", 46) + PassPhases().named.map { cell($0.name, 15) }.joined())
for (key, label) in phaseRows {
    guard let phases = result.rows[key]?.phases else { continue }
    print(cell(label, 46) + phases.named.map { cell(String(format: "%.3f", $0.seconds), 15) }.joined())
}
let encoder = JSONEncoder()
encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
try encoder.encode(result).write(to: URL(fileURLWithPath: options.out))
print("\nwrote \(options.out)")
