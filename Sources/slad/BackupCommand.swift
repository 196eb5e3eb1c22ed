import ArgumentParser
import Foundation
import SLADaemon
import SLAStore

/// `slad backup`: an online, consistent copy of the state's database.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the state's database to a file, consistently, while the daemon runs.",
        discussion: """
        The copy is taken with SQLite's online backup API inside one read transaction: it is the database \
        as of one commit, taken while the daemon goes on writing (it is not stopped or slowed beyond one \
        read). It is written beside its final name, flushed to disk, checked with PRAGMA integrity_check \
        and renamed, so a backup file is whole or absent. The copy records when it was taken (meta \
        backup_at) and is one file: no -wal beside it.

        With --to FILE, that file (replaced if it exists). Without it, STATE/backups/slad-<UTC time>.sqlite, \
        and all but the newest --keep (default 7) of those are removed. Copy the file off the host \
        afterwards (docs/operations.md, "Backup"): a backup on the same disk does not outlive the disk.

        The file is created mode 0600 (it holds residents' names and phone numbers); its folder must exist \
        and be writable by the user running the command.

        Restore with 'slad restore'. Exit status: 0 copied; 66 no database in --state; 65 the copy fails \
        the integrity check (not kept); 73 the destination's folder is missing or not writable; 74 the \
        copy failed; 77 this user may not read the state (run it as the user slad runs as).
        """
    )

    @Option(help: "The state folder holding slad.sqlite.")
    var state: String = "/var/lib/slad"

    @Option(help: "The backup file to write. Default: STATE/backups/slad-<UTC time>.sqlite, rotated.")
    var to: String?

    @Option(help: "With no --to: how many backups to keep in STATE/backups.")
    var keep: Int = 7

    func run() throws {
        guard keep >= 1 else { throw ValidationError("--keep must be at least 1") }
        let now = SystemClock().now()
        let file: String
        var folder: String?
        if let to {
            file = to
        } else {
            let backups = (state as NSString).appendingPathComponent("backups")
            do {
                try FileManager.default.createDirectory(atPath: backups, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                StoreCommand.fail("cannot create '\(backups)': \((error as NSError).localizedDescription)", code: 73)
            }
            file = (backups as NSString).appendingPathComponent(StoreBackup.rotatedName(at: now))
            folder = backups
        }
        do {
            let report = try StoreBackup.backup(folder: state, to: file, now: now)
            print("backup written: \(report.file) (\(report.bytes) bytes, \(report.tickets) tickets, \(report.pendingJobs) notices pending, integrity ok)")
            if let folder {
                for removed in StoreBackup.rotate(folder: folder, keep: keep) { print("removed old backup \(removed)") }
            }
        } catch {
            StoreCommand.fail(error.description, code: error.exitCode)
        }
    }
}

/// `slad restore`: a backup into a new state folder.
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into a new state folder (the daemon is not running on it).",
        discussion: """
        Copies FILE into --state as slad.sqlite after an integrity check. The folder must not hold a \
        database yet: move the damaged state aside first. Start slad on the folder afterwards; it escalates \
        what fell due since the backup was taken, once.

        Notices that were pending in the backup may have been delivered after it was taken; slad cannot \
        know. --pending resend (the default) sends them again with the idempotency key they had, so a \
        receiver that dedupes (webhooks, SMS gateways that honour the key) drops the repeat; --pending \
        hold dead-letters them with a note instead, for an operator to look at ('slad outbox list --state \
        dead') and send one by one ('slad outbox retry ID'). Steps that fired after the backup fire again \
        on the restored state, with the same key their first notice had (docs/adr/0026-restore-and-notice-keys.md).

        The restored slad.sqlite is mode 0600; give the folder to the user slad runs as before starting \
        it (chown -R slad: FOLDER).

        Exit status: 0 restored; 66 no such backup; 65 it fails the integrity check; 73 the folder \
        already holds a database, cannot be created or is not writable; 74 the copy failed.
        """
    )

    @Argument(help: "The backup file.")
    var file: String

    @Option(help: "The new state folder.")
    var state: String

    @Option(help: "What to do with notices pending in the backup: resend (same idempotency key) or hold (dead-lettered for an operator).",
            completion: .list(StoreRestore.Pending.allCases.map(\.rawValue)))
    var pending: String = StoreRestore.Pending.resend.rawValue

    func run() throws {
        guard let choice = StoreRestore.Pending(rawValue: pending) else {
            throw ValidationError("--pending \(pending): expected one of \(StoreRestore.Pending.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        do {
            let report = try StoreRestore.restore(backup: file, into: state, pending: choice, now: SystemClock().now())
            let taken = report.backupAt.map { PruneCommand.localTime($0, zone: "Asia/Shanghai") } ?? "unknown (not made by slad backup)"
            print("restored \(report.tickets) tickets into \(state) from a backup taken \(taken)")
            switch choice {
            case .resend: print("\(report.pending) notices pending in the backup will be sent again with their idempotency keys")
            case .hold: print("\(report.held) notices pending in the backup are held (dead-lettered): slad outbox list --state dead; slad outbox retry ID")
            }
        } catch {
            StoreCommand.fail(error.description, code: error.exitCode)
        }
    }
}
