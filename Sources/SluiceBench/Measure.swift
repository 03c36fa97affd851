import CSluice
import Foundation
import SluiceKit

/// Wall-clock seconds of `body`.
func measure<T>(_ body: () async throws -> T) async rethrows -> (T, Double) {
    let start = ContinuousClock.now
    let value = try await body()
    return (value, start.secondsElapsed)
}

/// The best (lowest) wall-clock seconds of `repeats` runs of `body`, with the value of that run.
func best<T>(of repeats: Int, _ body: () async throws -> T) async rethrows -> (T, Double) {
    var result = try await measure(body)
    for _ in 1..<max(1, repeats) {
        let next = try await measure(body)
        if next.1 < result.1 { result = next }
    }
    return result
}

/// Runs a fixture-building shell command; returns its standard output.
@discardableResult
func shell(_ command: String) async throws -> String {
    let result = try await ProcessRunner(.path("/bin/sh"), ["-c", command], timeout: .seconds(3600), output: .text(limit: 1 << 26)).run()
    guard result.status == .exited(0) else { throw BenchError("failed: \(command)\n\(result.standardError)") }
    return result.standardOutput
}

/// A field of `/proc/<pid>/status` in MB (`VmHWM`, `VmRSS`), or nil where there is none.
func procStatusMB(_ field: String, pid: String = "self") -> Double? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
          let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
    return kilobytes / 1024
}

/// The peak resident memory since the last `resetPeak()` (Linux `VmHWM`), or since start.
func peakResidentMB() -> Double {
    if let peak = procStatusMB("VmHWM") { return peak }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// Resets the peak so that generating the synthetic root does not count (Linux only).
func resetPeak() {
    try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
}

/// `syncfs(2)` on the filesystem that holds `path`.
func syncFilesystem(of path: String) throws {
    let fd = open(path, O_RDONLY | O_DIRECTORY)
    guard fd >= 0 else { throw BenchError("cannot open \(path)") }
    defer { close(fd) }
    guard csluice_syncfs(fd) == 0 else { throw BenchError("syncfs failed on \(path)") }
}

/// Writes `command` to the `perf record --control fifo:` named by `SLUICE_BENCH_PERF_CONTROL`,
/// so that a profile covers only the measured phase (`perf record -D -1 --control fifo:ctl`).
func perfControl(_ command: String) {
    guard let path = ProcessInfo.processInfo.environment["SLUICE_BENCH_PERF_CONTROL"] else { return }
    let fd = open(path, O_WRONLY)
    guard fd >= 0 else { return }
    let line = command + "\n"
    _ = line.withCString { write(fd, $0, strlen($0)) }
    close(fd)
}
