import ArgumentParser
import Foundation
import SluiceKit
import SluiceService

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run as a service: reconcile on a schedule and on webhooks, apply approvals, serve metrics and the admin API.",
        discussion: """
        Passes at start, then every --interval seconds (with 10% jitter); a signed Gitea or GitHub \
        tag or push webhook starts a pass over that repository's subscriptions at once. Files \
        moved into updates/approved/ are applied within a second or two (--no-apply leaves that \
        to someone else). SIGTERM or SIGINT stops it: the HTTP listener first, then the loops; \
        an update being applied is finished, a pass in flight is stopped (the next start redoes \
        it), requests still open after --shutdown-timeout seconds are dropped. Exit status 0 \
        after such a stop. At most --max-connections connections are open at once; more are \
        closed at once. See spec/service.md.

        Secrets: --webhook-secret-file or SLUICE_WEBHOOK_SECRET (without one the hook endpoints \
        answer 503); --admin-token-file or SLUICE_ADMIN_TOKEN (without one the admin API \
        answers 503).

        Example:
          sluice serve --root /srv/workspaces --log-level info
          sluice serve --listen 127.0.0.1:0 --interval 60 --no-apply
        """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Address to listen on; port 0 picks a free port, written to <state>/serve.port.", valueName: "host:port"))
    var listen = "127.0.0.1:8735"

    @Option(help: ArgumentHelp("Seconds between scheduled passes (before jitter).", valueName: "seconds"))
    var interval = 300

    @Option(help: ArgumentHelp("Seconds a connection may stay silent, also mid-request, before it is closed.", valueName: "seconds"))
    var idleTimeout = 30

    @Option(help: ArgumentHelp("Most connections open at once; more are closed as soon as they are accepted.", valueName: "count"))
    var maxConnections = 256

    @Option(help: ArgumentHelp("Seconds a stop waits for open requests before it drops them (an apply in progress still finishes).", valueName: "seconds"))
    var shutdownTimeout = 10

    @Flag(help: "Do not apply approved files; leave that to 'sluice apply'.")
    var noApply = false

    @Option(help: ArgumentHelp("File holding the webhook secret (else SLUICE_WEBHOOK_SECRET).", valueName: "path"))
    var webhookSecretFile: String?

    @Option(help: ArgumentHelp("File holding the admin API's bearer token (else SLUICE_ADMIN_TOKEN).", valueName: "path"))
    var adminTokenFile: String?

    func validate() throws {
        do { _ = try ServeConfiguration.parseListen(listen) } catch { throw ValidationError(error.description) }
        guard (1...86400).contains(interval) else {
            throw ValidationError("--interval \(interval) is out of range; give seconds between 1 and 86400")
        }
        guard (1...3600).contains(idleTimeout) else {
            throw ValidationError("--idle-timeout \(idleTimeout) is out of range; give seconds between 1 and 3600")
        }
        guard (1...65536).contains(maxConnections) else {
            throw ValidationError("--max-connections \(maxConnections) is out of range; give a count between 1 and 65536")
        }
        guard (0...3600).contains(shutdownTimeout) else {
            throw ValidationError("--shutdown-timeout \(shutdownTimeout) is out of range; give seconds between 0 and 3600")
        }
    }

    @Option(help: ArgumentHelp("Serve only this share of the workspaces (K/N); with a StatefulSet, K is the pod ordinal + 1.", valueName: "K/N"))
    var shard: Shard?

    @Flag(help: "The root is a git working copy: pull its upstream branch before each pass (and on a push webhook for it), commit and push the queue after passes and applies (spec/gitops.md).")
    var git = false

    func run() async throws {
        let logger = global.logger()
        let layout = try global.layout()
        var configuration = ServeConfiguration()
        do {
            (configuration.host, configuration.port) = try ServeConfiguration.parseListen(listen)
            configuration.webhookSecret = try ServeConfiguration.secret(file: webhookSecretFile, variable: "SLUICE_WEBHOOK_SECRET")
            configuration.adminToken = try ServeConfiguration.secret(file: adminTokenFile, variable: "SLUICE_ADMIN_TOKEN")
        } catch {
            Output.error(error.description)
            throw ExitCode(2)
        }
        configuration.interval = .seconds(interval)
        configuration.idleTimeout = .seconds(idleTimeout)
        configuration.maxConnections = maxConnections
        configuration.shutdownTimeout = .seconds(shutdownTimeout)
        configuration.apply = !noApply
        configuration.shard = shard
        configuration.gitOps = git
        let server = SluiceServer(layout: layout, git: global.git(layout), logger: logger, configuration: configuration) { line in
            StandardStream.write(line + "\n", to: .error)
        }
        do {
            try await global.guarding { try await server.run() }
        } catch let error as ServiceError {
            Output.error(error.description)
            throw ExitCode(error.isConfiguration ? 2 : 1)
        }
    }
}
