import Foundation
import Testing
import SluiceTestSupport

/// The committed manual pages in docs/man (scripts/generate-docs.sh): one per command the binary
/// lists, no `sluice.help(1)`, EXIT STATUS from spec/exit-codes.md, no groff warnings, current.
@Suite struct ManPageTests {
    static let root = (try? CommandLineTests.repositoryRoot()) ?? FileManager.default.currentDirectoryPath
    static var manFolder: String { root + "/docs/man" }

    /// The page files in docs/man, by name (`sluice.1`, `sluice.apply.1`…).
    static func pages() -> [String] {
        listFolder(manFolder).filter { $0.hasSuffix(".1") }.sorted()
    }

    /// The subcommands `sluice --help` lists (ArgumentParser's own `help` has no page).
    static func listedSubcommands() async throws -> [String] {
        let help = try await Shell.sluice(["--help"])
        #expect(help.status == 0)
        var names: [String] = []
        var inSubcommands = false
        for line in help.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("SUBCOMMANDS:") { inSubcommands = true; continue }
            guard inSubcommands else { continue }
            if !line.isEmpty, !line.hasPrefix(" ") { break }
            // "  name   abstract"; continuation lines of an abstract are indented further.
            guard line.hasPrefix("  "), !line.hasPrefix("   "),
                  let name = line.dropFirst(2).split(separator: " ").first else { continue }
            if name != "See", name != "help" { names.append(String(name)) }
        }
        return names
    }

    /// The tables of spec/exit-codes.md: `general` (before "## Per command") and, per command
    /// named by `sluice <command>` in a `###` heading, that heading's table.
    static func specExitCodes() throws -> (general: [Int], perCommand: [String: [Int]]) {
        var general: [Int] = []
        var perCommand: [String: [Int]] = [:]
        var inGeneral = false
        var covered: [String] = []
        for line in try readFile(root + "/spec/exit-codes.md").split(separator: "\n") {
            if line.hasPrefix("# ") { inGeneral = true; continue }
            if line.hasPrefix("## Per command") { inGeneral = false; continue }
            if line.hasPrefix("##") {
                inGeneral = false
                covered = line.matches(of: /`sluice ([a-z-]+)/).map { String($0.output.1) }
                continue
            }
            guard let row = line.wholeMatch(of: /\| *([0-9]+) *\|.*/), let code = Int(row.output.1) else { continue }
            if inGeneral { general.append(code) }
            for command in covered { perCommand[command, default: []].append(code) }
        }
        return (general, perCommand)
    }

    /// The codes of a page's EXIT STATUS list (`.It <code>`), nil when it has no such section.
    static func exitStatusCodes(of page: String) -> [Int]? {
        let lines = page.split(separator: "\n")
        guard let start = lines.firstIndex(of: ".Sh \"EXIT STATUS\"") else { return nil }
        return lines[(start + 1)...].prefix { !$0.hasPrefix(".Sh ") }.compactMap { line in
            line.wholeMatch(of: /\.It ([0-9]+)/).flatMap { Int($0.output.1) }
        }
    }

    @Test func everyListedSubcommandHasAPageAndNoOtherPageExists() async throws {
        let subcommands = try await Self.listedSubcommands()
        #expect(subcommands.contains("sync"))
        #expect(subcommands.contains("hold"))
        #expect(subcommands.contains("unhold"))
        let expected = (["sluice.1"] + subcommands.map { "sluice.\($0).1" }).sorted()
        #expect(Self.pages() == expected, "run scripts/generate-docs.sh")
        let top = try readFile(Self.manFolder + "/sluice.1")
        for command in subcommands {
            #expect(top.contains(".Xr sluice.\(command) 1"), "SEE ALSO of sluice.1 lacks \(command)")
        }
    }

    @Test func noPageMentionsTheHelpCommandsPage() throws {
        for page in Self.pages() {
            #expect(!(try readFile(Self.manFolder + "/" + page)).contains("sluice.help"), "\(page)")
        }
        #expect(!FileManager.default.fileExists(atPath: Self.manFolder + "/sluice.help.1"))
    }

    @Test func exitStatusSectionsHaveTheCodesOfTheSpec() throws {
        let spec = try Self.specExitCodes()
        #expect(spec.general == [0, 1, 2, 64])
        #expect(Self.exitStatusCodes(of: try readFile(Self.manFolder + "/sluice.1")) == spec.general)
        for page in Self.pages() where page != "sluice.1" {
            let command = String(page.dropFirst("sluice.".count).dropLast(".1".count))
            let text = try readFile(Self.manFolder + "/" + page)
            #expect(Self.exitStatusCodes(of: text) == spec.perCommand[command] ?? spec.general, "\(page)")
            #expect(!text.contains(".Ex -std"), "\(page)")
        }
        // The commands the spec gives a table of their own (a typo in a heading would fall back silently).
        #expect(Set(spec.perCommand.keys).isSuperset(of: ["reconcile", "apply", "sync", "hold", "unhold", "approve", "reject", "check"]))
    }

    static let groff = ["/usr/bin/groff", "/usr/local/bin/groff"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: groff != nil, "groff is not installed"))
    func groffReportsNoWarnings() async throws {
        let pages = Self.pages().map { Self.manFolder + "/" + $0 }
        // -P-cbou: plain text (no SGR escapes, no overstriking), so the output can be searched.
        let result = try await Shell.run(try #require(Self.groff), ["-ww", "-man", "-Tutf8", "-P-cbou"] + pages)
        #expect(result.status == 0)
        #expect(result.stderr == "", "groff -ww -man -Tutf8 docs/man/*.1")
        #expect(result.stdout.contains("EXIT STATUS"))
    }

    /// ArgumentParser's generate-manual tool, when a run of the plugin (scripts/generate-docs.sh)
    /// left it built under .build; a fresh clone has none (the plugin cannot run inside `swift
    /// test`: SwiftPM holds the build folder).
    static let generateManual: String? = {
        let build = URL(fileURLWithPath: Shell.sluiceBinary).deletingLastPathComponent().deletingLastPathComponent().path
        let candidates = ["/debug/generate-manual", "/plugins/tools/debug/generate-manual", "/plugins/tools/release/generate-manual"]
            .flatMap { [build + $0, root + "/.build" + $0] }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Drops the date (`.Dd`), which the script keeps from the committed page when nothing else changed.
    static func undated(_ page: String) -> String {
        page.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix(".Dd ") }.joined(separator: "\n")
    }

    /// What scripts/generate-docs.sh does, byte for byte but the date: generate-manual on the
    /// built binary into a temporary folder, the script's post-processing, then compare.
    @Test(.enabled(if: generateManual != nil, "generate-manual is not built (run scripts/generate-docs.sh once)"))
    func committedManPagesAreCurrent() async throws {
        try await withTemporaryFolder { dir in
            let generated = try await Shell.run(try #require(Self.generateManual), [Shell.sluiceBinary, "--multi-page", "--output-directory", dir])
            #expect(generated.status == 0, "\(generated.stderr)")
            let post = try await Shell.run("/bin/bash", [Self.root + "/scripts/generate-docs.sh", "--postprocess-man", dir])
            #expect(post.status == 0, "\(post.stderr)")
            let fresh = listFolder(dir).filter { $0.hasSuffix(".1") }.sorted()
            #expect(fresh == Self.pages(), "run scripts/generate-docs.sh")
            for page in fresh where Self.pages().contains(page) {
                #expect(Self.undated(try readFile(Self.manFolder + "/" + page)) == Self.undated(try readFile(dir + "/" + page)),
                        "\(page) is stale: run scripts/generate-docs.sh")
            }
        }
    }

    /// Without generate-manual: each page's options and abstract are those the binary describes
    /// (`--experimental-dump-help`, what generate-manual reads), so a new or renamed option or a
    /// changed abstract makes the committed pages stale even where the full comparison cannot run.
    @Test func pagesHaveTheOptionsAndAbstractOfTheirCommand() async throws {
        let dump = try await Shell.sluice(["--experimental-dump-help"])
        #expect(dump.status == 0)
        let tool = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        let top = try #require(tool["command"] as? [String: Any])
        let commands = [("sluice.1", top)] + ((top["subcommands"] as? [[String: Any]]) ?? []).compactMap { command in
            (command["commandName"] as? String).flatMap { $0 == "help" ? nil : ("sluice.\($0).1", command) }
        }
        #expect(commands.count == Self.pages().count)
        for (page, command) in commands {
            let text = try readFile(Self.manFolder + "/" + page)
            var options = Set<String>()
            for argument in (command["arguments"] as? [[String: Any]]) ?? [] where (argument["shouldDisplay"] as? Bool) ?? true {
                for name in (argument["names"] as? [[String: Any]]) ?? [] where (name["kind"] as? String) == "long" {
                    if let long = name["name"] as? String { options.insert(long) }
                }
            }
            let listed = Set(text.matches(of: /(?m)^\.It Fl (?:[A-Za-z] , )?-([a-z0-9-]+)/).map { String($0.output.1) })
            #expect(listed == options, "\(page): options differ from the binary's; run scripts/generate-docs.sh")
            if let abstract = command["abstract"] as? String {
                #expect(text.contains(".Nd \"\(abstract)\""), "\(page): abstract differs; run scripts/generate-docs.sh")
            }
        }
    }
}
