import Foundation
import Testing

/// Issue 15's full disk, for real: the state folder on a 4 MB tmpfs, filled up while a ticket's steps
/// fall due. slad backs off and logs once (not once per attempt), answers 503 on /healthz and on writes
/// with a stable code and no SQL, and once space returns it catches up: every step fires, late, once.
/// Needs root to mount a tmpfs; elsewhere it is skipped, saying so.
@Suite(.serialized, .enabled(if: Tmpfs.canMount, "mounting a tmpfs needs root (CAP_SYS_ADMIN): the full-disk test is skipped"))
struct FullDiskTests {
    @Test func onAFullDiskSladStaysCalmSaysSoAndCatchesUpWithNothingLost() throws {
        let disk = try Tmpfs.mount()
        defer { Tmpfs.unmount(disk) }
        let state = disk.appendingPathComponent("state")
        // A dead man's switch: called every second while healthy, never while the disk is full.
        let monitor = try Receiver()
        defer { monitor.stop() }
        // F1's steps fall due 4, 5 and 6 s after it arrives: well after the disk is filled, on a slow machine too.
        // The self-watch tells the duty officer through a local exec channel writing outside the full disk.
        let siren = try SirenFile()
        let rules = DaemonProcess.fastRules.replacingOccurrences(of: "within 2s until acknowledged", with: "within 5s until acknowledged")
            + "\n\(siren.channel)\nwatch { notify person duty via siren; scans failing for 10s }\n"
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules(rules), state: state,
                                       extra: ["--heartbeat-url-env", "SLAD_HEARTBEAT", "--heartbeat-every", "1", "--watch-every", "1"],
                                       environment: ["SLAD_HEARTBEAT": "http://127.0.0.1:\(monitor.port)/ping/secret-check-key"])
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        try daemon.waitFor("a heartbeat", seconds: 20) { monitor.requests.contains { $0.path == "/ping/secret-check-key" } }
        #expect(try daemon.request("GET", "/healthz").status == 200)
        #expect(try daemon.post("/v1/tickets", ["id": "F1", "kind": "complaint"]).status == 201)
        let filler = disk.appendingPathComponent("filler")
        Tmpfs.run("/bin/dd", ["if=/dev/zero", "of=\(filler.path)", "bs=64k"])   // until "No space left on device"
        var health = DaemonProcess.Reply(status: 0, object: [:])
        try daemon.waitFor("/healthz to answer 503", seconds: 30) {
            health = try daemon.request("GET", "/healthz")
            return health.status == 503
        }
        #expect(health.object["status"] as? String == "failing")
        let problem = try #require((health.object["problems"] as? [[String: Any]])?.first)
        #expect(problem["code"] as? String == "storage_full", "\(problem)")
        #expect((problem["summary"] as? String)?.hasPrefix("scans_failing since ") == true)
        // A write is refused with 503, a stable code and no SQLite text.
        let refused = try daemon.post("/v1/tickets", ["id": "F2", "kind": "complaint", "text": String(repeating: "满", count: 20_000)])
        let error = refused.object["error"] as? [String: Any]
        #expect(refused.status == 503 && error?["code"] as? String == "storage_full", "\(refused.status) \(refused.text)")
        #expect(!refused.text.contains("SQLite") && !refused.text.contains("database or disk is full"))
        // Stay full a while: attempts back off (1 s, 2 s, 4 s …) and the log says so once; no heartbeat.
        let beatsBefore = monitor.requests.count
        Thread.sleep(forTimeInterval: 8)
        #expect(monitor.requests.count <= beatsBefore + 1, "heartbeats went on while unhealthy")
        #expect(daemon.stderr.contains("heartbeat held while unhealthy: scans_failing since"))
        let failing = daemon.stderr.components(separatedBy: "\n").filter { $0.contains("scans failing") }
        #expect(failing.count == 1, "\(failing)")
        // (The self-watch's own lines, one per trouble, are counted below with its alerts.)
        let errors = daemon.stderr.components(separatedBy: "\n").filter { $0.contains("error") && !$0.contains("self-watch") }
        #expect(errors.count <= 6, "the journal floods: \(errors.count) error lines\n\(errors.prefix(20).joined(separator: "\n"))")
        // Scans fail, so at least one due step is waiting. (SQLite may still commit into WAL pages it
        // already holds, so an early step can go through: that is durable, and no loss.)
        #expect(try daemon.count("SELECT COUNT(*) FROM firing WHERE ticket_id = 'F1'") < 3)
        // The self-alerts: scans failing (after 10 s) and the disk below 5 %, each once, through the exec channel.
        try daemon.waitFor("the self-alerts", seconds: 30) { Set(siren.alerts.map(\.id)).count >= 2 }
        let raised = siren.alerts
        #expect(raised.contains { $0.id.hasPrefix("slad-watch-scans_failing-") && $0.text.contains("scans_failing") && $0.text.contains("storage_full") }, "\(raised)")
        #expect(raised.contains { $0.id.hasPrefix("slad-watch-disk_low-") && $0.text.contains("disk_low") }, "\(raised)")
        #expect(raised.allSatisfy { $0.id.hasSuffix("-raised") } && Set(raised.map(\.id)).count == raised.count, "\(raised)")
        // Space returns: the loop catches up within its backoff, every step once, marked late.
        try FileManager.default.removeItem(at: filler)
        try daemon.waitFor("F1's three steps", seconds: 60) {
            try daemon.count("SELECT COUNT(*) FROM firing WHERE ticket_id = 'F1'") == 3
        }
        #expect(try daemon.count("SELECT COUNT(*) FROM firing WHERE ticket_id = 'F1' AND lateness > 0") >= 1)
        try daemon.waitFor("/healthz to be ok again", seconds: 30) { try daemon.request("GET", "/healthz").status == 200 }
        #expect(daemon.stderr.contains("scans work again after"))
        try daemon.waitFor("the all-clears", seconds: 30) { siren.alerts.filter { $0.id.hasSuffix("-cleared") }.count == 2 }
        #expect(Set(siren.alerts.map(\.id)).count == 4, "each trouble raised once and cleared once: \(siren.alerts)")
        #expect(daemon.stderr.components(separatedBy: "\n").filter { $0.contains("self-watch") }.count == 4, "one log line per raise and all-clear")
        // Healthy again: the heartbeat resumes; its URL (the monitor's key) is never logged.
        let beatsAfter = monitor.requests.count
        try daemon.waitFor("the heartbeat again", seconds: 20) { monitor.requests.count > beatsAfter }
        #expect(!daemon.stderr.contains("secret-check-key"))
        Thread.sleep(forTimeInterval: 2)
        #expect(try daemon.count("SELECT COUNT(*) FROM firing WHERE ticket_id = 'F1'") == 3)
        #expect(try daemon.post("/v1/tickets", ["id": "F3", "kind": "complaint"]).status == 201)
    }

    /// A full disk with nothing due: no scan has anything to write, but a refused ticket is enough for
    /// /healthz to say so, and it says healthy again once a write would work, without a client's retry.
    @Test func aRefusedWriteAloneMakesHealthSaySo() throws {
        let disk = try Tmpfs.mount()
        defer { Tmpfs.unmount(disk) }
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules(), state: disk.appendingPathComponent("state"))
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        #expect(try daemon.request("GET", "/healthz").status == 200)
        let filler = disk.appendingPathComponent("filler")
        Tmpfs.run("/bin/dd", ["if=/dev/zero", "of=\(filler.path)", "bs=64k"])
        let refused = try daemon.post("/v1/tickets", ["id": "W1", "kind": "enquiry", "text": String(repeating: "满", count: 20_000)])
        #expect(refused.status == 503, "\(refused.text)")
        #expect(((refused.object["error"] as? [String: Any])?["message"] as? String)?.hasPrefix("this request was not stored") == true)
        let health = try daemon.request("GET", "/healthz")
        let problem = (health.object["problems"] as? [[String: Any]])?.first
        #expect(health.status == 503 && (problem?["summary"] as? String)?.hasPrefix("writes_failing since ") == true, "\(health.text)")
        try FileManager.default.removeItem(at: filler)
        try daemon.waitFor("/healthz to be ok again", seconds: 30) { try daemon.request("GET", "/healthz").status == 200 }
        #expect(daemon.stderr.components(separatedBy: "\n").filter { $0.contains("API writes failing") }.count == 1)
        #expect(daemon.stderr.contains("API writes work again"))
    }

    /// A notice that went out while its attempt cannot be written stays claimed until the record is in:
    /// the outbox never offers it again, so a full disk never makes slad send it twice.
    @Test func aNoticeSentWhileTheDiskIsFullIsNotSentAgain() throws {
        let disk = try Tmpfs.mount()
        defer { Tmpfs.unmount(disk) }
        let secret = "hook-secret-\(UUID().uuidString)"
        let receiver = try Receiver(secret: secret)
        defer { receiver.stop() }
        // The receiver answers 503 twice for a key, then 200: the notice is retried 1–2 s apart.
        let rules = """
        calendar cn { timezone Asia/Shanghai; workdays mon-fri }
        person duty "值班员" { phone "+8613800000009" }
        team desk { members duty; supervisor duty; manager duty }
        channel hook webhook { url "http://127.0.0.1:\(receiver.port)/flaky/hook"; secret env HOOK_SECRET }
        policy fast "快速" { when kind = complaint; team desk
          clock respond "响应" within 1s until acknowledged
          escalate { at respond notify supervisor via hook } }
        """
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules(rules), state: disk.appendingPathComponent("state"),
                                       extra: ["--retry-base", "1", "--retry-max", "2"], environment: ["HOOK_SECRET": secret])
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        #expect(try daemon.post("/v1/tickets", ["id": "D1", "kind": "complaint"]).status == 201)
        try daemon.waitFor("the first attempt, refused with 503", seconds: 30) {
            try daemon.count("SELECT COUNT(*) FROM delivery_attempt") >= 1
        }
        let filler = disk.appendingPathComponent("filler")
        Tmpfs.run("/bin/dd", ["if=/dev/zero", "of=\(filler.path)", "bs=64k"])
        Thread.sleep(forTimeInterval: 8)
        let during = receiver.requests.filter { $0.path == "/flaky/hook" }
        // Attempt 2 (503) went out but could not be recorded: the job stays claimed, nothing more is sent.
        #expect(during.count <= 3, "the notice was sent again and again: \(during)")
        #expect(daemon.stderr.components(separatedBy: "\n").filter { $0.contains("delivery failing") }.count == 1, "\(daemon.stderr.suffix(2000))")
        try FileManager.default.removeItem(at: filler)
        try daemon.waitFor("the notice delivered and recorded", seconds: 60) {
            try daemon.count("SELECT COUNT(*) FROM outbox WHERE state = 'sent'") == 1
        }
        Thread.sleep(forTimeInterval: 3)
        let delivered = receiver.delivered("/flaky/hook")
        #expect(delivered.count == 1 && delivered.values.allSatisfy { $0 == 1 }, "\(receiver.requests)")
        #expect(daemon.stderr.contains("delivery works again (recording deliveries) after"))
    }
}

/// Mounting a small tmpfs, when this process may.
enum Tmpfs {
    /// A new 4 MB tmpfs on a folder of its own.
    static func mount() throws -> URL {
        let disk = FileManager.default.temporaryDirectory.appendingPathComponent("slad-full-disk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
        guard run("/bin/mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", disk.path]) == 0 else {
            throw DaemonProcess.Failure("cannot mount a tmpfs on \(disk.path)")
        }
        return disk
    }

    static func unmount(_ disk: URL) {
        run("/bin/umount", ["-l", disk.path])
        try? FileManager.default.removeItem(at: disk)
    }

    static let canMount: Bool = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slad-mount-probe-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        guard run("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", folder.path]) == 0 else { return false }
        _ = run("/bin/umount", [folder.path])
        return true
    }()

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
