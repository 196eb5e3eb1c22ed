import Foundation
import Testing
@testable import SLARules

/// Issue 12, item 4: the years a calendar's data covers, the checks of a `.days` file against its year,
/// and `slad check`'s E122/W012 when the data runs out.
@Suite struct CalendarDataTests {
    /// A calendar with the given includes, counted in by a working-time clock.
    static func rules(includes: [String]) -> String {
        """
        calendar cn { timezone Asia/Shanghai; workdays mon-fri
        \(includes.map { "  include \"\($0)\"" }.joined(separator: "\n"))
        }
        hours office { calendar cn; 09:00-18:00 }
        channel console log {}
        policy complaint { when kind = complaint
          clock feedback within 3 working days using office until resolved
          escalate { at feedback notify assignee via console } }
        """
    }

    static let days2026 = "2026-10-01 off 国庆节\n2026-10-10 work 国庆节调休\n"

    func checkAt(_ today: String?, includes: [String] = ["cn-2026.days"], extra: [String: String]? = nil) -> CheckResult {
        let files = extra ?? ["cn-2026.days": Self.days2026]
        return RuleLoader.check([SourceFile(path: "test.sla", text: Self.rules(includes: includes))], today: today.flatMap(DayDate.init)) { path, _ in
            files[path].map { SourceFile(path: path, text: $0) }
        }
    }

    @Test func yearComesFromTheNameOrAYearLine() throws {
        let named = checkAt(nil)
        #expect(named.diagnostics.isEmpty, "\(named.diagnostics)")
        #expect(named.ruleSet?.calendars["cn"]?.dataYears == [2026])
        #expect(named.ruleSet?.calendars["cn"]?.dataUntil == DayDate("2026-12-31"))
        let declared = checkAt(nil, includes: ["holidays.days"], extra: ["holidays.days": "year 2027\n2027-10-01 off 国庆节\n"])
        #expect(declared.diagnostics.isEmpty, "\(declared.diagnostics)")
        #expect(declared.ruleSet?.calendars["cn"]?.dataYears == [2027])
    }

    @Test func aFileWithoutAYearIsWarnedAbout() {
        let result = checkAt(nil, includes: ["holidays.days"], extra: ["holidays.days": Self.days2026])
        #expect(codes(result) == ["W013"])
        #expect(result.location(of: result.diagnostics[0].range).line == 2)
        #expect(result.ruleSet?.calendars["cn"]?.tracksYearlyData == false)
    }

    @Test func datesOutsideTheYearAreErrorsWithTheirLine() throws {
        let text = "year 2027\n2026-12-31 off 元旦\n2027-01-01 off 元旦\n2026-02-10 off 春节\n"
        let result = checkAt(nil, includes: ["cn-2027.days"], extra: ["cn-2027.days": text])
        #expect(codes(result) == ["E123"])
        let diagnostic = try #require(result.diagnostics.first)
        let location = result.location(of: diagnostic.range)
        #expect((location.file, location.line, location.column) == ("cn-2027.days", 4, 1))
        #expect(diagnostic.message.contains("2026-02-10 is not in 2027"))
        #expect(diagnostic.hint == "did you mean 2027-02-10?")
        #expect(result.ruleSet == nil)
    }

    @Test func aYearLineThatContradictsTheNameIsAnError() {
        let result = checkAt(nil, includes: ["cn-2027.days"], extra: ["cn-2027.days": "year 2026\n2026-10-01 off 国庆节\n"])
        #expect(codes(result) == ["E123"])
        #expect(result.diagnostics[0].message.contains("its name cn-2027.days says 2027"))
    }

    @Test func makeUpWorkingDaysFallOnWeekends() throws {
        // 2027-02-10 is a Wednesday; 2027-02-07 a Sunday.
        let result = checkAt(nil, includes: ["cn-2027.days"], extra: ["cn-2027.days": "2027-02-07 work 春节调休\n2027-02-10 work 春节调休\n2027-02-11 off 春节\n"])
        #expect(codes(result) == ["E124"])
        let diagnostic = try #require(result.diagnostics.first)
        #expect(result.location(of: diagnostic.range).line == 2)
        #expect(diagnostic.message.contains("Wednesday"))
    }

    @Test func noDateTwiceAndNoFileTwice() throws {
        let twice = checkAt(nil, includes: ["cn-2027.days"], extra: ["cn-2027.days": "2027-02-11 off 春节\n2027-02-11 off 春节\n"])
        #expect(codes(twice) == ["E125"])
        #expect(twice.location(of: twice.diagnostics[0].range).line == 2)
        #expect(twice.diagnostics[0].related != nil)
        let included = checkAt(nil, includes: ["cn-2026.days", "cn-2026.days"])
        #expect(codes(included) == ["E125"])
        #expect(included.diagnostics[0].message.contains("includes 'cn-2026.days' twice"))
    }

    @Test func aYearWithoutMakeUpDaysIsStillData() {
        let result = checkAt("2027-03-01", includes: ["cn-2026.days", "cn-2027.days"],
                             extra: ["cn-2026.days": Self.days2026, "cn-2027.days": "2027-10-01 off 国庆节\n"])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    }

    @Test("the data's end as of a date", arguments: [
        ("2026-11-30", [String]()), ("2026-12-01", ["W012"]), ("2026-12-31", ["W012"]), ("2027-01-04", ["E122"]),
    ])
    func dataEnd(_ today: String, _ expected: [String]) throws {
        let result = checkAt(today)
        #expect(codes(result) == expected)
        guard let diagnostic = result.diagnostics.first else { return }
        #expect(result.location(of: diagnostic.range).line == 1)
        #expect(diagnostic.message.contains("calendar 'cn' has no holiday data for 2027"))
        #expect(diagnostic.message.contains("2026-12-31"))
        #expect(diagnostic.hint?.contains("slad calendar import 2027.json") == true)
    }

    @Test func withoutTodayOrWorkingTimeOrYearlyDataNothingIsSaid() {
        #expect(checkAt(nil).diagnostics.isEmpty)
        let wallOnly = RuleLoader.check([SourceFile(path: "t.sla", text: """
            calendar cn { include "cn-2026.days" }
            hours office { calendar cn; 09:00-18:00 }
            channel console log {}
            policy p { when kind = complaint; clock respond within 2h until acknowledged
              escalate { at respond notify assignee via console } }
            """)], today: DayDate("2027-01-04")) { path, _ in SourceFile(path: path, text: Self.days2026) }
        #expect(!codes(wallOnly).contains("E122"), "\(codes(wallOnly))")
        let weekly = RuleLoader.check([SourceFile(path: "t.sla", text: Self.rules(includes: []))], today: DayDate("2027-01-04"))
        #expect(weekly.diagnostics.isEmpty, "\(weekly.diagnostics)")
    }

    @Test func shippedRulesWarnInDecember2026() throws {
        let folder = repositoryRoot.appendingPathComponent("rules")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sla") }.sorted()
        let sources = try names.map { SourceFile(path: $0, text: try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)) }
        func at(_ today: String) -> CheckResult {
            RuleLoader.check(sources, today: DayDate(today)) { path, _ in
                (try? String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)).map { SourceFile(path: path, text: $0) }
            }
        }
        #expect(at("2026-06-01").diagnostics.isEmpty)
        #expect(codes(at("2026-12-03")) == ["W012"])
        #expect(codes(at("2027-02-05")) == ["E122"])
    }
}
