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

    @Test func unreadableFileExitsTwo() throws {
        let output = try Slad.run(["explain", "/nonexistent/ticket.json"])
        #expect(output.status == 2)
    }
}
