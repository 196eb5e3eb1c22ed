import Foundation
import Testing

/// Issue 17's "done means", on the shipped rules as an operator installs them: the 400 hotline's signed
/// webhook (rules/intake/hotline.map) becomes a ticket, the shipped route table (rules/routes.sla) gives
/// "厨房水管漏水" to the plumbing (水电) trade's person on duty, and the ticket escalates as usual.
@Suite(.serialized) struct DispatchedIntakeTests {
    static let secret = "hotline-shipped-\(UUID().uuidString)"

    /// Who is on duty in the shipped `plumbing-oncall` roster at `instant`, worked out here from its
    /// definition (daily at 08:30 Asia/Shanghai from 2026-01-05, wang-qiang then zhao-lei), not by slad.
    static func plumberOnDuty(at instant: Date) -> String {
        let start = 1_767_573_000.0   // 2026-01-05T08:30:00+08:00
        let shift = Int(((instant.timeIntervalSince1970 - start) / 86_400).rounded(.down))
        return ["wang-qiang", "zhao-lei"][((shift % 2) + 2) % 2]
    }

    @Test func aSignedHotlineLeakReachesThePlumberOnDutyAndEscalates() throws {
        let daemon = try DaemonProcess(rules: Slad.root.appendingPathComponent("rules"),
                                       environment: ["SLAD_INTAKE_HOTLINE_SECRET": Self.secret])
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        // Opened 25 minutes ago: the urgent repair's "respond − 10m" warning (at 20 minutes) is due at once.
        let opened = Date().addingTimeInterval(-25 * 60)
        let created = IntakeEndToEndTests.iso(opened)
        let payload: [String: Any] = [
            "event": "workorder.created",
            "data": [
                "workOrder": ["orderNo": "WO-LEAK-1", "category": "水管漏水", "status": "待受理", "content": "厨房 水管漏水，楼下天花板在滴水",
                              "createTime": created, "updateTime": created],
                "project": ["name": "翠湖花园"],
                "house": ["building": "3栋", "rooms": [["roomNo": "1202"]]],
                "customer": ["mobile": "13800001234"],
            ],
        ]
        let body = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
        let stamp = String(Int(Date().timeIntervalSince1970))
        let arrived = Date()
        let reply = try daemon.request("POST", "/v1/intake/hotline", body: body, token: "", headers: [
            "Content-Type": "application/json", "X-Hotline-Timestamp": stamp, "X-Hotline-Delivery": "leak-1",
            "X-Hotline-Signature": try IntakeEndToEndTests.sign(body, timestamp: stamp, secret: Self.secret),
        ])
        #expect(reply.status == 201, "\(reply.text)")
        let ticket = try daemon.request("GET", "/v1/tickets/hotline-WO-LEAK-1")
        #expect(ticket.object["kind"] as? String == "repair" && ticket.object["policy"] as? String == "repair-urgent", "\(ticket.text)")
        // Routed at its creation by the shipped table; near a shift change either side of it is right.
        let candidates = Set([Self.plumberOnDuty(at: opened), Self.plumberOnDuty(at: arrived)])
        let assignee = ticket.object["assignee"] as? String
        #expect(assignee.map(candidates.contains) == true, "assigned to \(assignee ?? "nobody"), expected one of \(candidates): \(ticket.text)")
        #expect(try daemon.count("SELECT COUNT(*) FROM ticket_event WHERE ticket_id = 'hotline-WO-LEAK-1' AND kind = 'assigned' AND actor = 'route:plumbing'") == 1)
        let explained = try daemon.request("GET", "/v1/tickets/hotline-WO-LEAK-1/explain?format=text")
        #expect(explained.text.contains("route plumbing \"水电\""), "\(explained.text)")
        // And it escalates as usual: the loop fires the due warning, and the console channel delivers it.
        try daemon.waitFor("the respond − 10m warning", seconds: 20) {
            try daemon.count("SELECT COUNT(*) FROM outbox WHERE ticket_id = 'hotline-WO-LEAK-1' AND channel = 'console' AND state = 'sent'") >= 1
        }
        #expect(try daemon.count("SELECT COUNT(*) FROM firing WHERE ticket_id = 'hotline-WO-LEAK-1' AND policy = 'repair-urgent'") == 1)
    }
}
