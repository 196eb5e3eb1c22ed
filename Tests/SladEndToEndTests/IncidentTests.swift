import Foundation
import GRDB
import Testing

/// Incidents and drills with the real binary: DaemonProcess.fastRules' plan `lift` has steps of seconds.
@Suite struct IncidentTests {
    static func slad(_ daemon: DaemonProcess, _ arguments: [String]) throws -> Slad.Output {
        try Slad.run(arguments + ["--server", "http://127.0.0.1:\(daemon.port)", "--token-env", "SLAD_TEST_TOKEN"],
                     environment: ["SLAD_TEST_TOKEN": daemon.token])
    }

    static func messages(_ daemon: DaemonProcess, incident: String) throws -> [(channel: String, message: String)] {
        let queue = try DatabaseQueue(path: daemon.state.appendingPathComponent("slad.sqlite").path)
        return try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT channel, message FROM outbox WHERE subject = 'incident' AND ticket_id = ? ORDER BY id",
                             arguments: [incident]).map { ($0[0], $0[1]) }
        }
    }

    @Test func aDrillIsMarkedRoutedToTheDrillChannelAndClosesWhenEveryStepIsConfirmed() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules())
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        let started = try Self.slad(daemon, ["incident", "drill", "lift", "--id", "D1", "--site", "翠湖花园", "--building", "7栋", "--by", "duty"])
        #expect(started.status == 0, "\(started.stderr)")
        #expect(started.stdout.contains("【演练】D1  lift 电梯困人  level II  翠湖花园 7栋  [open]"), "\(started.stdout)")
        try daemon.waitFor("the assignments", seconds: 20) { try Self.messages(daemon, incident: "D1").count == 2 }
        let assigned = try Self.messages(daemon, incident: "D1")
        #expect(assigned.allSatisfy { $0.channel == "drills" && $0.message.hasPrefix("【演练】【电梯困人·II级】翠湖花园 7栋 请负责步骤") })
        let outbox = try Self.slad(daemon, ["outbox", "list", "--messages"])
        #expect(outbox.stdout.contains("\tdrills\tincident D1\t") && outbox.stdout.contains("\t【演练】【电梯困人·II级】"), "\(outbox.stdout)")
        for step in ["comfort", "arrive"] {
            let confirmed = try Self.slad(daemon, ["incident", "confirm", "D1", step, "--by", "duty", "--note", "已完成 \(step)"])
            #expect(confirmed.status == 0, "\(confirmed.stderr)")
        }
        let shown = try Self.slad(daemon, ["incident", "show", "D1"])
        #expect(shown.stdout.contains("[closed]"), "\(shown.stdout)")
        #expect(shown.stdout.contains("✓ arrive 到场: confirmed"), "\(shown.stdout)")
        let again = try Self.slad(daemon, ["incident", "confirm", "D1", "comfort"])
        #expect(again.status == 1 && again.stderr.contains("incident 'D1' is closed"), "\(again.stderr)")
        #expect(shown.stdout.contains("closed ") && shown.stdout.contains("all steps confirmed"), "\(shown.stdout)")
        // Confirmed within their seconds: nothing was overdue.
        #expect(try daemon.count("SELECT COUNT(*) FROM firing WHERE subject = 'incident' AND step LIKE 'overdue:%'") == 0)
    }

    @Test func aLateStepEscalatesToTheManagerAndARaiseBringsInItsSteps() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules())
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        let opened = try daemon.post("/v1/incidents", ["id": "E1", "plan": "lift", "building": "7栋", "by": "duty"])
        #expect(opened.status == 201, "\(opened.object)")
        _ = try Self.slad(daemon, ["incident", "confirm", "E1", "comfort"])
        // arrive (3 s) is never confirmed: the manager hears of it.
        try daemon.waitFor("the overdue notice", seconds: 20) {
            try Self.messages(daemon, incident: "E1").contains { $0.message.contains("步骤「到场」已超时") }
        }
        #expect(try daemon.count("SELECT COUNT(*) FROM firing WHERE subject = 'incident' AND ticket_id = 'E1' AND step = 'overdue:arrive'") == 1)
        let raised = try Self.slad(daemon, ["incident", "raise", "E1", "I", "--by", "duty"])
        #expect(raised.status == 0 && raised.stdout.contains("level I"), "\(raised.stdout)\(raised.stderr)")
        #expect(raised.stdout.contains("· report 上报: open"), "\(raised.stdout)")
        // Whom each open step's assignment reached, by name.
        #expect(raised.stdout.contains("✗ arrive 到场: overdue") && raised.stdout.contains("→ 值班员"), "\(raised.stdout)")
        let lower = try Self.slad(daemon, ["incident", "raise", "E1", "II"])
        #expect(lower.status == 1 && lower.stderr.contains("a raise must go to a more serious level"), "\(lower.stderr)")
        let unknown = try Self.slad(daemon, ["incident", "confirm", "E1", "nap"])
        #expect(unknown.stderr.contains("HTTP 409: step: plan 'lift' has no step 'nap'; the steps of incident 'E1' are comfort, arrive, report"), "\(unknown.stderr)")
        let typo = try Self.slad(daemon, ["incident", "confirm", "E1", "arive"])
        #expect(typo.stderr.contains("did you mean 'arrive'?"), "\(typo.stderr)")
        let closed = try Self.slad(daemon, ["incident", "close", "E1", "--reason", "已解救"])
        #expect(closed.status == 0 && closed.stdout.contains("[closed]"))
        // The report shows the late step red: FAIL in Markdown and JSON, data-result="fail" in the timeline.
        let markdown = try Self.slad(daemon, ["incident", "report", "E1"])
        #expect(markdown.status == 0, "\(markdown.stderr)")
        #expect(markdown.stdout.contains("已解救") && markdown.stdout.contains("值班员"), "\(markdown.stdout)")
        let json = try Self.slad(daemon, ["incident", "report", "E1", "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let steps = try #require(report["steps"] as? [[String: Any]])
        #expect(steps.first { $0["name"] as? String == "comfort" }?["result"] as? String == "pass")
        #expect(steps.first { $0["name"] as? String == "arrive" }?["result"] as? String == "fail")
        #expect((report["totals"] as? [String: Any])?["result"] as? String == "fail")
        let page = FileManager.default.temporaryDirectory.appendingPathComponent("slad-report-\(UUID().uuidString).html")
        #expect(try Self.slad(daemon, ["incident", "report", "E1", "--format", "html", "--output", page.path]).status == 0)
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(html.contains("<g class=\"step\" data-step=\"arrive\" data-result=\"fail\">"))
        #expect(html.contains("<g class=\"step\" data-step=\"comfort\" data-result=\"pass\">"))
        let badPlan = try daemon.post("/v1/incidents", ["plan": "flood"])
        #expect(badPlan.status == 422)
        #expect((badPlan.object["error"] as? [String: Any])?["message"] as? String == "no plan 'flood'; the plans are lift")
    }

    @Test func anIncidentHoldsTheTicketsItExplainsAndAReportDeclaresIt() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules())
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        // A resident's report of people trapped declares the incident by itself.
        let report = try daemon.post("/v1/tickets", ["id": "T-trapped", "kind": "incident", "category": "lift-trapped", "building": "7栋"])
        #expect(report.object["incident"] as? String == "INC-T-trapped", "\(report.object)")
        // Two more residents of 7栋 complain about the lift (fast rules: complaints escalate within 3 s);
        // one in 8栋 does too. Only 8栋's escalates.
        for (id, building) in [("C-7a", "7栋"), ("C-7b", "7栋"), ("C-8", "8栋")] {
            let created = try daemon.post("/v1/tickets", ["id": id, "kind": "complaint", "category": "lift", "building": building])
            #expect(created.status == 201)
        }
        try daemon.waitFor("C-8's escalations", seconds: 20) {
            try daemon.count("SELECT COUNT(*) FROM firing WHERE ticket_id = 'C-8' AND subject = 'ticket'") >= 2
        }
        try daemon.waitFor("the held steps", seconds: 20) {
            try daemon.count("SELECT COUNT(*) FROM firing WHERE held_by = 'INC-T-trapped' AND ticket_id = 'C-7b'") >= 2
        }
        #expect(try daemon.count("SELECT COUNT(*) FROM outbox WHERE ticket_id IN ('C-7a', 'C-7b')") == 0)
        let shown = try Self.slad(daemon, ["ticket", "show", "C-7a"])
        #expect(shown.stdout.contains("linked to incident INC-T-trapped"), "\(shown.stdout)")
        #expect(shown.stdout.contains("held: incident INC-T-trapped explains this ticket"), "\(shown.stdout)")
        let incident = try daemon.request("GET", "/v1/incidents/INC-T-trapped")
        #expect(incident.object["tickets"] as? [String] == ["C-7a", "C-7b", "T-trapped"], "\(incident.object)")
        try daemon.waitFor("the held escalations and the open incident in /metrics", seconds: 20) {
            let text = (try? String(contentsOf: URL(string: "http://127.0.0.1:\(daemon.port)/metrics")!, encoding: .utf8)) ?? ""
            return text.contains("slad_incidents_open 1") && text.contains("slad_escalations_held_total")
        }
    }

    @Test func aPlansLastFourDrillsShowAsATrend() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules())
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        // Five drills, each confirmed at once: the trend takes the last four.
        for number in 1...5 {
            #expect(try daemon.post("/v1/incidents", ["id": "D\(number)", "plan": "lift", "drill": true]).status == 201)
            for step in ["comfort", "arrive"] {
                #expect(try daemon.post("/v1/incidents/D\(number)/confirm", ["step": step, "by": "duty"]).status == 200)
            }
        }
        // A real incident is never part of a drill trend.
        _ = try daemon.post("/v1/incidents", ["id": "E9", "plan": "lift"])
        let trend = try Self.slad(daemon, ["incident", "trend", "lift", "--format", "json"])
        #expect(trend.status == 0, "\(trend.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(trend.stdout.utf8)) as? [String: Any])
        let drills = try #require(object["drills"] as? [[String: Any]])
        #expect(drills.compactMap { $0["incident"] as? String } == ["D2", "D3", "D4", "D5"], "\(drills)")
        let markdown = try Self.slad(daemon, ["incident", "trend", "lift"])
        #expect(markdown.stdout.contains("| D2 |") && !markdown.stdout.contains("E9"), "\(markdown.stdout)")
        let unknown = try Self.slad(daemon, ["incident", "trend", "flood"])
        #expect(unknown.status == 1 && unknown.stderr.contains("no plan 'flood'; the plans are lift"), "\(unknown.stderr)")
    }

    @Test func aDrillOfTheShippedElevatorPlanEndsInAPassingReport() throws {
        let daemon = try DaemonProcess(rules: Slad.root.appendingPathComponent("rules"))
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        let started = try Self.slad(daemon, ["incident", "drill", "elevator-trapped", "--id", "D-2026Q4", "--site", "翠湖花园",
                                             "--building", "7栋", "--by", "chen-gang"])
        #expect(started.status == 0, "\(started.stderr)")
        try daemon.waitFor("the assignments", seconds: 20) { try Self.messages(daemon, incident: "D-2026Q4").count >= 6 }
        #expect(try Self.messages(daemon, incident: "D-2026Q4").allSatisfy { $0.message.hasPrefix("【演练】") })
        for (step, person) in [("comfort", "liu-yang"), ("dispatch", "wang-qiang"), ("arrive", "wang-qiang"),
                               ("release", "wang-qiang"), ("supervise", "chen-gang"), ("report", "zhou-min")] {
            let confirmed = try Self.slad(daemon, ["incident", "confirm", "D-2026Q4", step, "--by", person])
            #expect(confirmed.status == 0, "\(confirmed.stderr)")
        }
        let report = try Self.slad(daemon, ["incident", "report", "D-2026Q4"])
        #expect(report.stdout.contains("电梯困人") && report.stdout.contains("演练"), "\(report.stdout)")
        #expect(report.stdout.contains("PASS") && !report.stdout.contains("FAIL"), "\(report.stdout)")
        #expect(report.stdout.contains("陈刚"), "\(report.stdout)")
    }
}
