import Foundation
import SLAEngine
import SLAFormats
import SLARules
import Testing

/// Issue 12, item 4: `slad calendar import`'s conversion of a holiday-cn notice, its refusals, and rule
/// tests' note on a deadline beyond the calendar's data.
@Suite struct CalendarImportTests {
    static let shared = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data/calendar-cn")

    static func notice(_ json: String) -> (HolidayNotice?, [String]) {
        let (notice, problems) = HolidayNotice.parse(Data(json.utf8))
        return (notice, problems.map(\.description))
    }

    @Test func theOfficialDataConvertsToTheShippedFile() throws {
        // The shipped cn-2026.days came from the same JSON through scripts/gen-calendars.py: the dated lines agree.
        let data = try Data(contentsOf: Self.shared.appendingPathComponent("2026.json"))
        let notice = try #require(HolidayNotice.parse(data).notice)
        #expect(notice.year == 2026)
        #expect(notice.isHolidayCN)
        let text = notice.daysText(importedFrom: "2026.json")
        let shipped = try String(contentsOf: repositoryRoot.appendingPathComponent("rules/calendars/cn-2026.days"), encoding: .utf8)
        func dated(_ text: String) -> [Substring] { text.split(separator: "\n").filter { $0.first?.isNumber == true } }
        #expect(dated(text) == dated(shipped))
        #expect(text.contains("\nyear 2026\n"))
        #expect(text.contains("https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm"))
        #expect(notice.validate(daysText: text, path: "cn-2026.days").isEmpty)
    }

    @Test("every year of the official data imports cleanly", arguments: [2023, 2024, 2025, 2026])
    func officialYears(_ year: Int) throws {
        let data = try Data(contentsOf: Self.shared.appendingPathComponent("\(year).json"))
        let notice = try #require(HolidayNotice.parse(data).notice)
        // 2023's notice starts on 2022-12-31 (the New Year holiday): the December before the year is allowed.
        #expect(notice.validate(daysText: notice.daysText(importedFrom: "x.json"), path: "cn-\(year).days").isEmpty)
    }

    @Test func badFieldsAreNamed() {
        #expect(Self.notice("[1, 2]").1 == ["(file): not a JSON object; expected the holiday-cn format {\"year\": 2027, \"days\": [{\"name\", \"date\", \"isOffDay\"}, …]}"])
        let (notice, problems) = Self.notice("""
            {"days": [{"name": "春节", "date": "2027-02-30", "isOffDay": true},
                      {"name": "", "date": "2027-02-06", "isOffDay": "false"}, 7]}
            """)
        #expect(notice == nil)
        #expect(problems == [
            "year: missing; expected the notice's year, e.g. 2027",
            "days[0].date: '2027-02-30' is not a real date; expected YYYY-MM-DD",
            "days[1].name: expected the holiday's name as the notice gives it, e.g. \"春节\" (one line, no '#')",
            "days[1].isOffDay: expected true (a holiday) or false (a make-up working day)",
            "days[2]: expected an object {\"name\", \"date\", \"isOffDay\"}",
        ])
    }

    @Test func checksAsSladCheckDoesAndNamesTheEntry() throws {
        // Entry 0 is in 2026 though the notice is for 2027; entry 2 is a make-up day on a Wednesday; entry 3 repeats entry 1.
        let (notice, problems) = Self.notice("""
            {"year": 2027, "days": [{"name": "春节", "date": "2026-02-10", "isOffDay": true},
              {"name": "春节", "date": "2027-02-06", "isOffDay": true},
              {"name": "春节", "date": "2027-02-10", "isOffDay": false},
              {"name": "春节", "date": "2027-02-06", "isOffDay": true}]}
            """)
        #expect(problems.isEmpty)
        let parsed = try #require(notice)
        let found = parsed.validate(daysText: parsed.daysText(importedFrom: "2027.json"), path: "cn-2027.days")
        #expect(found.map(\.field) == ["days[0]", "days[3]", "days[2]"])
        #expect(found[0].message.contains("2026-02-10 is not in 2027"))
        #expect(found[1].message.contains("listed twice"))
        #expect(found[2].message.contains("Wednesday"))
    }

    @Test func ruleTestsNoteADeadlineBeyondTheData() throws {
        let rules = testRules.replacingOccurrences(of: "calendar cn { timezone Asia/Shanghai; workdays mon-fri", with: "calendar cn { timezone Asia/Shanghai; workdays mon-fri\n  include \"cn-2025.days\"")
        let days = "2025-10-01 off 国庆节\n"
        let result = RuleLoader.check([SourceFile(path: "test.sla", text: rules)]) { path, _ in SourceFile(path: path, text: days) }
        let engine = try Engine(rules: try #require(result.ruleSet))
        let text = """
            test "beyond"
              ticket T1 kind=complaint grade=A assignee=zhang-wei at 2025-12-30 10:00
              ticket T2 kind=complaint grade=A assignee=zhang-wei at 2025-12-01 10:00
              event T1 acknowledged at 2025-12-30 10:10 by li-na
              event T2 acknowledged at 2025-12-01 10:10 by li-na
              run until 2026-01-05 12:00
            """
        let (file, _) = RuleTestParser.parse(text, path: "t.slatest")
        let test = try #require(RuleTestCompiler.compile(file, engine: engine).tests.first)
        let outcome = RuleTestRunner.run(test, engine: engine)
        #expect(outcome.beyondCalendarData.map(\.ticket) == ["T1"])
        #expect(RuleTestReport.notes(outcome, zone: engine.displayZone) == [
            "  note: T1 clock feedback: deadline 2026-01-02 10:00 lies beyond the holiday data of calendar cn (it runs to 2025-12-31); holidays there are not counted",
        ])
    }
}
