import ArgumentParser
import Foundation
import SLADaemon
import SLAEngine
import SLAStore

/// `slad store …`: looking after the state folder's database.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Check the state's database.",
        subcommands: [Check.self]
    )

    /// Prints `message` on standard error and exits with `code`.
    static func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("slad: \(message)\n".utf8))
        Foundation.exit(code)
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify a state: SQLite's integrity check and slad's own invariants.",
            discussion: """
            Opens STATE/slad.sqlite read-only (the daemon may run) and checks, in one read transaction: \
            PRAGMA integrity_check and foreign_key_check; every firing's ticket (or incident) exists; every \
            outbox job's firing exists; every delivery attempt's job exists; and, with the rules the \
            daemon runs (--rules), that each open ticket's next-due instant agrees with a re-evaluation at \
            now, as the escalation loop's scan computes it (a due step with no next-due instant at or \
            before now would never fire). When the daemon last ran other rules, the comparison is skipped \
            (the daemon re-evaluates at its next start).

            Exit status: 0 no findings; 1 findings (listed, at most --limit per check); 65 the database is \
            from a newer slad, or at an older schema; 66 no database in --state; 74 it cannot be read; 77 \
            this user may not read the state (run it as the user slad runs as); 78 the rules have errors.
            """
        )

        @Option(help: "The state folder holding slad.sqlite.")
        var state: String = "/var/lib/slad"

        @Option(help: "Rule files or folders (those the daemon runs; \(RulesLocation.help)).")
        var rules: [String] = ["rules"]

        @Flag(help: "Skip the next-due comparison (no rules needed).")
        var noRules = false

        @Option(help: "Findings listed per check.")
        var limit: Int = 20

        func run() throws {
            var engine: (Engine, String)?
            if !noRules {
                do {
                    engine = try RulesHolder.load(RulesLocation.resolve(rules))
                } catch {
                    StoreCommand.fail("the rules cannot be used: \(error)", code: 78)
                }
            }
            let report: StoreCheck.Report
            do {
                report = try StoreCheck.run(folder: state, engine: engine?.0, rulesVersion: engine?.1, now: SystemClock().now(), limit: max(1, limit))
            } catch {
                StoreCommand.fail(error.description, code: error.exitCode)
            }
            print("\(StoreBackup.databasePath(folder: state)): \(report.tickets) tickets, \(report.firings) firings, \(report.jobs) outbox jobs, \(report.attempts) delivery attempts")
            if let skipped = report.skipped {
                print("next-due instants not compared: \(skipped)")
            } else {
                print("next-due instants compared for \(report.reevaluated) tickets")
            }
            for finding in report.findings { print("FINDING \(finding)") }
            if report.ok {
                print("ok: integrity, references and next-due instants agree")
            } else {
                print("\(report.findings.count) finding(s)")
                throw ExitCode(1)
            }
        }
    }
}
