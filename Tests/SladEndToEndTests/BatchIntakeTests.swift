import Foundation
import Testing

/// `POST /v1/tickets/batch` with the real binary (issue 16, intake): an array or JSON Lines, one result
/// per ticket, a refused ticket changing nothing for the others, idempotent per ticket, limits.
@Suite(.serialized) struct BatchIntakeTests {
    func send(_ daemon: DaemonProcess, _ body: Data, token: String? = nil) throws -> DaemonProcess.Reply {
        try daemon.request("POST", "/v1/tickets/batch", body: body, token: token ?? daemon.token)
    }

    @Test func anArrayGoesInWholeWithOneResultPerTicket() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules())
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        let tickets: [[String: Any]] = [
            ["id": "A1", "kind": "complaint", "idempotencyKey": "hotline-1"],
            ["id": "A2", "kind": "complaint", "created": "yesterday"],
            ["kind": "complaint"], ["kind": "complaint"], ["kind": "complaint"],
            ["id": "A1", "kind": "complaint"],
            ["id": "A7", "kind": "tea"],
        ]
        let first = try send(daemon, try JSONSerialization.data(withJSONObject: tickets))
        #expect(first.status == 200, "\(first.text)")
        #expect(first.object["created"] as? Int == 4 && first.object["present"] as? Int == 0 && first.object["failed"] as? Int == 3, "\(first.text)")
        let results = try #require(first.object["results"] as? [[String: Any]])
        #expect(results.map { $0["status"] as? Int } == [201, 422, 201, 201, 201, 409, 422])
        #expect(results.map { $0["index"] as? Int } == Array(0..<7))
        let bad = try #require(results[1]["error"] as? [String: Any])
        #expect(bad["code"] as? String == "invalid_ticket" && bad["field"] as? String == "created", "\(bad)")
        #expect((results[5]["error"] as? [String: Any])?["code"] as? String == "duplicate_ticket")
        #expect(((results[6]["error"] as? [String: Any])?["message"] as? String)?.contains("not a ticket kind") == true)
        let made = results.compactMap { $0["status"] as? Int == 201 ? $0["id"] as? String : nil }
        #expect(Set(made).count == 4, "ids made in one second are distinct: \(made)")
        #expect(try daemon.count("SELECT COUNT(*) FROM ticket") == 4)
        // Again: the keyed ticket answers 200, the rest as before; nothing is doubled.
        let again = try send(daemon, try JSONSerialization.data(withJSONObject: [tickets[0]]))
        #expect((again.object["results"] as? [[String: Any]])?.first?["status"] as? Int == 200)
        #expect(again.object["present"] as? Int == 1)
        #expect(try daemon.count("SELECT COUNT(*) FROM ticket") == 4)
        // The batch's tickets escalate as any other.
        try daemon.waitFor("A1's first step", seconds: 20) { try daemon.count("SELECT COUNT(*) FROM firing WHERE ticket_id = 'A1'") >= 1 }
    }

    @Test func jsonLinesAnswerWithTheirLinesAndLimitsAreSaid() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules())
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        let lines = """
        # from the hotline's export
        {"id": "L1", "kind": "complaint"}

        not json
        {"id": "L2", "kind": "complaint", "idempotencyKey": 7}
        {"id": "L3", "kind": "complaint"}
        """
        let answer = try send(daemon, Data(lines.utf8))
        #expect(answer.status == 200, "\(answer.text)")
        let results = try #require(answer.object["results"] as? [[String: Any]])
        #expect(results.map { $0["line"] as? Int } == [2, 4, 5, 6])
        #expect(results.map { $0["status"] as? Int } == [201, 400, 422, 201])
        #expect((results[2]["error"] as? [String: Any])?["field"] as? String == "idempotencyKey")
        // Refused whole: nothing at all, neither array nor lines, too many, no token.
        #expect(try send(daemon, Data("  \n".utf8)).status == 400)
        #expect(try send(daemon, Data("[{\"id\": ".utf8)).status == 400)
        let many = try JSONSerialization.data(withJSONObject: Array(repeating: ["kind": "complaint"], count: 5001))
        let tooMany = try send(daemon, many)
        #expect(tooMany.status == 413 && (tooMany.object["error"] as? [String: Any])?["code"] as? String == "too_many", "\(tooMany.text)")
        #expect(try send(daemon, Data("[]".utf8), token: "wrong").status == 401)
        #expect(try daemon.count("SELECT COUNT(*) FROM ticket") == 2)
    }
}
