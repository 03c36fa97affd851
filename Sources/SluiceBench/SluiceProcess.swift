import Foundation
import SluiceKit

/// The `sluice` binary measured as a whole process, as cron and an operator run it.
struct SluiceProcess {
    /// One command, best of N runs.
    struct Run: Codable {
        /// Wall-clock seconds, best of the runs.
        var seconds: Double
        /// The peak resident memory of the process (`/usr/bin/time`'s maximum RSS), in MB, of the best run.
        var peakMB: Double?
        /// The pass's phases, for `reconcile --json`.
        var phases: PassPhases?
    }

    var executable: String
    var scratch: String

    /// Runs `sluice <command> <arguments>` with its standard output in a file; the best of
    /// `repeats` runs.
    func run(_ command: String, _ options: [String], repeats: Int) async throws -> Run {
        let arguments = [command] + options
        let output = scratch + "/process-output"
        let timeFile = scratch + "/process-time"
        let hasTime = FileManager.default.isExecutableFile(atPath: "/usr/bin/time")
        let command = (hasTime ? "/usr/bin/time -f %M -o \(timeFile) " : "") + ([executable] + arguments).joined(separator: " ") + " > \(output)"
        var bestRun: Run?
        for _ in 0..<max(1, repeats) {
            let (_, seconds) = try await measure { try await shell(command) }
            var run = Run(seconds: seconds)
            if hasTime, let text = try? String(contentsOfFile: timeFile, encoding: .utf8),
               let kilobytes = Double(text.split(separator: "\n").last.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? "") {
                run.peakMB = kilobytes / 1024
            }
            if arguments.first == "reconcile", let data = FileManager.default.contents(atPath: output) {
                run.phases = try? JSONDecoder().decode(PhasesOnly.self, from: data).phases
            }
            if bestRun.map({ seconds < $0.seconds }) ?? true { bestRun = run }
        }
        guard let bestRun else { throw BenchError("no run of \(arguments)") }
        return bestRun
    }

    private struct PhasesOnly: Decodable { var phases: PassPhases? }

    /// The memory of `sluice serve` on `root`: the steady `VmRSS` after its third pass and its `VmHWM`.
    func serveMemory(root: String) async throws -> (rssMB: Double, peakMB: Double, passes: Int) {
        let statusFile = root + "/.sluice/" + ServeStatus.fileName
        try? FileManager.default.removeItem(atPath: statusFile)
        let runner = ProcessRunner(
            .path(executable), ["serve", "--root", root, "--listen", "127.0.0.1:0", "--interval", "1", "--no-apply", "--log-level", "error"],
            timeout: .seconds(1800), output: .discard, errorLimit: 64 * 1024)
        let (memory, _) = try await runner.withRunning { process in
            defer { process.signal(SIGTERM) }
            let pid = "\(process.identifier)"
            let deadline = ContinuousClock.now + .seconds(1800)
            while ContinuousClock.now < deadline {
                if let data = FileManager.default.contents(atPath: statusFile),
                   let status = try? JSONDecoder().decode(PassCount.self, from: data), status.passes >= 3 {
                    guard let rss = procStatusMB("VmRSS", pid: pid), let peak = procStatusMB("VmHWM", pid: pid) else { break }
                    return (rss, peak, status.passes)
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            throw BenchError("sluice serve did not finish three passes")
        }
        return memory
    }

    private struct PassCount: Decodable { var passes: Int }
}
