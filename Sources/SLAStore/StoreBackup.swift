import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GRDB
import SLAEngine

/// Online backups of a state folder's database (`slad backup`) and restores into a new folder
/// (`slad restore`). The copy is taken with SQLite's online backup API inside one read transaction, so it
/// is the database as of one commit even while the daemon writes; it is written beside its final name,
/// checked, flushed to disk and renamed, so a backup file is whole or absent.
public enum StoreBackup {
    /// What a backup wrote.
    public struct Report: Sendable {
        public let file: String
        public let bytes: Int
        public let tickets: Int
        public let pendingJobs: Int
        /// The instant recorded in the copy (meta `backup_at`), on the caller's clock.
        public let at: Instant
        /// Older backups removed by rotation.
        public var removed: [String] = []
    }

    public enum Failure: Error, CustomStringConvertible {
        case noDatabase(String)
        case noBackup(String)
        case failed(String)
        case damaged(file: String, problems: [String])
        case refused(String)
        /// The user running the command may not read or write where it must (EX_NOPERM).
        case noPermission(String)
        /// A database this build cannot use as it is (from a newer slad, or not yet migrated).
        case unusable(String)

        public var description: String {
            switch self {
            case let .noDatabase(path): "no database at '\(path)': is --state the folder holding slad.sqlite?"
            case let .noBackup(path): "no backup file at '\(path)'"
            case let .failed(reason): reason
            case let .damaged(file, problems): "the copy '\(file)' fails PRAGMA integrity_check (\(problems.prefix(3).joined(separator: "; "))); it was not kept"
            case let .refused(reason): reason
            case let .noPermission(reason): reason
            case let .unusable(reason): reason
            }
        }

        /// sysexits: 66 no input, 65 bad data, 73 cannot create, 74 I/O, 77 permission denied.
        public var exitCode: Int32 {
            switch self {
            case .noDatabase, .noBackup: 66
            case .damaged, .unusable: 65
            case .refused: 73
            case .failed: 74
            case .noPermission: 77
            }
        }
    }

    /// The database file of a state folder.
    public static func databasePath(folder: String) -> String { (folder as NSString).appendingPathComponent("slad.sqlite") }

    /// Why a state folder's database cannot be opened for reading: missing, or a folder or file the
    /// user running the command may not read (say which, rather than "no database"). Nil when it can.
    public static func unreadableDatabase(folder: String) -> Failure? {
        let path = databasePath(folder: folder)
        if access(path, R_OK) == 0 { return nil }
        let reason = errno
        if reason == EACCES || (access(folder, F_OK) == 0 && access(folder, R_OK | X_OK) != 0) {
            return .noPermission("cannot read '\(path)': permission denied for the user running this command (uid \(getuid())); "
                + "run it as the user slad runs as (sudo -u slad …, or runuser -u slad -- …) or as root")
        }
        return .noDatabase(path)
    }

    /// Why a backup cannot be written at `file`: its folder is missing or not writable by this user.
    static func unwritableDestination(_ file: String) -> Failure? {
        let directory = (file as NSString).deletingLastPathComponent
        let folder = directory.isEmpty ? "." : directory
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            return .refused("cannot write the backup '\(file)': there is no folder '\(folder)' (create it, writable by the user running slad backup)")
        }
        guard access(folder, W_OK | X_OK) == 0 else {
            return .refused("cannot write the backup '\(file)': the folder '\(folder)' is not writable by this user (uid \(getuid())); "
                + "make it writable by the user slad runs as (for example: install -d -o slad -m 0700 \(folder))")
        }
        return nil
    }

    /// Creates `path` empty with mode 0600 (whatever the umask), so that SQLite's copy into it — a state
    /// with residents' names and phone numbers — is never readable by other users, nor its journal.
    static func createPrivate(_ path: String) throws(Failure) {
        unlink(path)
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .failed("cannot create '\(path)': \(String(cString: strerror(errno)))") }
        fchmod(descriptor, 0o600)
        close(descriptor)
    }

    /// Copies the state folder's database to `file` (replacing it atomically), records `now` in the copy
    /// as `backup_at`, and checks the copy before it takes the final name.
    public static func backup(folder: String, to file: String, now: Instant) throws(Failure) -> Report {
        let source = databasePath(folder: folder)
        if let failure = unreadableDatabase(folder: folder) { throw failure }
        if let failure = unwritableDestination(file) { throw failure }
        let directory = (file as NSString).deletingLastPathComponent
        let temporary = (directory.isEmpty ? "." : directory) + "/." + (file as NSString).lastPathComponent + ".partial-\(getpid())"
        defer { for suffix in ["", "-wal", "-shm", "-journal"] { unlink(temporary + suffix) } }
        try createPrivate(temporary)
        do {
            var readonly = Configuration()
            readonly.readonly = true
            readonly.busyMode = .timeout(10)
            let from = try DatabaseQueue(path: source, configuration: readonly)
            let to = try DatabaseQueue(path: temporary)
            try from.backup(to: to)
            let counts = try to.writeWithoutTransaction { db in
                // One file that stands alone: no -wal beside it until slad opens it again.
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                try db.execute(sql: """
                    INSERT INTO meta (key, value) VALUES ('backup_at', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value
                    """, arguments: ["\(now.seconds)"])
                let problems = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                guard problems == ["ok"] else { throw Failure.damaged(file: file, problems: problems) }
                return (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ticket") ?? 0,
                        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE state = 'pending'") ?? 0)
            }
            try to.close()
            try from.close()
            try fsync(path: temporary)
            guard rename(temporary, file) == 0 else { throw Failure.failed("cannot rename the copy to '\(file)': \(String(cString: strerror(errno)))") }
            try fsync(path: directory.isEmpty ? "." : directory)
            let bytes = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            return Report(file: file, bytes: bytes, tickets: counts.0, pendingJobs: counts.1, at: now)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw .failed("the backup of '\(source)' failed: \(error)")
        }
    }

    /// Flushes a file or folder to disk.
    static func fsync(path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure.failed("cannot open '\(path)' to flush it: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        guard Glibc.fsync(descriptor) == 0 else { throw Failure.failed("cannot flush '\(path)': \(String(cString: strerror(errno)))") }
    }

    /// The backup files rotation looks at in `folder`: `slad-YYYYMMDDTHHMMSSZ.sqlite`, oldest first.
    public static func rotatedFiles(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasPrefix("slad-") && $0.hasSuffix("Z.sqlite") }.sorted().map { (folder as NSString).appendingPathComponent($0) }
    }

    /// The name a rotated backup taken at `now` gets (UTC, so that names sort by time).
    public static func rotatedName(at now: Instant) -> String {
        let date = Date(timeIntervalSince1970: TimeInterval(now.seconds))
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return "slad-\(formatter.string(from: date)).sqlite"
    }

    /// Removes all but the newest `keep` rotated backups in `folder`; returns the removed paths.
    public static func rotate(folder: String, keep: Int) -> [String] {
        let files = rotatedFiles(in: folder)
        guard files.count > keep else { return [] }
        let old = Array(files.prefix(files.count - keep))
        for file in old { unlink(file) }
        return old
    }
}

/// Restoring a backup into a state folder (`slad restore`).
public enum StoreRestore {
    /// What to do with the notices that were still pending in the backup: they may have been delivered
    /// after the backup was taken.
    public enum Pending: String, Sendable, CaseIterable {
        /// Send them again with the same idempotency key (receivers that dedupe drop the repeat).
        case resend
        /// Hold them as dead-lettered with a note; `slad outbox retry ID` sends one, `slad outbox` lists them.
        case hold
    }

    public struct Report: Sendable {
        public let backupAt: Instant?
        public let tickets: Int
        public let pending: Int
        public let held: Int
    }

    /// Copies `backup` into `folder` as its database. The folder must not hold a database yet.
    public static func restore(backup: String, into folder: String, pending: Pending, now: Instant) throws(StoreBackup.Failure) -> Report {
        guard FileManager.default.fileExists(atPath: backup) else { throw .noBackup(backup) }
        let target = StoreBackup.databasePath(folder: folder)
        if FileManager.default.fileExists(atPath: target) {
            throw .refused("'\(target)' exists: restore into a new or empty state folder (move the old one aside first)")
        }
        do {
            if !FileManager.default.fileExists(atPath: folder) {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
        } catch {
            throw .refused("cannot create the state folder '\(folder)': \((error as NSError).localizedDescription)")
        }
        let temporary = (folder as NSString).appendingPathComponent(".slad.sqlite.restoring")
        defer { for suffix in ["", "-wal", "-shm", "-journal"] { unlink(temporary + suffix) } }
        guard access(folder, W_OK | X_OK) == 0 else {
            throw .refused("cannot write into the state folder '\(folder)': not writable by this user (uid \(getuid()))")
        }
        try StoreBackup.createPrivate(temporary)
        do {
            var readonly = Configuration()
            readonly.readonly = true
            let from = try DatabaseQueue(path: backup, configuration: readonly)
            let to = try DatabaseQueue(path: temporary)
            try from.backup(to: to)
            try from.close()
            let report = try to.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                let problems = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                guard problems == ["ok"] else { throw StoreBackup.Failure.damaged(file: backup, problems: problems) }
                let at = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'backup_at'").flatMap(Int.init).map(Instant.init(seconds:))
                let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE state = 'pending'") ?? 0
                var held = 0
                if pending == .hold {
                    let note = "held by slad restore: pending when the backup was taken (\(at.map { "\($0.seconds)" } ?? "unknown")), "
                        + "it may have been delivered since; slad outbox retry ID sends it"
                    try db.execute(sql: "UPDATE outbox SET state = 'dead', last_error = ?, updated_at = ? WHERE state = 'pending'",
                                   arguments: [note, now.seconds])
                    held = db.changesCount
                    try db.execute(sql: """
                        INSERT INTO delivery_attempt (outbox_id, subject, ticket_id, channel, attempt, at, result, detail)
                        SELECT id, subject, ticket_id, channel, attempts, ?, 'held', 'slad restore' FROM outbox WHERE state = 'dead' AND last_error = ?
                        """, arguments: [now.seconds, note])
                }
                try db.execute(sql: """
                    INSERT INTO meta (key, value) VALUES ('restored_at', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value
                    """, arguments: ["\(now.seconds)"])
                try db.execute(sql: "INSERT INTO audit (at, actor, action, detail) VALUES (?, 'slad restore', 'store.restore', ?)",
                               arguments: [now.seconds, "from \(backup); pending notices: \(pending.rawValue) (\(count))"])
                return Report(backupAt: at, tickets: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ticket") ?? 0, pending: count, held: held)
            }
            try to.close()
            try StoreBackup.fsync(path: temporary)
            guard rename(temporary, target) == 0 else { throw StoreBackup.Failure.failed("cannot rename the restored copy to '\(target)': \(String(cString: strerror(errno)))") }
            try StoreBackup.fsync(path: folder)
            return report
        } catch let failure as StoreBackup.Failure {
            throw failure
        } catch {
            throw .failed("the restore from '\(backup)' failed: \(error)")
        }
    }
}
