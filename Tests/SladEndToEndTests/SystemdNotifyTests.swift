import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The real `slad serve` under a fake NOTIFY_SOCKET: the sd_notify(3) sequence a service manager sees.
/// Wall-clock tests: limits are generous and timing checks have wide margins.
@Suite(.serialized) struct SystemdNotifyTests {
    static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }

    @Test func readyStatusWatchdogReloadAndStopFollowTheProtocol() throws {
        let socket = try NotifySocket()
        defer { socket.close() }
        let rules = try DaemonProcess.makeRules()
        // WatchdogSec=1s: the loop must scan (and ping) at least every 0.5 s.
        let daemon = try DaemonProcess(rules: rules, environment: socket.environment(watchdogMicroseconds: 1_000_000))
        try daemon.start()
        defer { daemon.signal(SIGKILL) }

        // READY=1 comes once the listener is bound, naming its port; the API answers right after.
        try daemon.waitFor("READY=1", seconds: 10) { socket.datagrams.contains { $0.has("READY=1") } }
        let ready = try #require(socket.datagrams.first { $0.has("READY=1") })
        #expect(ready.status?.hasPrefix("listening on 127.0.0.1:\(daemon.port)") == true, "\(ready.text)")
        #expect(try daemon.request("GET", "/healthz").status == 200)

        // STATUS= after each scan with the summary; WATCHDOG=1 at about half the interval.
        Thread.sleep(forTimeInterval: 3)
        let scans = socket.datagrams.filter { $0.status?.contains(" open, ") == true }
        #expect(scans.count >= 4, "\(socket.datagrams.map(\.text))")
        #expect(scans.last?.status?.contains("overdue") == true)
        #expect(scans.last?.status?.contains("in outbox, last scan") == true)
        let pings = socket.datagrams.filter { $0.has("WATCHDOG=1") }.map(\.at)
        #expect(pings.count >= 4, "\(pings.count) pings in 3 s")
        let gaps = zip(pings.dropFirst(), pings).map { $0.timeIntervalSince($1) }
        #expect(gaps.allSatisfy { $0 >= 0.2 && $0 < 0.85 }, "gaps between pings: \(gaps)")

        // SIGHUP with broken rules: RELOADING=1 + MONOTONIC_USEC, then READY=1 with the refusal in STATUS.
        try "policy broken { when kind = ".write(to: rules.appendingPathComponent("broken.sla"), atomically: true, encoding: .utf8)
        var seen = socket.datagrams.count
        daemon.signal(SIGHUP)
        try daemon.waitFor("the refused reload's READY", seconds: 10) {
            socket.datagrams.dropFirst(seen).contains { $0.has("READY=1") }
        }
        var after = Array(socket.datagrams.dropFirst(seen))
        let reloading = try #require(after.first { $0.has("RELOADING=1") })
        let usec = try #require(reloading.assignments.first { $0.hasPrefix("MONOTONIC_USEC=") }.flatMap { UInt64($0.dropFirst(15)) })
        #expect(usec <= Self.monotonicMicroseconds() && Self.monotonicMicroseconds() - usec < 10_000_000)
        let refused = try #require(after.firstIndex { $0.has("READY=1") })
        #expect(after.firstIndex { $0.has("RELOADING=1") }! < refused)
        #expect(after[refused].status?.hasPrefix("reload refused: the rules have 2 error(s): | ") == true, "\(after[refused].text)")
        #expect(after[refused].status?.contains("broken.sla:1:15: error: ") == true)
        #expect(after[refused].status?.contains(" | 1 | ") == false, "only the first diagnostic's headline")
        // The refusal stays in STATUS after the following scans, and the service keeps running.
        try daemon.waitFor("a scan after the refusal", seconds: 10) {
            socket.datagrams.dropFirst(seen + refused + 1).contains { $0.status?.contains(" open, ") == true }
        }
        #expect(socket.datagrams.last { $0.status?.contains(" open, ") == true }?.status?.contains("reload refused") == true)

        // SIGHUP with good rules: RELOADING=1, READY=1 "rules reloaded", and the refusal leaves STATUS.
        try FileManager.default.removeItem(at: rules.appendingPathComponent("broken.sla"))
        try (DaemonProcess.fastRules + "\n# changed\n").write(to: rules.appendingPathComponent("rules.sla"), atomically: true, encoding: .utf8)
        seen = socket.datagrams.count
        daemon.signal(SIGHUP)
        try daemon.waitFor("the reload's READY", seconds: 10) { socket.datagrams.dropFirst(seen).contains { $0.has("READY=1") } }
        after = Array(socket.datagrams.dropFirst(seen))
        #expect(after.contains { $0.has("RELOADING=1") && $0.assignments.contains { $0.hasPrefix("MONOTONIC_USEC=") } })
        #expect(after.first { $0.has("READY=1") }?.status == "rules reloaded")
        // A scan that began before the reload finished may still report the refusal: wait for one after READY.
        try daemon.waitFor("a scan after the reload", seconds: 10) {
            let since = Array(socket.datagrams.dropFirst(seen))
            guard let ready = since.firstIndex(where: { $0.has("READY=1") }) else { return false }
            return since[(ready + 1)...].contains { $0.status?.contains(" open, ") == true }
        }
        #expect(socket.datagrams.last { $0.status?.contains(" open, ") == true }?.status?.contains("refused") == false)

        // SIGTERM: STOPPING=1, then exit 0.
        seen = socket.datagrams.count
        daemon.signal(SIGTERM)
        #expect(try daemon.waitForExit() == 0)
        #expect(socket.datagrams.dropFirst(seen).contains { $0.has("STOPPING=1") })
        // NotifyAccess=main: systemd takes a datagram only from the main process, by its SCM_CREDENTIALS.
        let mainPID = daemon.process.processIdentifier
        #expect(socket.datagrams.allSatisfy { $0.pid == mainPID }, "senders: \(Set(socket.datagrams.map { $0.pid.map(String.init) ?? "none" }))")
    }

    @Test func aStalledLoopStopsTheWatchdogPings() throws {
        let socket = try NotifySocket()
        defer { socket.close() }
        var environment = socket.environment(watchdogMicroseconds: 1_000_000)
        environment["SLAD_TEST_STALL_AFTER_SCANS"] = "3"
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules(), environment: environment)
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        try daemon.waitFor("READY=1", seconds: 10) { socket.datagrams.contains { $0.has("READY=1") } }
        try daemon.waitFor("the stall", seconds: 10) { daemon.stderr.contains("stalls after 3 scans") }
        let pings = socket.datagrams.filter { $0.has("WATCHDOG=1") }.count
        #expect(pings >= 1 && pings <= 3)
        Thread.sleep(forTimeInterval: 2)
        #expect(socket.datagrams.filter { $0.has("WATCHDOG=1") }.count == pings, "pings went on after the stall")
        // The HTTP API still answers: only the loop is stuck, which is what the watchdog is for.
        #expect(try daemon.request("GET", "/healthz").status == 200)
    }

    @Test func withoutWatchdogUsecNoPingsAreSent() throws {
        let socket = try NotifySocket()
        defer { socket.close() }
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules(), environment: socket.environment())
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        try daemon.waitFor("READY=1", seconds: 10) { socket.datagrams.contains { $0.has("READY=1") } }
        Thread.sleep(forTimeInterval: 1.5)
        #expect(!socket.datagrams.contains { $0.has("WATCHDOG=1") })
        #expect(socket.datagrams.contains { $0.status?.contains(" open, ") == true })
        daemon.signal(SIGTERM)
        #expect(try daemon.waitForExit() == 0)
    }
}
