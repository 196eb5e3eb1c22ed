import Foundation
import Testing

/// The real `slad serve` binary with rules whose limits are seconds long. These tests run on the wall
/// clock because the daemon does; they poll for results with generous limits and never assert timings.
@Suite(.serialized) struct ServeCommandTests {
    @Test func ticketsGoOverdueAndEachStepFiresExactlyOnce() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules())
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        for index in 1...10 {
            let reply = try daemon.post("/v1/tickets", ["id": "C\(index)", "kind": "complaint", "building": "3栋"])
            #expect(reply.status == 201, "\(reply.object)")
        }
        try daemon.waitFor("30 firings", seconds: 30) { try daemon.count("SELECT COUNT(*) FROM firing") >= 30 }
        // Give the loop a few more scans: nothing may be fired twice.
        Thread.sleep(forTimeInterval: 2)
        #expect(try daemon.count("SELECT COUNT(*) FROM firing") == 30)
        #expect(try daemon.count("SELECT COUNT(*) FROM outbox") == 30)
        #expect(try daemon.count("SELECT COUNT(*) FROM outbox WHERE state = 'sent'") == 30)
        let ticket = try daemon.request("GET", "/v1/tickets/C1")
        let timeline = ticket.object["timeline"] as? [[String: Any]] ?? []
        #expect(timeline.filter { $0["type"] as? String == "escalation" }.map { $0["step"] as? String } == ["respond - 1s", "respond", "respond + 1s"])
        #expect((ticket.object["clocks"] as? [[String: Any]])?.first?["state"] as? String == "breached")
        daemon.signal(SIGTERM)
        #expect(try daemon.waitForExit() == 0)
        #expect(daemon.stderr.contains("escalation loop stopped"))
    }

    @Test func killNineInABurstThenRestartFiresEverythingExactlyOnce() throws {
        let rules = try DaemonProcess.makeRules()
        let first = try DaemonProcess(rules: rules)
        try first.start()
        let count = 150
        for index in 1...count {
            _ = try first.post("/v1/tickets", ["id": "K\(index)", "kind": "complaint"])
        }
        // Kill it while the burst of escalations is being written.
        try first.waitFor("the first firings", seconds: 30) { try first.count("SELECT COUNT(*) FROM firing") > 0 }
        first.signal(SIGKILL)
        _ = try first.waitForExit()
        let before = try first.count("SELECT COUNT(*) FROM firing")
        let second = try DaemonProcess(rules: rules, state: first.state)
        try second.start()
        defer { second.signal(SIGKILL) }
        try second.waitFor("every firing", seconds: 60) { try second.count("SELECT COUNT(*) FROM firing") >= count * 3 }
        Thread.sleep(forTimeInterval: 2)
        #expect(before < count * 3, "the kill came after the burst; the test proved nothing")
        #expect(try second.count("SELECT COUNT(*) FROM ticket") == count)
        #expect(try second.count("SELECT COUNT(*) FROM firing") == count * 3)
        #expect(try second.count("SELECT COUNT(*) FROM (SELECT DISTINCT ticket_id, policy, step, cycle, repeat_index FROM firing)") == count * 3)
        #expect(try second.count("SELECT COUNT(*) FROM outbox") == count * 3)
    }

    @Test func badInputGetsAClearErrorAndChangesNothing() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules())
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        #expect(try daemon.post("/v1/tickets", ["id": "R1", "kind": "repair"]).status == 201)
        let malformed = try daemon.request("POST", "/v1/tickets", body: Data("{not json".utf8))
        #expect(malformed.status == 400)
        #expect((malformed.object["error"] as? [String: Any])?["code"] as? String == "malformed_json")
        let unknownField = try daemon.post("/v1/tickets", ["id": "R2", "kind": "repair", "asignee": "duty"])
        #expect(unknownField.status == 422)
        #expect((unknownField.object["error"] as? [String: Any])?["field"] as? String == "asignee")
        let wrongType = try daemon.post("/v1/tickets", ["id": "R3", "kind": "repair", "grade": 3])
        #expect(wrongType.status == 422)
        #expect((wrongType.object["error"] as? [String: Any])?["field"] as? String == "grade")
        let badKind = try daemon.post("/v1/tickets", ["id": "R4", "kind": "complain"])
        #expect(badKind.status == 422)
        #expect(try daemon.request("GET", "/v1/tickets/nope").status == 404)
        #expect(try daemon.post("/v1/tickets/nope/events", ["kind": "acknowledged"]).status == 404)
        #expect(try daemon.post("/v1/tickets/R1/events", ["kind": "closed"]).status == 200)
        let resolveClosed = try daemon.post("/v1/tickets/R1/events", ["kind": "resolved"])
        #expect(resolveClosed.status == 409)
        #expect(((resolveClosed.object["error"] as? [String: Any])?["message"] as? String)?.contains("closed") == true)
        #expect(try daemon.post("/v1/tickets", ["id": "R5", "kind": "repair"], token: "wrong").status == 401)
        let huge = try daemon.post("/v1/tickets", ["id": "R6", "kind": "repair", "text": String(repeating: "噪", count: 40_000)])
        #expect(huge.status == 413)
        #expect(try daemon.request("GET", "/v1/tickets?colour=red").status == 400)
        #expect(try daemon.count("SELECT COUNT(*) FROM ticket") == 1)
        #expect(try daemon.count("SELECT COUNT(*) FROM ticket_event") == 2)
    }

    @Test func idempotencyKeyReturnsTheFirstTicket() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules())
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        let first = try daemon.post("/v1/tickets", ["kind": "repair"], headers: ["Idempotency-Key": "abc"])
        let retry = try daemon.post("/v1/tickets", ["kind": "repair"], headers: ["Idempotency-Key": "abc"])
        #expect(first.status == 201)
        #expect(retry.status == 200)
        #expect(first.object["id"] as? String == retry.object["id"] as? String)
        #expect(try daemon.count("SELECT COUNT(*) FROM ticket") == 1)
    }

    @Test func sighupReloadsGoodRulesAndRefusesBrokenOnes() throws {
        let rules = try DaemonProcess.makeRules()
        let daemon = try DaemonProcess(rules: rules)
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        let version = try daemon.request("GET", "/healthz").object["rules"] as? String
        try "policy broken { when kind = ".write(to: rules.appendingPathComponent("broken.sla"), atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        try daemon.waitFor("the refusal", seconds: 10) { daemon.stderr.contains("reload refused") }
        let refusal = daemon.stderr.split(separator: "\n").first { $0.contains("reload refused") }
        #expect(refusal?.hasPrefix("<3>") == true && refusal?.contains("broken.sla:1:") == true, "\(daemon.stderr)")
        #expect(try daemon.request("GET", "/healthz").object["rules"] as? String == version)
        try FileManager.default.removeItem(at: rules.appendingPathComponent("broken.sla"))
        try (DaemonProcess.fastRules + "\n# changed\n").write(to: rules.appendingPathComponent("rules.sla"), atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        try daemon.waitFor("the reload", seconds: 10) { daemon.stderr.contains("rules reloaded") }
        #expect(try daemon.request("GET", "/healthz").object["rules"] as? String != version)
    }

    @Test func refusesToStartWithBrokenRulesOrAnUnwritableStateFolder() throws {
        let broken = try DaemonProcess.makeRules("policy p { when kind = }")
        let daemon = try DaemonProcess(rules: broken)
        try daemon.process.run()
        #expect(try daemon.waitForExit() == 78)
        #expect(daemon.stderr.contains("rules.sla:1:"))
        // One record with its priority: the description and the diagnostic under it on one line.
        let record = daemon.stderr.split(separator: "\n").first { $0.contains("slad cannot start") }
        #expect(record?.hasPrefix("<2>") == true, "\(daemon.stderr)")
        #expect(record?.contains("rules.sla:1:") == true, "\(daemon.stderr)")
        let unwritable = try DaemonProcess(rules: try DaemonProcess.makeRules(), state: URL(fileURLWithPath: "/proc/slad-test"))
        try unwritable.process.run()
        #expect(try unwritable.waitForExit() == 73)
        #expect(unwritable.stderr.contains("cannot be written"))
    }

    @Test func aSecondDaemonOnTheSameStateRefusesToStart() throws {
        let rules = try DaemonProcess.makeRules()
        let first = try DaemonProcess(rules: rules)
        try first.start()
        defer { first.signal(SIGKILL) }
        let second = try DaemonProcess(rules: rules, state: first.state)
        try second.process.run()
        #expect(try second.waitForExit() == 75)
        #expect(second.stderr.contains("another slad is running on the state folder"), "\(second.stderr)")
        #expect(try first.request("GET", "/healthz").status == 200)
    }

    @Test func breachesAreCounted() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules())
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        for index in 1...3 { _ = try daemon.post("/v1/tickets", ["id": "B\(index)", "kind": "complaint"]) }
        try daemon.waitFor("three breaches", seconds: 20) {
            let text = (try? String(contentsOf: URL(string: "http://127.0.0.1:\(daemon.port)/metrics")!, encoding: .utf8)) ?? ""
            return text.contains("slad_breaches_total 3")
        }
        let text = try String(contentsOf: URL(string: "http://127.0.0.1:\(daemon.port)/metrics")!, encoding: .utf8)
        #expect(text.contains("slad_tickets_overdue 3"))
    }

    @Test func metricsAndHealth() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules())
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        _ = try daemon.post("/v1/tickets", ["id": "M1", "kind": "repair"])
        try daemon.waitFor("a scan", seconds: 10) { try daemon.request("GET", "/healthz").object["lastScan"] != nil }
        let text = try String(contentsOf: URL(string: "http://127.0.0.1:\(daemon.port)/metrics")!, encoding: .utf8)
        #expect(text.contains("slad_open_tickets{policy=\"slow\"} 1"))
        #expect(text.contains("slad_scan_duration_seconds_bucket"))
    }
}
