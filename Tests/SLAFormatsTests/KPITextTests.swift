import SLAEngine
import SLAFormats
import SLARules
import Testing

/// The one way KPI values and lines are written for people — the 看板, the reports and the notices all
/// call `KPIText` — and the words a report uses around them (issue 14's new-user trial).
@Suite struct KPITextTests {
    @Test(arguments: [
        (0.935, KPIUnit.share, "93.5%"), (0.93, .share, "93%"), (1.0, .share, "100%"), (0.0004, .share, "0%"),
        (5400, .seconds, "1小时30分"), (86_400, .seconds, "24小时"), (160_080, .seconds, "44小时28分"), (2700, .seconds, "45分钟"),
        (30, .seconds, "30秒"), (4.666, .score, "4.67"), (4.8, .score, "4.8"), (5, .score, "5.0"),
        (2.346, .rate, "2.35件/百户"), (3, .rate, "3件/百户"), (12, .count, "12"),
    ])
    func valuesAreWrittenByUnit(value: Double, unit: KPIUnit, text: String) {
        #expect(KPIText.value(value, unit) == text)
        #expect(KPIReport.text(value, unit: unit) == text, "the report writes what the board writes")
    }

    @Test func noValueIsADashAndAChartAxisLeavesTheRateUnitOff() {
        #expect(KPIText.value(nil, .share) == "—")
        #expect(KPIText.value(.nan, .count) == "—")
        #expect(KPIText.value(2.5, .rate, withUnit: false) == "2.5")
    }

    /// `warn below 95%` is the bad side of 95 %: never shown as `≥ 95%`.
    @Test func eachLineSaysItsSide() {
        let atLeast = KPILine(value: 0.93, higherIsBetter: true), below = KPILine(value: 0.95, higherIsBetter: true)
        let atMost = KPILine(value: 1800, higherIsBetter: false)
        #expect(KPIText.target(atLeast, .share) == "目标 ≥ 93%")
        #expect(KPIText.target(atMost, .seconds) == "目标 ≤ 30分钟")
        #expect(KPIText.warn(below, .share) == "低于 95% 预警")
        #expect(KPIText.warn(atMost, .seconds) == "高于 30分钟 预警")
        #expect(KPIReport.text(target: atLeast, unit: .share) == "≥ 93%")
        #expect(KPIReport.text(warn: below, unit: .share) == "< 95%")
        #expect(KPIReport.text(warn: atMost, unit: .seconds) == "> 30分钟")
        #expect(KPIReport.text(warn: nil, unit: .share) == "—")
    }

    @Test func englishCountsAgreeWithTheirNumber() {
        #expect(ReportText.count(1, "ticket") == "1 ticket")
        #expect(ReportText.count(0, "ticket") == "0 tickets")
        #expect(ReportText.count(36, "ticket") == "36 tickets")
        #expect(ReportText.count(2, "person", plural: "people") == "2 people")
    }
}
