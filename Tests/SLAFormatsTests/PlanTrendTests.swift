import SLAEngine
import SLAFormats
import Testing

@Suite struct PlanTrendTests {
    static var trend: PlanTrend {
        PlanTrend.make(plan: ReportFixtures.plan("elevator-trapped"), reports: ReportFixtures.trendReports)
    }

    @Test func theLastFourDrillsOnlyOldestFirst() {
        let trend = Self.trend
        #expect(trend.drills.map(\.incidentID) == ["D-2026Q1", "D-2026Q2", "D-2026Q3", "D-2026Q4"])
        // The real incident E-20260303-01 and the water-outage drill are left out.
        #expect(trend.steps.map(\.name) == ["comfort", "dispatch", "arrive", "release", "supervise", "report"])
    }

    @Test func eachStepComparesTheLatestDrillWithThePrevious() throws {
        let trend = Self.trend
        let arrive = try #require(trend.steps.first { $0.name == "arrive" })
        #expect(arrive.actuals == [33 * 60, 25 * 60, 28 * 60, 21 * 60])
        #expect(arrive.results == [.fail, .pass, .pass, .pass])
        #expect(arrive.direction == .faster && arrive.change == -7 * 60)
        #expect(trend.steps.first { $0.name == "comfort" }?.direction == .steady)
        #expect(trend.summary == "2 faster, 0 slower, 4 steady; latest drill D-2026Q4 PASS 6/6")
        let html = trend.html()
        #expect(html.contains("<g class=\"trend-step\" data-step=\"arrive\" data-direction=\"faster\">"))
        #expect(html.components(separatedBy: "<g class=\"trend-step\"").count == 7)
        // Bars are labelled with the drill's date (the ids are too long for the axis).
        for date in ["03-08", "06-07", "09-06", "11-29"] { #expect(html.contains(">\(date)</text>"), "\(date)") }
    }

    @Test(arguments: [(600, 655, PlanTrend.Direction.steady), (600, 661, .slower), (600, 539, .faster), (20, 29, .steady), (20, 31, .slower)])
    func aSmallToleranceCountsAsSteady(_ previous: Int, _ latest: Int, _ direction: PlanTrend.Direction) {
        #expect(abs(latest - previous) <= PlanTrend.tolerance(previous: previous) ? direction == .steady : direction != .steady)
    }

    @Test func withFewerDrillsThereIsLessToSay() {
        let one = PlanTrend.make(plan: ReportFixtures.plan("elevator-trapped"), reports: [ReportFixtures.drillReport])
        #expect(one.steps.allSatisfy { $0.direction == .unknown })
        #expect(one.summary.hasPrefix("only one drill"))
        let none = PlanTrend.make(plan: ReportFixtures.plan("elevator-trapped"), reports: [ReportFixtures.lateReport])
        #expect(none.drills.isEmpty && none.steps.isEmpty)
        #expect(none.markdown().contains("no drills of elevator-trapped yet"))
    }
}
