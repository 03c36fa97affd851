import ArgumentParser
import Foundation
import SluiceKit

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Lay out a new root: a commented sluice.yaml, the updates/ folders and a .gitignore.",
        discussion: """
        Creates only what is missing; an existing sluice.yaml or .gitignore is never overwritten.

        Example:
          sluice init --root /srv/workspaces
        """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print what was created as JSON.")
    var json = false

    @Flag(help: "The root is a git working copy whose queue Sluice commits (sluice sync, serve --git): also keep plugins/ and claims out of git.")
    var git = false

    /// What `init --json` prints.
    struct Report: Encodable {
        var created: [String]
        var notes: [String]
    }

    func run() async throws {
        _ = global.logger()
        let root = Paths.absolute(global.root)
        let result = try RootInitializer.run(root: root, git: git)
        if json {
            try Output.json(Report(created: result.created, notes: result.notes))
            return
        }
        for path in result.created { Output.line("created \(path)") }
        for note in result.notes { Output.line("note: \(note)") }
        Output.line("next: add workspaces (folders with a plugins.yaml), check them with 'sluice check --root \(global.root)', then 'sluice reconcile --root \(global.root)'")
    }
}
