import Foundation
import Testing

/// /healthz says when a reload was refused and which rules still run since when; slad_breaches_total
/// counts tickets that arrive already overdue (issue 12, item 8).
@Suite(.serialized) struct HealthTruthTests {
    @Test func aRefusedReloadShowsInHealthUntilAGoodOne() throws {
        let rules = try DaemonProcess.makeRules()
        let daemon = try DaemonProcess(rules: rules)
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        let before = try daemon.request("GET", "/healthz").object
        let version = try #require(before["rules"] as? String)
        let loadedAt = try #require(before["rulesLoadedAt"] as? String)
        #expect(before["reload"] == nil)
        try "policy broken { when kind = ".write(to: rules.appendingPathComponent("broken.sla"), atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        try daemon.waitFor("the refusal", seconds: 10) { daemon.stderr.contains("reload refused") }
        let answer = try daemon.request("GET", "/healthz")
        let refused = answer.object
        // The rules on disk are not the ones running: unhealthy (issue 15), and the heartbeat is held.
        #expect(answer.status == 503)
        let problem = try #require((refused["problems"] as? [[String: Any]])?.first)
        #expect(problem["code"] as? String == "rules_not_loaded")
        #expect((problem["summary"] as? String)?.hasPrefix("rules_not_loaded since ") == true, "\(problem)")
        #expect(refused["rules"] as? String == version)
        let reload = try #require(refused["reload"] as? [String: Any])
        #expect(reload["state"] as? String == "refused")
        #expect((reload["errors"] as? Int ?? 0) >= 1)
        #expect(reload["refusedAt"] is String)
        let message = try #require(reload["message"] as? String)
        #expect(message.contains("the old rules \(version) still run since \(loadedAt)"), "\(message)")
        #expect(message.contains("broken.sla:1:"), "\(message)")

        try FileManager.default.removeItem(at: rules.appendingPathComponent("broken.sla"))
        daemon.signal(SIGHUP)
        try daemon.waitFor("the reload", seconds: 10) { daemon.stderr.contains("rules reloaded") }
        let healthy = try daemon.request("GET", "/healthz")
        #expect(healthy.status == 200)
        let after = healthy.object
        #expect(after["reload"] == nil)
        #expect(after["rulesLoadedAt"] is String)
    }

    @Test func aTicketThatArrivesOverdueCountsAsABreachOnce() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules())
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        let anHourAgo = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-3600))
        let created = try daemon.post("/v1/tickets", ["id": "LATE", "kind": "complaint", "created": anHourAgo])
        #expect(created.object["overdue"] as? Bool == true)
        func metrics() -> String { (try? String(contentsOf: URL(string: "http://127.0.0.1:\(daemon.port)/metrics")!, encoding: .utf8)) ?? "" }
        try daemon.waitFor("the breach", seconds: 10) { metrics().contains("slad_breaches_total 1") }
        try daemon.waitFor("a scan", seconds: 10) { try daemon.request("GET", "/healthz").object["lastScan"] != nil }
        Thread.sleep(forTimeInterval: 1.5)
        #expect(metrics().contains("slad_breaches_total 1"), "\(metrics())")
    }
}
