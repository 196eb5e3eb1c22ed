import Foundation
import Testing

/// Issue 12, item 4, tried the way the issue tells it: the shipped calendar ends 2026-12-31 and a ticket
/// in Spring Festival week 2027 must not be counted silently.
@Suite struct CalendarCommandTests {
    /// A made-up 2027 notice in the holiday-cn format (the real one is not public yet): test data only.
    static let notice2027 = """
    {"year": 2027, "papers": ["https://www.gov.cn/example-2027"],
     "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true},
              {"name": "春节", "date": "2027-02-06", "isOffDay": true},
              {"name": "春节", "date": "2027-02-07", "isOffDay": true},
              {"name": "春节", "date": "2027-02-08", "isOffDay": true},
              {"name": "春节", "date": "2027-02-09", "isOffDay": true},
              {"name": "春节", "date": "2027-02-10", "isOffDay": true},
              {"name": "春节", "date": "2027-02-11", "isOffDay": true},
              {"name": "春节", "date": "2027-02-12", "isOffDay": true},
              {"name": "春节", "date": "2027-02-20", "isOffDay": false}]}
    """

    @Test func checkWarnsFromDecemberAndErrsInTheNewYear() throws {
        let june = try Slad.run(["check", "--today", "2026-06-01", "rules"])
        #expect(june.status == 0 && !june.stdout.contains("warning"), "\(june.stdout)")
        let december = try Slad.run(["check", "--today", "2026-12-01", "rules"])
        #expect(december.status == 0)
        #expect(december.stdout.contains("rules/calendar.sla:7:10: warning: calendar 'cn' has no holiday data for 2027 yet (its data runs to 2026-12-31)"), "\(december.stdout)")
        #expect(december.stdout.contains("[W012]"))
        #expect(december.stdout.contains("slad calendar import 2027.json"))
        #expect(try Slad.run(["check", "--strict", "--today", "2026-12-01", "rules"]).status == 1)
        let january = try Slad.run(["check", "--today", "2027-02-05", "rules"])
        #expect(january.status == 1)
        #expect(january.stdout.contains("error: calendar 'cn' has no holiday data for 2027 (its data runs to 2026-12-31)"), "\(january.stdout)")
        #expect(january.stdout.contains("[E122]"))
        let bad = try Slad.run(["check", "--today", "2026-13-01", "rules"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--today '2026-13-01' is not a date"), "\(bad.stderr)")
    }

    @Test func anAdministratorImportsNextYear() throws {
        let folder = try Slad.copyOfRules()
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = folder.appendingPathComponent("2027.json")
        try Self.notice2027.write(to: json, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("calendars/cn-2027.days")
        let imported = try Slad.run(["calendar", "import", json.path, "--out", out.path])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("wrote \(out.path): 2027, 8 holidays and 1 make-up working days"), "\(imported.stdout)")
        #expect(imported.stdout.contains("include \"calendars/cn-2027.days\""))
        #expect(imported.stdout.contains("slad check"))
        let written = try String(contentsOf: out, encoding: .utf8)
        #expect(written.contains("\nyear 2027\n"))
        #expect(written.contains("2027-02-20 work 春节调休\n"))
        // Not yet included: check still says so. Then the include, as the command said.
        #expect(try Slad.run(["check", "--today", "2027-02-05", folder.path]).status == 1)
        let calendar = folder.appendingPathComponent("calendar.sla")
        let text = try String(contentsOf: calendar, encoding: .utf8)
        try text.replacingOccurrences(of: "  include \"calendars/cn-2026.days\"\n", with: "  include \"calendars/cn-2026.days\"\n  include \"calendars/cn-2027.days\"\n")
            .write(to: calendar, atomically: true, encoding: .utf8)
        let checked = try Slad.run(["check", "--today", "2027-02-05", folder.path])
        #expect(checked.status == 0 && !checked.stdout.contains("warning"), "\(checked.stdout)")
        // Importing over an existing file needs --force.
        let again = try Slad.run(["calendar", "import", json.path, "--out", out.path])
        #expect(again.status == 1)
        #expect(again.stderr.contains("exists; nothing written (--force replaces it)"))
        #expect(try Slad.run(["calendar", "import", "--force", json.path, "--out", out.path]).status == 0)
    }

    @Test func badNoticesAreRefusedByField() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slad-cal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = folder.appendingPathComponent("2027.json")
        try Self.notice2027.replacingOccurrences(of: "\"2027-02-20\", \"isOffDay\": false", with: "\"2027-02-17\", \"isOffDay\": false")
            .replacingOccurrences(of: "\"2027-01-01\"", with: "\"2027-1-1\"").write(to: json, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("cn-2027.days")
        let refused = try Slad.run(["calendar", "import", json.path, "--out", out.path])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("2027.json: days[0].date: error: '2027-1-1' is not a real date; expected YYYY-MM-DD"), "\(refused.stderr)")
        #expect(refused.stderr.contains("nothing written"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
        try Self.notice2027.replacingOccurrences(of: "\"2027-02-20\", \"isOffDay\": false", with: "\"2027-02-17\", \"isOffDay\": false")
            .write(to: json, atomically: true, encoding: .utf8)
        let weekday = try Slad.run(["calendar", "import", json.path, "--out", out.path])
        #expect(weekday.status == 1)
        #expect(weekday.stderr.contains("days[8]: error: 2027-02-17 is a Wednesday, a working day anyway"), "\(weekday.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(try Slad.run(["calendar", "import", "/nonexistent/2027.json"]).status == 2)
        let help = try Slad.run(["calendar", "import", "--help"])
        #expect(help.stdout.contains("holiday-cn") && help.stdout.contains("Exit status"))
    }

    @Test func aTypedDaysFileIsCheckedLineByLine() throws {
        let folder = try Slad.copyOfRules()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "# typed from the notice\n2027-01-01 off 元旦\n2026-02-08 off 春节\n2027-02-17 work 春节调休\n2027-01-01 off 元旦\n"
            .write(to: folder.appendingPathComponent("calendars/cn-2027.days"), atomically: true, encoding: .utf8)
        let calendar = folder.appendingPathComponent("calendar.sla")
        let text = try String(contentsOf: calendar, encoding: .utf8)
        try text.replacingOccurrences(of: "  include \"calendars/cn-2026.days\"\n", with: "  include \"calendars/cn-2026.days\"\n  include \"calendars/cn-2027.days\"\n")
            .write(to: calendar, atomically: true, encoding: .utf8)
        let output = try Slad.run(["check", "--today", "2026-12-01", folder.path])
        #expect(output.status == 1)
        let days = folder.path + "/calendars/cn-2027.days"
        #expect(output.stdout.contains("\(days):3:1: error: 2026-02-08 is not in 2027, the year this file holds (by its name cn-2027.days) [E123]"), "\(output.stdout)")
        #expect(output.stdout.contains("\(days):4:1: error: 2027-02-17 is a Wednesday, a working day anyway"))
        #expect(output.stdout.contains("[E124]"))
        #expect(output.stdout.contains("\(days):5:1: error: 2027-01-01 is listed twice in this file [E125]"))
    }

    @Test func explainAndRuleTestsMarkADeadlineBeyondTheData() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slad-cal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let ticket = folder.appendingPathComponent("ticket.json")
        try #"{"id": "T-CNY", "kind": "complaint", "grade": "A", "assignee": "zhang-wei", "created": "2027-02-05 10:00"}"#
            .write(to: ticket, atomically: true, encoding: .utf8)
        let explained = try Slad.run(["explain", "--at", "2027-02-05 10:30", ticket.path])
        #expect(explained.status == 0, "\(explained.stderr)")
        #expect(explained.stdout.contains("! deadline beyond the holiday data of calendar cn (it runs to 2026-12-31)"), "\(explained.stdout)")
        let json = try Slad.run(["explain", "--format", "json", "--at", "2027-02-05 10:30", ticket.path])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let clocks = try #require(object["clocks"] as? [[String: Any]])
        #expect(clocks.first { $0["name"] as? String == "feedback" }?["beyondCalendarData"] as? Bool == true)
        #expect(clocks.first { $0["name"] as? String == "respond" }?["beyondCalendarData"] as? Bool == false)
        let test = folder.appendingPathComponent("cny.slatest")
        try """
        rules \(Slad.root.path)/rules
        test "春节期间的投诉"
          ticket T1 kind=complaint grade=A assignee=zhang-wei at 2027-02-05 10:00
          event T1 acknowledged at 2027-02-05 10:05 by zhang-wei
          event T1 assessed at 2027-02-05 10:10 by zhang-wei
          event T1 resolved at 2027-02-05 10:15 by zhang-wei
          event T1 revisited at 2027-02-05 10:20 by zhang-wei
          run until 2027-02-06 10:00
        """.write(to: test, atomically: true, encoding: .utf8)
        let tested = try Slad.run(["test", test.path])
        #expect(tested.stdout.contains("note: T1 clock feedback: deadline 2027-02-10 10:00 lies beyond the holiday data of calendar cn (it runs to 2026-12-31)"), "\(tested.stdout)")
    }

    @Test func serveSaysSoAtStartAndHealthzShowsTheDataEnd() throws {
        let rules = try DaemonProcess.makeRules("""
        calendar cn { timezone Asia/Shanghai; workdays mon-fri; include "cn-2020.days" }
        hours office { calendar cn; 09:00-18:00 }
        channel console log {}
        policy complaint { when kind = complaint
          clock feedback within 3 working days using office until resolved
          escalate { at feedback notify assignee via console } }
        """)
        try "2020-10-01 off 国庆节\n".write(to: rules.appendingPathComponent("cn-2020.days"), atomically: true, encoding: .utf8)
        let daemon = try DaemonProcess(rules: rules)
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        let year = Calendar(identifier: .gregorian).component(.year, from: Date())
        try daemon.waitFor("the calendar warning", seconds: 10) { daemon.stderr.contains("calendar 'cn' has no holiday data for") }
        #expect(daemon.stderr.contains("its data runs to 2020-12-31"), "\(daemon.stderr)")
        let health = try daemon.request("GET", "/healthz").object
        let calendars = try #require(health["calendars"] as? [[String: Any]])
        #expect(calendars.first?["name"] as? String == "cn")
        #expect(calendars.first?["dataUntil"] as? String == "2020-12-31")
        #expect((calendars.first?["warning"] as? String)?.contains("slad calendar import") == true)
        // Load this year's and next year's data and reload: the warning goes.
        for loaded in [year, year + 1] {
            try "year \(loaded)\n".write(to: rules.appendingPathComponent("cn-\(loaded).days"), atomically: true, encoding: .utf8)
        }
        let text = try String(contentsOf: rules.appendingPathComponent("rules.sla"), encoding: .utf8)
        try text.replacingOccurrences(of: "include \"cn-2020.days\"", with: "include \"cn-2020.days\"; include \"cn-\(year).days\"; include \"cn-\(year + 1).days\"")
            .write(to: rules.appendingPathComponent("rules.sla"), atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        try daemon.waitFor("the reload", seconds: 10) {
            let calendars = try daemon.request("GET", "/healthz").object["calendars"] as? [[String: Any]]
            return calendars?.first?["dataUntil"] as? String == "\(year + 1)-12-31"
        }
        let after = try #require(try daemon.request("GET", "/healthz").object["calendars"] as? [[String: Any]])
        #expect(after.first?["warning"] is NSNull)
    }
}
