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

    func run() async throws {
        _ = global.logger()
        let root = Paths.absolute(global.root)
        let result = try RootInitializer.run(root: root)
        for path in result.created { Output.line("created \(path)") }
        for note in result.notes { Output.line("note: \(note)") }
        Output.line("next: add workspaces (folders with a plugins.yaml), check them with 'sluice check --root \(global.root)', then 'sluice reconcile --root \(global.root)'")
    }
}
