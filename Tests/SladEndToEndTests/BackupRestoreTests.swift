import Foundation
import GRDB
import Testing

/// Backup, restore and the clean stop's checkpoint with the real `slad` binary, a real loopback webhook
/// receiver and real SQLite files (docs/operations.md, "Backup" and "Restore").
@Suite(.serialized) struct BackupRestoreTests {
    /// Three notices per ticket within three seconds of its creation, to a webhook.
    static func rules(port: Int) -> String {
        """
        calendar cn { timezone Asia/Shanghai; workdays mon-fri }
        person duty "值班员" { phone "+8613800000009" }
        team desk { members duty; supervisor duty; manager duty }
        channel hook webhook { url "http://127.0.0.1:\(port)/ok/hook"; secret env HOOK_SECRET }
        policy fast "快速" {
          when kind = complaint
          team desk
          clock respond "响应" within 2s until acknowledged
          escalate {
            at respond - 1s notify supervisor via hook
            at respond      notify supervisor via hook
            at respond + 1s notify manager via hook
          }
        }
        """
    }

    static func readOnly(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    static func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("slad-\(name)-\(UUID().uuidString)")
    }

    @Test func aBackupUnderLoadRestoresIntoADaemonThatLosesAndRepeatsNothing() throws {
        let secret = "hook-\(UUID().uuidString)"
        let receiver = try Receiver(secret: secret)
        defer { receiver.stop() }
        let rules = try DaemonProcess.makeRules(Self.rules(port: receiver.port))
        let original = try DaemonProcess(rules: rules, environment: ["HOOK_SECRET": secret])
        try original.start()
        defer { original.signal(SIGKILL) }
        let backup = Self.temporary("backup").appendingPathExtension("sqlite")
        // Tickets keep coming (and their steps keep firing and being delivered) while the backup is taken.
        let count = 40
        nonisolated(unsafe) var backupOutput: Slad.Output?
        let group = DispatchGroup()
        for index in 1...count {
            let reply = try original.post("/v1/tickets", ["id": "B\(index)", "kind": "complaint", "text": "漏水"])
            #expect(reply.status == 201, "\(reply.object)")
            if index == count / 2 {
                group.enter()
                DispatchQueue.global().async {
                    backupOutput = try? Slad.run(["backup", "--state", original.state.path, "--to", backup.path])
                    group.leave()
                }
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        group.wait()
        let output = try #require(backupOutput)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("integrity ok"), "\(output.stdout)")
        // One file that stands alone: no -wal, and slad's invariants hold in it.
        #expect(!FileManager.default.fileExists(atPath: backup.path + "-wal"))
        let (inBackup, backupAt) = try Self.readOnly(backup.path).read { db in
            (Set(try String.fetchAll(db, sql: "SELECT id FROM ticket")), try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'backup_at'"))
        }
        #expect(inBackup.count >= count / 2 && inBackup.count < count, "\(inBackup.count) tickets in the backup")
        #expect(backupAt != nil)
        // The original delivers everything, then stops.
        try original.waitFor("every notice of the original", seconds: 60) { receiver.delivered("/ok/hook").count == 3 * count }
        let live = try Slad.run(["store", "check", "--state", original.state.path, "--rules", rules.path])
        #expect(live.status == 0, "\(live.stdout)\(live.stderr)")
        original.signal(SIGTERM)
        #expect(try original.waitForExit() == 0)
        let before = receiver.requests.count
        let keysOfTheOriginal = Set(receiver.delivered("/ok/hook").keys)

        // Restore into a new folder and start there.
        let restored = Self.temporary("restored")
        let restore = try Slad.run(["restore", backup.path, "--state", restored.path])
        #expect(restore.status == 0, "\(restore.stderr)")
        let again = try Slad.run(["restore", backup.path, "--state", restored.path])
        #expect(again.status == 73, "a restore over a database must be refused: \(again.stdout)\(again.stderr)")
        let daemon = try DaemonProcess(rules: rules, state: restored, environment: ["HOOK_SECRET": secret])
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        // Nothing lost: every ticket of the backup is there and has had each of its three steps, once.
        try daemon.waitFor("every step of the restored tickets", seconds: 60) {
            try daemon.count("SELECT COUNT(*) FROM firing") == 3 * inBackup.count
                && daemon.count("SELECT COUNT(*) FROM outbox WHERE state != 'sent'") == 0
        }
        #expect(try daemon.count("SELECT COUNT(*) FROM ticket") == inBackup.count)
        #expect(try daemon.count("SELECT COUNT(*) FROM (SELECT ticket_id, step FROM firing GROUP BY 1, 2 HAVING COUNT(*) > 1)") == 0)
        // Nothing fired twice: whatever the restored daemon sent again carries the key the original's notice
        // had (a receiver that dedupes drops it), and no notice got a second key.
        let resent = receiver.requests.dropFirst(before).filter { $0.path == "/ok/hook" && $0.status == 200 }.map(\.key)
        #expect(Set(resent).isSubset(of: keysOfTheOriginal), "new keys after the restore: \(Set(resent).subtracting(keysOfTheOriginal))")
        #expect(Set(receiver.delivered("/ok/hook").keys).count == 3 * count)
        // And a key names one notice: never two tickets (row ids reused after a restore would).
        let ticketsByKey = receiver.requests.filter { $0.path == "/ok/hook" }.reduce(into: [String: Set<String>]()) { $0[$1.key, default: []].insert($1.ticket) }
        #expect(ticketsByKey.values.allSatisfy { $0.count == 1 }, "keys naming several tickets: \(ticketsByKey.filter { $0.value.count > 1 })")
        let check = try Slad.run(["store", "check", "--state", restored.path, "--rules", rules.path])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("ok: integrity"), "\(check.stdout)")
    }

    @Test func aCleanStopLeavesTheDatabaseFileStandingAlone() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules())
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        for index in 1...25 {
            #expect(try daemon.post("/v1/tickets", ["id": "W\(index)", "kind": "repair", "text": "灯不亮"]).status == 201)
        }
        // Another process has the database open meanwhile (a monitoring query, a `slad store check`): the
        // daemon's connections are then not the last, and closing them copies nothing out of the -wal.
        let watcher = try Self.readOnly(daemon.state.appendingPathComponent("slad.sqlite").path)
        #expect(try watcher.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ticket") } == 25)
        daemon.signal(SIGTERM)
        #expect(try daemon.waitForExit() == 0)
        defer { try? watcher.close() }
        // Only the .sqlite file, copied elsewhere without its -wal and -shm.
        let elsewhere = Self.temporary("alone")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let copy = elsewhere.appendingPathComponent("slad.sqlite")
        try FileManager.default.copyItem(at: daemon.state.appendingPathComponent("slad.sqlite"), to: copy)
        let tickets = try Self.readOnly(copy.path).read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ticket") }
        #expect(tickets == 25)
    }

    @Test func storeCheckReportsBrokenInvariantsWithExitOne() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules())
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        #expect(try daemon.post("/v1/tickets", ["id": "C1", "kind": "complaint", "text": "漏水"]).status == 201)
        try daemon.waitFor("the first firing", seconds: 20) { try daemon.count("SELECT COUNT(*) FROM firing") >= 1 }
        #expect(try daemon.post("/v1/tickets", ["id": "C2", "kind": "repair", "text": "灯不亮"]).status == 201)
        daemon.signal(SIGTERM)
        #expect(try daemon.waitForExit() == 0)
        let clean = try Slad.run(["store", "check", "--state", daemon.state.path, "--rules", daemon.rules.path])
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        // Break it as a bad hand edit would: a firing whose ticket is gone, a next-due instant moved.
        let queue = try DatabaseQueue(path: daemon.state.appendingPathComponent("slad.sqlite").path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "UPDATE firing SET ticket_id = 'GONE' WHERE id = (SELECT MIN(id) FROM firing)")
            try db.execute(sql: "UPDATE ticket SET next_due = next_due + 600 WHERE id = 'C2'")
        }
        try queue.close()
        let broken = try Slad.run(["store", "check", "--state", daemon.state.path, "--rules", daemon.rules.path])
        #expect(broken.status == 1, "\(broken.stdout)\(broken.stderr)")
        #expect(broken.stdout.contains("orphan_firing: firing"), "\(broken.stdout)")
        #expect(broken.stdout.contains("next_due: ticket C2"), "\(broken.stdout)")
        let missing = try Slad.run(["store", "check", "--state", Self.temporary("none").path, "--no-rules"])
        #expect(missing.status == 66, "\(missing.stderr)")
    }

    @Test func aRestoreCanHoldTheNoticesPendingInTheBackup() throws {
        // A receiver that is not there: the notices stay pending in the state that is backed up.
        let rules = try DaemonProcess.makeRules(Self.rules(port: 9))
        let daemon = try DaemonProcess(rules: rules, extra: ["--retry-base", "60"], environment: ["HOOK_SECRET": "x"])
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        #expect(try daemon.post("/v1/tickets", ["id": "H1", "kind": "complaint", "text": "漏水"]).status == 201)
        try daemon.waitFor("three pending notices", seconds: 20) { try daemon.count("SELECT COUNT(*) FROM outbox WHERE state = 'pending'") == 3 }
        // The rotated default: STATE/backups/slad-<time>.sqlite.
        let backup = try Slad.run(["backup", "--state", daemon.state.path, "--keep", "2"])
        #expect(backup.status == 0, "\(backup.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: daemon.state.appendingPathComponent("backups").path)
        #expect(files.count == 1 && files[0].hasPrefix("slad-") && files[0].hasSuffix("Z.sqlite"), "\(files)")
        let file = daemon.state.appendingPathComponent("backups").appendingPathComponent(files[0])
        let restored = Self.temporary("held")
        let restore = try Slad.run(["restore", file.path, "--state", restored.path, "--pending", "hold"])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(restore.stdout.contains("3 notices pending in the backup are held"), "\(restore.stdout)")
        let (pending, held) = try Self.readOnly(restored.appendingPathComponent("slad.sqlite").path).read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE state = 'pending'"),
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE state = 'dead' AND last_error LIKE 'held by slad restore%'"))
        }
        #expect(pending == 0)
        #expect(held == 3)
        let bad = try Slad.run(["restore", file.path, "--state", Self.temporary("bad").path, "--pending", "maybe"])
        #expect(bad.status == 64, "\(bad.stderr)")
    }

    @Test func aNewerDatabaseIsRefusedByTheBinaryWithExit65() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules())
        try daemon.start()
        daemon.signal(SIGTERM)
        #expect(try daemon.waitForExit() == 0)
        let queue = try DatabaseQueue(path: daemon.state.appendingPathComponent("slad.sqlite").path)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99: from the future')") }
        try queue.close()
        let again = try DaemonProcess(rules: daemon.rules, state: daemon.state)
        #expect(throws: (any Error).self) { try again.start() }
        #expect(try again.waitForExit() == 65)
        try again.waitFor("the refusal on standard error", seconds: 5) {
            again.stderr.contains("was written by a newer slad (migrations v99: from the future)")
        }
    }

    /// A backup's folder must exist and be writable (exit 73 saying which, before any copy); the backup and
    /// a restored database are 0600 (residents' phone numbers); a user who may not read the state gets
    /// exit 77 saying so, not "no database".
    @Test func backupsArePrivateAndUnwritableOrUnreadablePlacesAreNamed() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules())
        try daemon.start()
        daemon.signal(SIGTERM)
        #expect(try daemon.waitForExit() == 0)
        let state = daemon.state.path
        let missing = Self.temporary("no-such-folder").appendingPathComponent("slad.sqlite").path
        let refused = try Slad.run(["backup", "--state", state, "--to", missing])
        #expect(refused.status == 73, "\(refused.stderr)")
        #expect(refused.stderr.contains("there is no folder"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: missing))

        let folder = Self.temporary("backups")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("slad.sqlite").path
        let umask022 = try Slad.run(["backup", "--state", state, "--to", file])
        #expect(umask022.status == 0, "\(umask022.stderr)")
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let restored = Self.temporary("restored-private")
        #expect(try Slad.run(["restore", file, "--state", restored.path]).status == 0)
        let restoredMode = try FileManager.default.attributesOfItem(atPath: restored.appendingPathComponent("slad.sqlite").path)[.posixPermissions] as? Int
        #expect(restoredMode == 0o600)

        // Another user (nobody) on a state folder it may not enter: 77 and what to do, from backup and store check.
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser") else { return }
        chmod(state, 0o700)
        for arguments in [["backup", "--state", state, "--to", "/tmp/slad-nobody-\(getpid()).sqlite"], ["store", "check", "--state", state, "--no-rules"]] {
            let other = try Slad.run(["-u", "nobody", "--", Slad.binary.path] + arguments, executable: URL(fileURLWithPath: "/usr/sbin/runuser"))
            #expect(other.status == 77, "\(arguments): \(other.stderr)")
            #expect(other.stderr.contains("permission denied for the user running this command"), "\(other.stderr)")
        }
    }

    /// `slad restore --pending <TAB>` offers the two choices: the bash completion script the package installs
    /// (`slad --generate-completion-script bash`), run by a real bash as bash-completion would call it.
    @Test func restorePendingCompletesToItsChoices() throws {
        let script = try Slad.run(["--generate-completion-script", "bash"])
        #expect(script.status == 0, "\(script.stderr)")
        let file = Self.temporary("completion").appendingPathExtension("bash")
        try script.stdout.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        func complete(_ words: [String]) throws -> [String] {
            let line = words.joined(separator: " ")
            let quoted = words.map { "'\($0)'" }.joined(separator: " ")
            let bash = Process()
            bash.executableURL = URL(fileURLWithPath: "/bin/bash")
            bash.arguments = ["-c", """
                source "$0" && COMPREPLY=() && COMP_WORDS=(\(quoted)) && COMP_CWORD=\(words.count - 1) && \
                COMP_LINE='\(line)' && COMP_POINT=${#COMP_LINE} && \
                _slad slad "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}" && printf '%s\\n' "${COMPREPLY[@]}"
                """, file.path]
            let out = Pipe()
            bash.standardOutput = out
            try bash.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            bash.waitUntilExit()
            #expect(bash.terminationStatus == 0)
            return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        }
        #expect(try complete(["slad", "restore", "--pending", ""]).sorted() == ["hold", "resend"])
        #expect(try complete(["slad", "restore", "--pending", "h"]) == ["hold"])
    }
}
