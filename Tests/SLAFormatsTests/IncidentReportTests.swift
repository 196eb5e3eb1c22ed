import Foundation
import SLAEngine
import SLAFormats
import Testing

@Suite struct IncidentReportTests {
    @Test func aDrillWithEveryStepOnTimePasses() throws {
        let report = ReportFixtures.drillReport
        #expect(report.isDrill)
        #expect(report.steps.map(\.name) == ["comfort", "dispatch", "arrive", "release", "supervise", "report"])
        #expect(report.steps.allSatisfy { $0.result == .pass })
        #expect(report.result == .pass)
        #expect(report.duration == 3600 && report.durationEnd == .closed)
        #expect(report.closeReason == "演练结束")
        let arrive = try #require(report.steps.first { $0.name == "arrive" })
        #expect(arrive.target(from: report.openedAt) == 1800)
        #expect(arrive.actual(from: report.openedAt) == 1500)
        #expect(arrive.margin == 300)
        #expect(report.markdown().contains("**演练 DRILL**"))
        #expect(report.notifications.count == 11)   // six assignments: five on sms and ops, report on sms and mail; minus supervise's ops
        #expect(report.notifications.allSatisfy { $0.kind == "assigned" })
    }

    @Test func aLateArrivalFailsTheIncidentAndShowsRed() throws {
        let report = ReportFixtures.lateReport
        #expect(!report.isDrill)
        let arrive = try #require(report.steps.first { $0.name == "arrive" })
        #expect(arrive.result == .fail)
        #expect(arrive.margin == -600)
        #expect(report.result == .fail)
        #expect(report.count(.pass) == 5 && report.count(.fail) == 1)
        #expect(report.levelChanges.map(\.level) == [.II, .I])
        #expect(report.levelChanges.last?.by == "chen-gang")
        // report came in with the raise at 14:10: its 60 minutes run from there.
        let step = try #require(report.steps.first { $0.name == "report" })
        #expect(step.since - report.openedAt == 600)
        #expect(step.target(from: report.openedAt) == 4200)
        #expect(step.result == .pass)
        #expect(report.notifications.contains { $0.kind == "overdue" && $0.step == "arrive" && $0.recipients == ["周敏"] })
        let markdown = report.markdown()
        #expect(markdown.contains("**实际事件 REAL INCIDENT**"))
        #expect(markdown.contains("| -10m | **FAIL 未通过** |"))
        #expect(markdown.contains("raised to I at 2026-03-03 14:10 by chen-gang"))
        let html = report.html()
        #expect(html.contains("<g class=\"step\" data-step=\"arrive\" data-result=\"fail\">"))
        #expect(html.contains("class=\"actual late\" x=") && html.contains("fill=\"#c62828\""))
        #expect(html.contains("<g class=\"step\" data-step=\"comfort\" data-result=\"pass\">"))
    }

    @Test func anOpenIncidentHasOpenStepsAndNoClose() throws {
        let incident = ReportFixtures.lateIncident
        let opened = Incident(id: "E2", plan: "elevator-trapped", level: .I, openedAt: incident.openedAt)
            .appending(IncidentEvent(kind: .confirmed, at: incident.openedAt + 60, actor: "liu-yang", step: "comfort"))
        let report = ReportFixtures.report(opened, at: incident.openedAt + 420)
        #expect(report.steps.first { $0.name == "comfort" }?.result == .pass)
        #expect(report.steps.first { $0.name == "dispatch" }?.result == .fail)   // 5m passed unconfirmed
        #expect(report.steps.first { $0.name == "arrive" }?.result == .open)
        #expect(report.durationEnd == .stillOpen && report.duration == 420)
        #expect(report.markdown().contains("未结束 still open"))
        #expect(report.html().contains("class=\"actual open\""))
        #expect(report.html().contains("class=\"actual missing\""))
    }

    @Test func closingWithStepsUnconfirmedFailsThem() throws {
        let incident = Incident(id: "P1", plan: "power-outage", level: .III, openedAt: ReportFixtures.at("2026-03-03 20:00"))
            .appending(IncidentEvent(kind: .confirmed, at: ReportFixtures.at("2026-03-03 20:10"), step: "dispatch"))
            .appending(IncidentEvent(kind: .closed, at: ReportFixtures.at("2026-03-03 20:20"), actor: "zhou-min", note: "误报"))
        let report = ReportFixtures.report(incident, at: ReportFixtures.at("2026-03-03 22:00"))
        #expect(report.steps.first { $0.name == "notice" }?.result == .fail)
        #expect(report.result == .fail)
        #expect(report.closeReason == "误报" && report.duration == 1200)
    }

    @Test(arguments: [
        (0, "0s"), (45, "45s"), (240, "4m"), (150, "2m30s"), (3900, "1h05m"), (86_400, "24h"), (-150, "-2m30s"), (3723, "1h02m03s"),
    ])
    func durationsReadLikeAManual(_ seconds: Int, _ text: String) {
        #expect(ReportText.duration(seconds) == text)
    }

    @Test func theTimelineScalesFromSecondsToADay() throws {
        // A plan whose steps take seconds (the end-to-end tests) and the water outage's 24 hours.
        let seconds = Incident(id: "S1", plan: "water-outage", level: .I, openedAt: ReportFixtures.at("2026-03-03 09:00"))
            .appending(IncidentEvent(kind: .confirmed, at: ReportFixtures.at("2026-03-03 09:00") + 20, step: "notice"))
        var report = ReportFixtures.report(seconds, at: ReportFixtures.at("2026-03-04 09:00"))
        #expect(report.html().contains("data-axis-max=\"86400\""))
        #expect(report.html().contains(">24h</text>"))
        report.steps = report.steps.map { step in
            var copy = step
            copy.deadline = copy.since + 30
            copy.confirmedAt = copy.confirmedAt.map { _ in copy.since + 12 }
            return copy
        }
        report.closedAt = report.openedAt + 40
        let html = report.html()
        #expect(html.contains("data-axis-max=\"40\""))
        #expect(html.contains(">10s</text>") && html.contains(">30s</text>"))
    }
}
