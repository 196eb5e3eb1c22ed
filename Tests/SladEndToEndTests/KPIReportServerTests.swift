import Foundation
import Testing

/// `GET /v1/reports/kpi` on a running daemon gives the same KPIs as `slad report --tickets` on a file
/// holding the same history: one arithmetic, two ways in.
@Suite(.serialized) struct KPIReportServerTests {
    static let rules = """
    calendar cn { timezone Asia/Shanghai; workdays mon-fri }
    person wang "王强" { phone "+8613800000001" }
    team desk { members wang; supervisor wang; manager wang }
    policy repair "报修" {
      when kind = repair
      team desk
      clock complete "维修完成" within 24h until resolved
    }
    kpi repair-24h "维修24小时完成率" {
      measure on-time complete
      when kind = repair
      by site
      target at-least 90%
    }
    kpi resolution "处理率" { measure resolution-rate }
    kpi median-complete "维修用时中位数" { measure median time-to complete; when kind = repair }
    """

    /// Twelve repairs over the first week of November 2026 at two sites; every third one late, one never resolved.
    static var history: [[String: Any]] {
        (0..<12).map { index in
            let day = 2 + index % 6
            var ticket: [String: Any] = ["id": "H\(index)", "kind": "repair", "site": index % 2 == 0 ? "cuihu" : "lanting",
                                         "created": String(format: "2026-11-%02d 09:00", day)]
            if index != 11 {
                let late = index % 3 == 0
                ticket["events"] = [["kind": "resolved", "at": String(format: "2026-11-%02d %@", late ? day + 1 : day, late ? "15:00" : "11:30")]]
            }
            return ticket
        }
    }

    @Test func theDaemonsReportAgreesWithTheFileReport() throws {
        let rules = try DaemonProcess.makeRules(Self.rules)
        let daemon = try DaemonProcess(rules: rules)
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        for ticket in Self.history {
            var created = ticket
            created["events"] = nil
            #expect(try daemon.post("/v1/tickets", created).status == 201)
            for event in ticket["events"] as? [[String: Any]] ?? [] {
                #expect(try daemon.post("/v1/tickets/\(ticket["id"]!)/events", event).status == 200)
            }
        }
        let served = try daemon.request("GET", "/v1/reports/kpi?from=2026-11-01&to=2026-11-08&format=json")
        #expect(served.status == 200, "\(served.text)")

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kpi-history-\(UUID().uuidString).jsonl")
        let lines = try Self.history.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let printed = try Slad.run(["report", "--rules", rules.path, "--tickets", file.path, "--from", "2026-11-01", "--to", "2026-11-08",
                                    "--format", "json"])
        #expect(printed.status == 0, "\(printed.stderr)")

        let fromServer = try #require(served.object["kpis"] as? [[String: Any]])
        let fromFile = try #require(try JSONSerialization.jsonObject(with: Data(printed.stdout.utf8)) as? [String: Any])
        let fileKPIs = try #require(fromFile["kpis"] as? [[String: Any]])
        #expect(fromServer.count == 3 && fileKPIs.count == 3)
        for (server, file) in zip(fromServer, fileKPIs) {
            #expect(NSDictionary(dictionary: server["overall"] as? [String: Any] ?? [:]) == NSDictionary(dictionary: file["overall"] as? [String: Any] ?? [:]),
                    "\(server["kpi"] ?? "")")
            #expect((server["groups"] as? [Any])?.count == (file["groups"] as? [Any])?.count)
        }
        // 11 resolved repairs, 4 of them late (H0, H3, H6, H9); H11 still running past its deadline: 7 of 12 on time.
        let onTime = try #require(fromServer.first?["overall"] as? [String: Any])
        #expect(onTime["sample"] as? Int == 12 && onTime["count"] as? Int == 7, "\(onTime)")
        #expect(onTime["level"] as? String == "breached")

        // The same from the command line, asking the daemon.
        let asked = try Slad.run(["report", "--server", "http://127.0.0.1:\(daemon.port)", "--from", "2026-11-01", "--to", "2026-11-08",
                                  "--format", "json"])
        #expect(asked.status == 0, "\(asked.stderr)")
        #expect(asked.stdout == served.text)
        let badPeriod = try Slad.run(["report", "--server", "http://127.0.0.1:\(daemon.port)", "--period", "2026-13"])
        #expect(badPeriod.status != 0 && badPeriod.stderr.contains("--period: '2026-13' is not a month"), "\(badPeriod.stderr)")

        // A period still running is judged now: a repair opened a moment ago is not late at the month's end.
        #expect(try daemon.post("/v1/tickets", ["id": "N1", "kind": "repair", "site": "cuihu"]).status == 201)
        let thisMonth = try daemon.request("GET", "/v1/reports/kpi")
        let current = try #require((thisMonth.object["kpis"] as? [[String: Any]])?.first?["overall"] as? [String: Any], "\(thisMonth.text)")
        #expect(current["sample"] as? Int == 0 && current["level"] as? String == "no-data", "\(current)")

        let refused = try daemon.request("GET", "/v1/reports/kpi?period=2026-13")
        #expect(refused.status == 400 && (refused.object["error"] as? [String: Any])?["field"] as? String == "period", "\(refused.text)")
        let csv = try daemon.request("GET", "/v1/reports/kpi?period=2026-11&format=csv")
        #expect(csv.status == 200 && csv.text.contains("repair-24h"))
    }
}
