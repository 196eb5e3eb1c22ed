import Foundation
import Testing

/// /metrics counts delivery attempts by channel and result (issue 15): a notice delivered and one
/// dead-lettered by a permanent refusal show as `sent` and `dead`, and the outbox gauge is read at
/// the scrape; the channel that dead-lettered makes /healthz answer 503 (`delivery_stalled`).
@Suite(.serialized) struct DeliveryMetricsTests {
    @Test func attemptsAreCountedByChannelAndResult() throws {
        let secret = "hook-secret-\(UUID().uuidString)"
        let receiver = try Receiver(secret: secret)
        defer { receiver.stop() }
        let rules = """
        calendar cn { timezone Asia/Shanghai; workdays mon-fri }
        person duty "值班员" { phone "+8613800000009" }
        team desk { members duty; supervisor duty; manager duty }
        channel good webhook { url "http://127.0.0.1:\(receiver.port)/ok/good"; secret env HOOK_SECRET }
        channel refused webhook { url "http://127.0.0.1:\(receiver.port)/bad/refused"; secret env HOOK_SECRET }
        policy fast "快速" { when kind = complaint; team desk
          clock respond "响应" within 1s until acknowledged
          escalate { at respond notify supervisor via good, refused } }
        """
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules(rules), environment: ["HOOK_SECRET": secret])
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        #expect(try daemon.post("/v1/tickets", ["id": "M1", "kind": "complaint"]).status == 201)
        try daemon.waitFor("both notices settled", seconds: 30) {
            try daemon.count("SELECT COUNT(*) FROM outbox WHERE state IN ('sent', 'dead')") == 2
        }
        let text = try daemon.request("GET", "/metrics").text
        let lines = text.split(separator: "\n").map(String.init)
        func value(_ prefix: String) -> String? { lines.first { $0.hasPrefix(prefix) }?.split(separator: " ").last.map(String.init) }
        #expect(value("slad_delivery_attempts_total{channel=\"good\",result=\"sent\"}") == "1", "\(text)")
        #expect(value("slad_delivery_attempts_total{channel=\"refused\",result=\"dead\"}") == "1", "\(text)")
        #expect(value("slad_outbox_pending").flatMap(Double.init) == 0, "\(text)")
        // A channel that dead-lettered a notice, none delivered since, is named on /healthz, which answers 503.
        let health = try daemon.request("GET", "/healthz")
        let problems = health.object["problems"] as? [[String: Any]] ?? []
        #expect(health.status == 503 && problems.count == 1, "\(health.text)")
        #expect(problems.first?["code"] as? String == "delivery_stalled" && problems.first?["channel"] as? String == "refused")
        let message = problems.first?["message"] as? String ?? ""
        #expect(message.hasPrefix("a notice dead-lettered at ") && message.contains("none delivered since (1 in the last hour)"), "\(health.text)")
        #expect(message.contains("slad outbox retry") && problems.first?["since"] is String, "\(health.text)")
    }

    /// A notice being sent and not yet answered shows in `slad_deliveries_in_flight`, read at the scrape:
    /// a receiver that hangs is visible before its timeout ends the attempt.
    @Test func aDeliveryUnderWayIsAGauge() throws {
        let receiver = try Receiver(secret: "")
        defer { receiver.stop() }
        let rules = """
        calendar cn { timezone Asia/Shanghai; workdays mon-fri }
        person duty "值班员" { phone "+8613800000009" }
        team desk { members duty; supervisor duty; manager duty }
        channel stalled webhook { url "http://127.0.0.1:\(receiver.port)/stall/a"; timeout 30s }
        policy fast "快速" { when kind = complaint; team desk
          clock respond "响应" within 1s until acknowledged
          escalate { at respond notify supervisor via stalled } }
        """
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules(rules))
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        func gauge() throws -> Double? {
            try daemon.request("GET", "/metrics").text.split(separator: "\n")
                .first { $0.hasPrefix("slad_deliveries_in_flight ") }?.split(separator: " ").last.flatMap { Double($0) }
        }
        #expect(try gauge() == 0, "nothing sent yet")
        #expect(try daemon.post("/v1/tickets", ["id": "S1", "kind": "complaint"]).status == 201)
        try daemon.waitFor("the stalled notice in flight", seconds: 20) { try gauge() == 1 }
    }
}
