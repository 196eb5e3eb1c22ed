import Foundation
import Testing

@Suite struct ExplainCommandTests {
    @Test func explainsTheSampleTicket() throws {
        let output = try Slad.run(["explain", "--at", "2025-09-22 13:00", "docs/examples/ticket.json"])
        #expect(output.status == 0, "\(output.stderr)")
        let text = output.stdout
        #expect(text.contains("policy complaint-a \"A级投诉\""))
        #expect(text.contains("because kind = complaint ✓ (complaint) and grade = A ✓ (A)"))
        // The respond clock (2 h) was paused 30 min while waiting for the resident: due 12:30, overdue at 13:00.
        #expect(text.contains("deadline 2025-09-22 12:30 (overdue by 30m)"), "\(text)")
        #expect(text.contains("respond: DUE NOW (fell due 2025-09-22 12:30)"))
        #expect(text.contains("notify supervisor → sms: 李娜"))
        // 3 working days from Monday 10:00, plus the 30 paused working minutes.
        #expect(text.contains("deadline 2025-09-25 10:30"))
        #expect(text.contains("revisit: will not fire: clock revisit has not started"))
        #expect(text.contains("next change: 2025-09-22 13:30"))
    }

    @Test func earlierPoliciesThatDoNotMatchAreShownWithTheirReason() throws {
        let ticket = #"{"id": "R1", "kind": "repair", "category": "水管", "created": "2025-09-22 10:00"}"#
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("slad-explain-\(UUID().uuidString).json")
        try ticket.write(to: file, atomically: true, encoding: .utf8)
        let output = try Slad.run(["explain", "--at", "2025-09-22 10:30", file.path])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("not policy repair-urgent \"紧急报修\": kind = repair ✓ (repair) and priority = urgent ✗ (unset)"), "\(output.stdout)")
        #expect(output.stdout.contains("policy repair-regular"))
    }

    @Test func aValueTheRulesRefuseIsPointedOut() throws {
        let ticket = #"{"id": "C9", "kind": "complaint", "grade": "D", "assignee": "刘洋", "created": "2025-09-22 10:00"}"#
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("slad-explain-\(UUID().uuidString).json")
        try ticket.write(to: file, atomically: true, encoding: .utf8)
        let output = try Slad.run(["explain", "--at", "2025-09-22 10:30", file.path])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stderr.contains(": warning: 'D' is not a grade the rules declare; expected one of A, B, C"), "\(output.stderr)")
        #expect(output.stderr.contains(": warning: '刘洋' is not a person in the rules; did you mean liu-yang (刘洋)?"), "\(output.stderr)")
        #expect(output.stdout.contains("policy complaint-ungraded"), "\(output.stdout)")
    }

    @Test func jsonOutputParses() throws {
        let output = try Slad.run(["explain", "--format", "json", "--at", "2025-09-22T13:00:00+08:00", "docs/examples/ticket.json"])
        #expect(output.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect(object["policy"] as? String == "complaint-a")
        let clocks = try #require(object["clocks"] as? [[String: Any]])
        #expect(clocks.first?["state"] as? String == "breached")
    }

    @Test func badTicketNamesTheField() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("slad-explain-\(UUID().uuidString).json")
        try #"{"id": "X", "kind": "repair", "created": "2025-09-22 10:00", "asignee": "li-na"}"#.write(to: file, atomically: true, encoding: .utf8)
        let output = try Slad.run(["explain", "--at", "2025-09-22 10:30", file.path])
        #expect(output.status == 1)
        #expect(output.stderr.contains(":1: error: asignee: unknown field (did you mean 'assignee'?)"), "\(output.stderr)")
    }

    /// A pretty-printed ticket: the error names the line of the field, not line 1.
    @Test func anErrorInAPrettyPrintedTicketNamesItsLine() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("slad-explain-\(UUID().uuidString).json")
        try """
        {
          "id": "X",
          "kind": "repair",
          "created": "2025-09-22 10:00",
          "events": [
            {"kind": "acknowledged", "at": "2025-09-22 10:05"},
            {"kind": "resolved", "at": "noon"}
          ]
        }
        """.write(to: file, atomically: true, encoding: .utf8)
        let output = try Slad.run(["explain", "--at", "2025-09-22 10:30", file.path])
        #expect(output.status == 1)
        #expect(output.stderr.contains("\(file.path):7: error: events[1].at:"), "\(output.stderr)")
    }

    @Test func unreadableFileExitsTwo() throws {
        let output = try Slad.run(["explain", "/nonexistent/ticket.json"])
        #expect(output.status == 2)
    }

    /// `--server` explains with the daemon's rules, not with the `./rules` folder of the current directory
    /// (the repository's, where a repair takes repair-regular; the daemon's rules give it policy `slow`).
    @Test func serverExplainsWithTheDaemonsRules() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules())
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        let created = try daemon.post("/v1/tickets", ["id": "R1", "kind": "repair", "created": "2025-09-22T10:00:00+08:00"])
        #expect(created.status == 201, "\(created.object)")
        let url = "http://127.0.0.1:\(daemon.port)"
        let text = try Slad.run(["explain", "--server", url, "--at", "2025-09-22 10:30", "R1"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("policy slow \"慢速\""), "\(text.stdout)")
        #expect(!text.stdout.contains("repair-regular"), "\(text.stdout)")
        #expect(text.stdout.contains("rules: the daemon's (version "), "\(text.stdout)")
        #expect(text.stdout.contains("deadline 2025-09-22 11:00 (in 30m)"), "\(text.stdout)")

        let json = try Slad.run(["explain", "--server", url, "--format", "json", "--at", "2025-09-22T10:30:00+08:00", "R1"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["policy"] as? String == "slow")
        let health = try daemon.request("GET", "/healthz")
        #expect(object["rules"] as? String == health.object["rules"] as? String)
        #expect(object["at"] as? String == "2025-09-22T10:30:00+08:00")

        // Options that belong to a local explanation are refused rather than silently ignored.
        let withRules = try Slad.run(["explain", "--server", url, "--rules", "rules", "R1"])
        #expect(withRules.status != 0)
        #expect(withRules.stderr.contains("--rules does not apply with --server"), "\(withRules.stderr)")
        // An unknown ticket says so.
        let unknown = try Slad.run(["explain", "--server", url, "NOPE"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("NOPE"), "\(unknown.stderr)")
        let badAt = try daemon.request("GET", "/v1/tickets/R1/explain?at=yesterday")
        #expect(badAt.status == 400)
    }
}
