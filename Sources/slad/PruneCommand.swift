import ArgumentParser
import Foundation
import SLADaemon
import SLAEngine
import SLAStore

/// `slad prune`: retention of closed tickets.
struct PruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Archive and remove tickets closed longer ago than the retention period.",
        discussion: """
        Tickets closed more than --keep-days days ago (default 400: a year of KPIs and its comparison with \
        the year before fits), with their events, firings, outbox jobs, delivery attempts, action links and \
        idempotency keys, are written to STATE/archive/tickets-<UTC time>.jsonl.gz (gzip JSON Lines, one \
        ticket a line with its rows) and then deleted, --batch tickets (default 500) per transaction. A \
        closed ticket with a notice still pending stays until it is delivered or dead. Incidents, the audit \
        trail and KPI alarms are kept.

        It may run while the daemon runs (a systemd timer, or cron, once a day; docs/operations.md, \
        "Retention"): each transaction holds the database's one writer, so it takes fewer tickets than \
        --batch when one takes over about 100 ms, and the escalation loop's scans take turns with it. --dry-run counts what would go and changes nothing.

        Exit status: 0 done (or nothing to do); 73 the state or archive folder cannot be written; 75 the \
        database stays locked; 65 the database is from a newer slad; 74 it cannot be read.
        """
    )

    @Option(help: "The state folder holding slad.sqlite.")
    var state: String = "/var/lib/slad"

    @Option(help: "Keep tickets closed within this many days.")
    var keepDays: Int = 400

    @Option(help: "Tickets per transaction.")
    var batch: Int = 500

    @Option(help: "Where the archive goes. Default: STATE/archive.")
    var archive: String?

    @Flag(help: "Count what would be archived and removed; change nothing.")
    var dryRun = false

    @Option(help: "The IANA time zone the cutoff is shown in (the shipped rules' zone by default).")
    var zone: String = "Asia/Shanghai"

    func validate() throws {
        guard keepDays >= 1 else { throw ValidationError("--keep-days must be at least 1") }
        guard (1...10_000).contains(batch) else { throw ValidationError("--batch takes 1 to 10000 tickets") }
        guard TimeZone(identifier: zone) != nil else { throw ValidationError("--zone \(zone): not a time zone this system knows; write an IANA name such as Asia/Shanghai") }
    }

    func run() async throws {
        let now = SystemClock().now()
        let cutoff = Instant(seconds: now.seconds - keepDays * 86_400)
        let day = Self.localTime(cutoff, zone: zone)
        let store: SQLiteTicketStore
        do {
            store = try SQLiteTicketStore.open(folder: state, exclusive: false)
        } catch {
            StoreCommand.fail(error.description, code: error.exitCode)
        }
        if dryRun {
            let report = try await store.prunePreview(closedBefore: cutoff)
            print("would archive and remove \(report.tickets) tickets closed before \(day): \(Self.parts(report))")
            return
        }
        let folder = archive ?? (state as NSString).appendingPathComponent("archive")
        let report: SQLiteTicketStore.PruneReport
        do {
            report = try await store.prune(closedBefore: cutoff, archiveFolder: folder, batch: batch, now: now)
        } catch {
            // Whole batches only: those before the failure are archived and gone, the rest untouched.
            StoreCommand.fail("prune stopped: \(error); the batches before it are archived and removed, nothing else changed", code: 74)
        }
        if let file = report.archive {
            print("archived to \(file) and removed \(report.tickets) tickets closed before \(day) in \(report.batches) transactions: \(Self.parts(report))")
        } else {
            print("nothing to prune: no ticket closed before \(day) (or each still has a notice pending)")
        }
    }

    /// An instant as an operator reads it: local time in `zone` with its offset (2025-10-30 10:00:00 +08:00).
    static func localTime(_ instant: Instant, zone: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss xxx"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(instant.seconds)))
    }

    static func parts(_ report: SQLiteTicketStore.PruneReport) -> String {
        "\(report.events) events, \(report.firings) firings, \(report.jobs) outbox jobs, \(report.attempts) delivery attempts, \(report.links) action links"
    }
}
