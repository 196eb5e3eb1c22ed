import Foundation
import Testing

/// Values outside the sets the rules declare are refused by the API, `slad ticket open` and
/// `slad import`, with a did-you-mean; a reload that narrows a set leaves stored tickets working.
@Suite(.serialized) struct FieldValueTests {
    static let rules = DaemonProcess.fastRules + """

    person liu-yang "刘洋" { phone "+8613800000007" }
    team front { members liu-yang; supervisor duty }
    fields {
      grade A "重大", B "较大", C "一般"
      priority urgent "紧急", regular "常规"
      category lift "电梯故障", lift-trapped "电梯困人", water
    }
    """

    @Test func theAPIRefusesValuesOutsideTheirSetsWithADidYouMean() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules(Self.rules))
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        let refused = try daemon.post("/v1/tickets", ["id": "X1", "kind": "complaint", "grade": "D", "priority": "rush", "assignee": "nobody-here"])
        #expect(refused.status == 422)
        let error = try #require(refused.object["error"] as? [String: Any])
        #expect(error["code"] as? String == "invalid_ticket")
        #expect(error["field"] as? String == "grade")
        #expect(error["message"] as? String == "'D' is not a grade the rules declare; expected one of A, B, C; "
            + "'rush' is not a priority the rules declare; expected one of urgent, regular; "
            + "'nobody-here' is not a person in the rules; expected one of duty, liu-yang")
        let refusedList = try #require(error["refused"] as? [[String: Any]])
        #expect(refusedList.map { $0["field"] as? String } == ["grade", "priority", "assignee"])
        #expect(refusedList.map { $0["value"] as? String } == ["D", "rush", "nobody-here"])
        let titled = try daemon.post("/v1/tickets", ["kind": "repair", "category": "电梯困人"])
        #expect((titled.object["error"] as? [String: Any])?["message"] as? String
            == "'电梯困人' is not a category the rules declare; did you mean lift-trapped (电梯困人)?")
        #expect(((titled.object["error"] as? [String: Any])?["refused"] as? [[String: Any]])?.first?["suggestion"] as? String == "lift-trapped")
        #expect(try daemon.count("SELECT COUNT(*) FROM ticket") == 0, "a refusal changes nothing")

        #expect(try daemon.post("/v1/tickets", ["id": "OK1", "kind": "complaint", "grade": "A", "assignee": "duty"]).status == 201)
        let reassigned = try daemon.post("/v1/tickets/OK1/events", ["kind": "assigned", "assignee": "刘洋"])
        #expect(reassigned.status == 422)
        #expect((reassigned.object["error"] as? [String: Any])?["message"] as? String
            == "'刘洋' is not a person in the rules; did you mean liu-yang (刘洋)?")
        let regraded = try daemon.post("/v1/tickets/OK1/events", ["kind": "regraded", "grade": "a"])
        #expect((regraded.object["error"] as? [String: Any])?["field"] as? String == "grade")
        #expect(try daemon.count("SELECT COUNT(*) FROM ticket_event") == 1)
        #expect(try daemon.post("/v1/tickets/OK1/events", ["kind": "assigned", "assignee": "liu-yang"]).status == 200)
    }

    @Test func ticketOpenAndImportPrintTheRefusal() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules(Self.rules))
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        let server = ["--server", "http://127.0.0.1:\(daemon.port)", "--token-env", "SLAD_TEST_TOKEN"]
        let opened = try Slad.run(["ticket", "open", "--kind", "repair", "--assignee", "刘洋"] + server,
                                  environment: ["SLAD_TEST_TOKEN": daemon.token])
        #expect(opened.status == 1)
        #expect(opened.stderr.contains("HTTP 422: assignee: '刘洋' is not a person in the rules; did you mean liu-yang (刘洋)?"), "\(opened.stderr)")
        let several = try Slad.run(["ticket", "open", "--kind", "complaint", "--grade", "D", "--priority", "rush"] + server,
                                   environment: ["SLAD_TEST_TOKEN": daemon.token])
        #expect(several.stderr == """
            slad: HTTP 422: grade: 'D' is not a grade the rules declare; expected one of A, B, C
              priority: 'rush' is not a priority the rules declare; expected one of urgent, regular

            """, "\(several.stderr)")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("slad-import-\(UUID().uuidString).jsonl")
        try """
        {"id": "I1", "kind": "repair", "category": "water", "created": "2025-09-22 10:00"}
        {"id": "I2", "kind": "repair", "category": "waterr", "created": "2025-09-22 10:05"}
        {"id": "I3", "kind": "repair", "created": "2025-09-22 10:05", "events": [{"kind": "assigned", "at": "2025-09-22 10:06", "assignee": "刘洋"}]}
        """.write(to: file, atomically: true, encoding: .utf8)
        let imported = try Slad.run(["import", file.path] + server, environment: ["SLAD_TEST_TOKEN": daemon.token])
        #expect(imported.status == 1)
        #expect(imported.stdout.contains("imported 1 ticket"), "\(imported.stdout)")
        #expect(imported.stderr.contains(":2: error: HTTP 422: category: 'waterr' is not a category the rules declare; did you mean water?"),
                "\(imported.stderr)")
        #expect(imported.stderr.contains(":3: error: HTTP 422: assignee: '刘洋' is not a person in the rules; did you mean liu-yang (刘洋)?"),
                "\(imported.stderr)")
    }

    @Test func aReloadThatNarrowsASetLeavesStoredTicketsWorking() throws {
        let rules = try DaemonProcess.makeRules(Self.rules)
        let daemon = try DaemonProcess(rules: rules)
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        #expect(try daemon.post("/v1/tickets", ["id": "W1", "kind": "repair", "category": "water", "grade": "C"]).status == 201)
        let narrowed = Self.rules.replacingOccurrences(of: ", water\n", with: "\n").replacingOccurrences(of: "B \"较大\", C \"一般\"", with: "B \"较大\"")
        try narrowed.write(to: rules.appendingPathComponent("rules.sla"), atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        try daemon.waitFor("the reload", seconds: 10) { daemon.stderr.contains("rules reloaded") }
        let shown = try daemon.request("GET", "/v1/tickets/W1")
        #expect(shown.status == 200)
        #expect(shown.object["category"] as? String == "water")
        #expect(try daemon.request("GET", "/v1/tickets").status == 200)
        #expect(try daemon.post("/v1/tickets/W1/events", ["kind": "acknowledged"]).status == 200)
        #expect(try daemon.post("/v1/tickets", ["kind": "repair", "category": "water"]).status == 422)
    }
}
