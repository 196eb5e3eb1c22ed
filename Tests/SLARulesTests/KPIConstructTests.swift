import Testing
@testable import SLARules

/// Rules with two policies whose clocks kpis can measure, on top of `baseRules`.
let kpiBaseRules = baseRules + """

policy repair { when kind = repair; team cs
  clock respond within 30m until acknowledged
  clock complete within 24h until resolved }
policy complaint { when kind = complaint; team cs
  clock respond within 2h until acknowledged
  clock feedback within 3 working days using office until resolved }

"""

/// Checks `kpiBaseRules` and one kpi `k` with `body` as its block.
func kpi(_ body: String, extra: String = "") -> CheckResult {
    check(kpiBaseRules + extra + "kpi k {\n\(body)\n}\n")
}

/// `kpi NAME "title" { … }`: every setting read into `RuleSet.kpis`, and the defaults.
@Suite struct KPIConstructTests {
    @Test func readsEverySettingIntoTheRuleSet() throws {
        let result = check(kpiBaseRules + """
        kpi repair-24h "维修24小时完成率" {
          measure on-time complete
          when kind = repair
          over 30d
          by site
          target at-least 93%
          warn below 95%
          clear at 96%
          notify manager, person li-na via sms, console every 1d
          team cs
          calendar cn
          source "《物业服务标准》5.2"
        }
        """)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let kpi = try #require(result.ruleSet?.kpis.first)
        #expect(kpi.name == "repair-24h")
        #expect(kpi.title == "维修24小时完成率")
        #expect(kpi.measure == .onTime(clock: "complete"))
        #expect(kpi.match == .comparison(field: .kind, isNegated: false, values: ["repair"]))
        #expect(kpi.window == .rolling(days: 30))
        #expect(kpi.grouping == .site)
        #expect(kpi.target == KPILine(value: 0.93, higherIsBetter: true))
        #expect(kpi.warn == KPILine(value: 0.95, higherIsBetter: true))
        #expect(kpi.clearAt == 0.96)
        #expect(kpi.notice == KPINotice(targets: [.manager, .person("li-na")], channels: ["sms", "console"], repeatEvery: Duration(seconds: 86_400)))
        #expect(kpi.team == "cs")
        #expect(kpi.calendar == "cn")
        #expect(kpi.hours == nil)
        #expect(kpi.source == "《物业服务标准》5.2")
        #expect(kpi.higherIsBetter)
        #expect(result.location(of: kpi.location).line == 14)
    }

    @Test func defaultsAndTheOnlyCalendar() throws {
        let result = kpi("measure open")
        #expect(result.errorCount == 0, "\(result.diagnostics)")
        let kpi = try #require(result.ruleSet?.kpis.first)
        #expect(kpi.title == nil)
        #expect(kpi.match == .always)
        #expect(kpi.window == .rolling(days: 30))
        #expect(kpi.grouping == nil && kpi.target == nil && kpi.warn == nil && kpi.clearAt == nil && kpi.notice == nil)
        #expect(kpi.calendar == "cn")
        #expect(kpi.higherIsBetter == false)
        #expect(check(kpiBaseRules).ruleSet?.kpis.isEmpty == true)
    }

    @Test(arguments: [
        ("on-time respond", KPIMeasure.onTime(clock: "respond")),
        ("median time-to respond", .timeTo(clock: "respond", percentile: 50, workingTime: false)),
        ("p90 time-to complete", .timeTo(clock: "complete", percentile: 90, workingTime: false)),
        ("median working-time-to feedback", .timeTo(clock: "feedback", percentile: 50, workingTime: true)),
        ("p90 working-time-to feedback using office", .timeTo(clock: "feedback", percentile: 90, workingTime: true)),
        ("resolution-rate", .resolutionRate),
        ("satisfaction", .satisfaction),
        ("satisfied-share", .satisfiedShare(atLeast: 4)),
        ("satisfied-share at-least 5", .satisfiedShare(atLeast: 5)),
        ("repeat-rate", .repeatRate),
        ("revisit-rate", .revisitRate),
        ("per-100-households", .per100Households),
        ("open", .open),
        ("overdue", .overdue),
        ("backlog older-than 3d", .backlog(olderThanSeconds: 3 * 86_400)),
    ])
    func everyMeasure(_ text: String, _ measure: KPIMeasure) throws {
        let result = kpi("measure \(text)")
        #expect(result.errorCount == 0, "\(result.diagnostics)")
        let kpi = try #require(result.ruleSet?.kpis.first)
        #expect(kpi.measure == measure)
        #expect(kpi.measure.syntax == text.replacingOccurrences(of: " using office", with: ""))
    }

    @Test(arguments: [
        ("on-time respond", "target at-least 93.5%", 0.935, true),
        ("median time-to respond", "target at-most 1h30m", 5400.0, false),
        ("p90 time-to complete", "target at-most 24h", 86_400.0, false),
        ("satisfaction", "target at-least 4.8", 4.8, true),
        ("satisfied-share", "target at-least 90%", 0.9, true),
        ("per-100-households", "target at-most 5", 5.0, false),
        ("repeat-rate", "target at-most 0%", 0.0, false),
        ("backlog older-than 3d", "target at-most 20", 20.0, false),
        ("overdue", "target at-most 0", 0.0, false),
    ])
    func valuesInTheMeasuresUnit(_ measure: String, _ line: String, _ value: Double, _ higherIsBetter: Bool) throws {
        let result = kpi("measure \(measure)\n\(line)")
        #expect(result.errorCount == 0, "\(result.diagnostics)")
        let kpi = try #require(result.ruleSet?.kpis.first)
        #expect(abs((kpi.target?.value ?? -1) - value) < 1e-9)
        #expect(kpi.target?.higherIsBetter == higherIsBetter)
    }

    @Test(arguments: [("7d", KPIWindow.rolling(days: 7)), ("2w", .rolling(days: 14)), ("366d", .rolling(days: 366)),
                      ("month", .month), ("week", .week)])
    func windows(_ text: String, _ window: KPIWindow) throws {
        let result = kpi("measure resolution-rate\nover \(text)")
        #expect(result.errorCount == 0, "\(result.diagnostics)")
        #expect(result.ruleSet?.kpis.first?.window == window)
    }

    @Test(arguments: ["site", "team", "assignee"])
    func groupings(_ word: String) throws {
        let result = kpi("measure open\nby \(word)")
        #expect(result.ruleSet?.kpis.first?.grouping == KPIGrouping(rawValue: word))
    }

    @Test func workingTimeTakesTheOnlyHoursAndTheirCalendar() throws {
        let result = kpi("measure median working-time-to feedback", extra: "calendar hk { timezone Asia/Hong_Kong }\nhours hk-office { calendar hk; 09:00-18:00 }\n")
        // Two hours: the kpi must say which.
        #expect(result.diagnostics.map(\.code).contains(.kpiWithoutCalendar))
        let named = try #require(kpi("measure median working-time-to feedback using hk-office",
                                     extra: "calendar hk { timezone Asia/Hong_Kong }\nhours hk-office { calendar hk; 09:00-18:00 }\n").ruleSet?.kpis.first)
        #expect(named.hours == "hk-office" && named.calendar == "hk")
        let only = try #require(kpi("measure p90 working-time-to feedback").ruleSet?.kpis.first)
        #expect(only.hours == "office" && only.calendar == "cn")
    }

    @Test func kpisKeepFileOrderAndDecimalsLex() throws {
        let result = check(kpiBaseRules + """
        kpi b { measure satisfaction; target at-least 4.75 }
        kpi a { measure open; over 1d }
        """)
        #expect(result.errorCount == 0, "\(result.diagnostics)")
        #expect(result.ruleSet?.kpis.map(\.name) == ["b", "a"])
        #expect(result.ruleSet?.kpis.first?.target?.value == 4.75)
        #expect(KPIUnit.share.text(0.935) == "93.5%" && KPIUnit.score.text(4.75) == "4.75" && KPIUnit.seconds.text(86_400) == "1d")
    }

    /// `min sample N` on every measure with a sample (tickets, clocks or visits); none by default.
    @Test(arguments: ["on-time respond", "median time-to respond", "p90 working-time-to feedback", "resolution-rate", "satisfaction",
                      "satisfied-share at-least 5", "repeat-rate", "revisit-rate"])
    func minSample(_ measure: String) throws {
        let result = kpi("min sample 20\nmeasure \(measure)")
        #expect(result.errorCount == 0, "\(result.diagnostics)")
        #expect(result.ruleSet?.kpis.first?.minSample == 20)
        #expect(kpi("measure \(measure)").ruleSet?.kpis.first?.minSample == nil)
        #expect(kpi("measure \(measure)\nmin sample 1").ruleSet?.kpis.first?.minSample == 1)
    }
}
