import ArgumentParser
import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// The `slad` command line. Each verb lives in its own file; this type only lists them.
@main
struct Slad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slad",
        abstract: "A rules-driven SLA and escalation daemon for property management.",
        discussion: """
        slad loads service promises from rule files (rules/*.sla), watches pending tickets, and escalates \
        overdue ones. Start with 'slad check' to validate rules; see slad.sla(5) or docs/rules.md for the \
        language and docs/operations.md (installed: /usr/share/doc/slad/operations.md) for running it as a \
        service.

        Exit status (each command's --help says more): 0 success; 1 the input or the rules have errors, a \
        test failed, or the daemon refused a request; 2 a file or the daemon could not be read or reached; \
        64 a bad option or argument. 'slad serve' also: 65 the database is from a newer slad; 73 the state \
        folder cannot be written; 74 the database cannot be read; 75 another slad holds the state folder or \
        the database is locked; 78 the rules (or the action pages' configuration) have errors.
        """,
        version: SladVersion.current,
        subcommands: [CheckCommand.self, ExplainCommand.self, ServeCommand.self, TicketCommand.self, IncidentCommand.self, OutboxCommand.self, ImportCommand.self, CalendarCommand.self, DemoCommand.self, TestCommand.self, SimulateCommand.self, ReportCommand.self, RouteCommand.self, BackupCommand.self, RestoreCommand.self, StoreCommand.self, PruneCommand.self]
    )

    static func main() async {
        // A write to a pipe or socket whose reader is gone (an exec channel's program that exits without
        // reading its input, a client that hung up) must be an error to handle, not a signal that ends
        // the daemon.
        signal(SIGPIPE, SIG_IGN)
        // Swift concurrency's tasks run on SwiftNIO's event loops, where the HTTP server, the webhook client
        // and the SMTP client already do their I/O: a delivery's request, its answer and the task awaiting it
        // stay on one thread instead of crossing between the concurrency pool and the loops at every step
        // (docs/adr/0029). Installed before the first task is enqueued. SLAD_EXECUTOR=dispatch keeps the
        // runtime's own pool: a way back, and the other half of the benchmark's comparison.
        if getenv("SLAD_EXECUTOR").map({ String(cString: $0) }) != "dispatch" {
            NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

enum SladVersion {
    static let current = "0.1.0"
}
