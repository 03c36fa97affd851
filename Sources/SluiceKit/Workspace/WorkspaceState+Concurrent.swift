import Foundation

extension WorkspaceState {
    /// The number of workspaces one reading task takes at a time: large enough that scheduling
    /// costs nothing beside the reads, small enough that the cores finish together.
    static let readChunk = 64

    /// Reads `paths` on up to `workers` cores at once, returning the states in the order of
    /// `paths` (so that diagnostics keep their file order) and adding each task's time to `timing`.
    ///
    /// Reading is file I/O and parsing, independent per workspace; ``WorkspaceCache`` is shared
    /// behind its own lock.
    static func read(_ paths: [String], layout: RootLayout, cache: WorkspaceCache, watcher: ChangeWatcher? = nil, workers: Int,
                     timing: inout ReadTiming) async -> [WorkspaceState] {
        guard workers > 1, paths.count > readChunk else {
            return paths.map { read($0, layout: layout, cache: cache, watcher: watcher, timing: &timing) }
        }
        let chunks = stride(from: 0, to: paths.count, by: readChunk).map { paths[$0..<min($0 + readChunk, paths.count)] }
        var results = [[WorkspaceState]](repeating: [], count: chunks.count)
        await withTaskGroup(of: (Int, [WorkspaceState], ReadTiming).self) { group in
            var next = 0
            func start() {
                let index = next
                let chunk = chunks[index]
                next += 1
                group.addTask {
                    var chunkTiming = ReadTiming()
                    let states = chunk.map { read($0, layout: layout, cache: cache, watcher: watcher, timing: &chunkTiming) }
                    return (index, states, chunkTiming)
                }
            }
            while next < min(workers, chunks.count) { start() }
            for await (index, states, chunkTiming) in group {
                results[index] = states
                timing.manifests += chunkTiming.manifests
                timing.stamps += chunkTiming.stamps
                if next < chunks.count { start() }
            }
        }
        return results.flatMap { $0 }
    }

    /// How many cores reading workspaces uses: every active one, at most 8.
    static var readWorkers: Int { min(8, max(1, ProcessInfo.processInfo.activeProcessorCount)) }
}
