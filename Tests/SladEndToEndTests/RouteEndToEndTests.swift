import Foundation
import Testing

/// Routes through the real daemon and CLI (docs/dispatch.md): a ticket posted without an assignee is
/// assigned by the route at creation, a batch balances, the explain answer names the route.
@Suite(.serialized) struct RouteEndToEndTests {
    static let rules = DaemonProcess.fastRules + """
    person wang-qiang "王强" { phone "+8613800000004" }
    person zhao-lei "赵磊" { phone "+8613800000005" }
    person he-jun "何军" { phone "+8613800000013" }
    roster plumbing-oncall { rotate daily at 08:30; starting 2026-01-05; members wang-qiang, zhao-lei }
    team crew { members wang-qiang, zhao-lei }
    route elevator "电梯" { when kind = repair and text contains any ["电梯", "困人"]; to person he-jun }
    route plumbing "水电" { when kind = repair and text contains any ["漏水", "水管"]; to roster plumbing-oncall }
    route walls { when kind = repair and text contains "墙"; to team crew by least open }
    route desk { when kind = repair; to person duty }
    """

    @Test func aTicketPostedWithoutAssigneeIsRoutedAndExplained() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules(Self.rules))
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        // 2 March 2026 10:00: day 56 of the roster, wang-qiang's turn.
        let created = try daemon.post("/v1/tickets", ["id": "R1", "kind": "repair", "text": "厨房 水管漏水", "created": "2026-03-02T10:00:00+08:00"])
        #expect(created.status == 201, "\(created.text)")
        #expect(created.object["assignee"] as? String == "wang-qiang", "\(created.text)")
        #expect(created.object["status"] as? String == "assigned")
        let explained = try daemon.request("GET", "/v1/tickets/R1/explain?format=text&at=2026-03-02T10:05:00%2B08:00")
        #expect(explained.text.contains("not route elevator \"电梯\": kind = repair ✓ (repair) and text contains any [\"电梯\", \"困人\"] ✗ (no keyword in the text)"), "\(explained.text)")
        #expect(explained.text.contains("route plumbing \"水电\" → 王强 (wang-qiang) (on duty in roster 'plumbing-oncall')"), "\(explained.text)")
        let json = try daemon.request("GET", "/v1/tickets/R1/explain?at=2026-03-02T10:05:00%2B08:00")
        let routing = try #require(json.object["routing"] as? [String: Any])
        #expect(routing["route"] as? String == "plumbing")
        // A ticket that comes with an assignee keeps it.
        let given = try daemon.post("/v1/tickets", ["id": "R2", "kind": "repair", "text": "电梯困人", "assignee": "zhao-lei"])
        #expect(given.object["assignee"] as? String == "zhao-lei")
    }

    @Test func aBatchIsBalancedByLeastOpen() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules(Self.rules))
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        let tickets: [[String: Any]] = (1...4).map { ["id": "W\($0)", "kind": "repair", "text": "墙皮脱落"] }
        let reply = try daemon.request("POST", "/v1/tickets/batch", body: try JSONSerialization.data(withJSONObject: tickets))
        #expect(reply.status == 200, "\(reply.text)")
        let assignees = try (1...4).map { try daemon.request("GET", "/v1/tickets/W\($0)").object["assignee"] as? String }
        #expect(assignees == ["wang-qiang", "zhao-lei", "wang-qiang", "zhao-lei"])
        #expect(try daemon.count("SELECT COUNT(*) FROM ticket_event WHERE kind = 'assigned' AND actor = 'route:walls'") == 4)
    }

    @Test func theCLIExplainsARouteForATicketFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("slad-route-\(UUID().uuidString).json")
        try #"{"id": "R9", "kind": "repair", "text": "3栋电梯困人", "created": "2026-03-02 10:00"}"#.write(to: file, atomically: true, encoding: .utf8)
        let output = try Slad.run(["explain", "--at", "2026-03-02 10:05", file.path])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("route elevator \"电梯\" → 何军 (he-jun)"), "\(output.stdout)")
        #expect(output.stdout.contains("assignee 何军 (he-jun)"), "\(output.stdout)")
    }
}
