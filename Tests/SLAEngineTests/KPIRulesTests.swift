import SLAEngine
import SLARules
import Testing

/// KPIs written in rules (`kpi … { … }`) over tickets replayed through their policies: the facts from
/// each history, the snapshot of every KPI in rule order, working time across a make-up working day.
@Suite struct KPIRulesTests {
    static let rules = officeRules + """

    policy complaints "投诉" {
      when kind = complaint
      team cs
      clock feedback "处理结果反馈" within 3 working days using office until resolved
    }
    kpi feedback-median "投诉反馈用时中位数" {
      measure median working-time-to feedback
      when kind = complaint
      over week
      target at-most 8h
    }
    kpi resolution "投诉解决率" {
      measure resolution-rate
      over month
      by team
      target at-least 95%
      warn below 97%
    }
    kpi open "未完成" {
      measure open
    }

    """

    static func complaint(_ id: String, created: String, resolved: String?) -> Ticket {
        var ticket = Ticket(id: id, fields: TicketFields(kind: "complaint", assignee: "zhang-wei"), createdAt: at(created))
        if let resolved { ticket.append(TicketEventRecord(kind: .resolved, at: at(resolved))) }
        return ticket
    }

    @Test func snapshotOfTheRulesKPIsOverReplayedTickets() throws {
        let engine = try engine(Self.rules)
        let now = at("2025-09-28 12:00")   // a Sunday, and a make-up working day (国庆节调休)
        let tickets = [
            // Friday 17:00 to Sunday 10:00: 1 h on Friday, 1 h on the make-up Sunday.
            Self.complaint("C1", created: "2025-09-26 17:00", resolved: "2025-09-28 10:00"),
            // Monday 10:00 to 16:00: 2 h before lunch, 2 h 30 min after.
            Self.complaint("C2", created: "2025-09-22 10:00", resolved: "2025-09-22 16:00"),
            // Still open; its working time has not stopped.
            Self.complaint("C3", created: "2025-09-27 09:00", resolved: nil),
            // Resolved after now: open at now, and its resolution is not known yet.
            Self.complaint("C4", created: "2025-09-25 09:00", resolved: "2025-09-29 09:00"),
        ]
        let facts = tickets.map { TicketFacts.make(ticket: $0, at: now, engine: engine) }
        #expect(facts.map(\.team) == ["cs", "cs", "cs", "cs"])
        #expect(facts[3].resolvedAt == nil)
        let snapshot = KPICalculator(engine: engine).snapshot(over: facts, now: now)
        #expect(snapshot.tiles.map(\.kpi) == ["feedback-median", "resolution", "open"])

        let median = snapshot.tiles[0]
        #expect(local(median.period.start) == "2025-09-22 00:00")
        #expect(local(median.period.end) == "2025-09-29 00:00")
        #expect(median.overall.sample == 2)
        #expect(median.overall.value == 7200)   // nearest rank of [2 h, 4 h 30 min]
        #expect(median.overall.level == .ok)
        #expect(median.unit == .seconds)
        #expect(median.target == Double(8 * 3600))
        #expect(median.trend.count == 30)

        let resolution = snapshot.tiles[1]
        #expect(resolution.overall.sample == 4)
        #expect(resolution.overall.count == 2)
        #expect(resolution.overall.level == .breached)
        #expect(resolution.groups.map(\.group) == ["cs"])
        #expect(resolution.title == "投诉解决率")

        #expect(snapshot.tiles[2].overall.value == 2)   // C3, C4
    }
}
