import SLAEngine
import SLARules

/// Hand-built KPIs and facts for the KPI arithmetic tests.
enum KPIFixture {
    static let here = SourceRange(file: 0, start: 0, end: 0)

    static func kpi(_ name: String, _ measure: KPIMeasure, match: MatchExpression = .always, window: KPIWindow = .month,
                    by grouping: KPIGrouping? = nil, target: KPILine? = nil, warn: KPILine? = nil, minSample: Int? = nil) -> KPI {
        var kpi = KPI(name: name, measure: measure, location: here)
        kpi.match = match
        kpi.window = window
        kpi.grouping = grouping
        kpi.target = target
        kpi.warn = warn
        kpi.minSample = minSample
        return kpi
    }

    static func clock(_ state: ClockState, name: String = "complete", started: String?, stopped: String? = nil,
                      deadline: String?, workingTime: Bool = false) -> ClockFact {
        let start = started.map(at), stop = stopped.map(at)
        return ClockFact(name: name, state: state, startedAt: start, stoppedAt: stop, deadline: deadline.map(at),
                         consumed: start.map { (stop ?? $0) - $0 } ?? 0, countsWorkingTime: workingTime)
    }

    static func fact(_ id: String, created: String, kind: String = "repair", site: String? = nil, assignee: String? = nil,
                     team: String? = nil, status: String = "open", resolved: String? = nil, closed: String? = nil,
                     revisited: String? = nil, score: Int? = nil, repeatOf: String? = nil, clocks: [ClockFact] = []) -> TicketFacts {
        TicketFacts(id: id, fields: TicketFields(kind: kind, site: site, assignee: assignee), policy: team.map { _ in "p" },
                    team: team, createdAt: at(created), status: status, resolvedAt: resolved.map(at), closedAt: closed.map(at),
                    revisitedAt: revisited.map(at), score: score, repeatOf: repeatOf, clocks: clocks)
    }
}
