import Foundation
import SLAEngine
import SLARules

/// The KPI arithmetic over a month of generated tickets: building the facts (an evaluation each) and then
/// every KPI of the shipped rules (or, while they define none, the manuals' KPIs built here) with its
/// groups and its 30-day trend, as the 看板's snapshot does.
func kpiBenchmark(tickets count: Int) {
    let engine = shippedEngine()
    let zone = ZoneTable(identifier: "Asia/Shanghai")!
    let now = LocalTime.parse("2026-03-31 23:00", zone: zone)!   // the generated tickets are created in March
    let tickets = sampleTickets(count: count)
    let clock = ContinuousClock()
    var facts: [TicketFacts] = []
    facts.reserveCapacity(count)
    // Each ticket's site, team and assignee interned once, as the daemon's KPI service does.
    var groups = KPIGroupIndex()
    let built = clock.measure {
        for (index, (ticket, _)) in tickets.enumerated() {
            var ticket = ticket
            ticket.fields.site = "site-\(index % 500)"
            facts.append(groups.interned(TicketFacts.make(ticket: ticket, at: now, engine: engine)))
        }
    }
    let calculator = KPICalculator(engine: engine, households: Dictionary(uniqueKeysWithValues: (0..<500).map { ("site-\($0)", 1000) }),
                                   groups: groups)
    let kpis = engine.rules.kpis.isEmpty ? manualKPIs() : engine.rules.kpis
    var snapshot = KPISnapshot.empty
    let cpuBefore = cpuSeconds()
    var each: [(wall: Swift.Duration, cpu: Double)] = []
    let computed = clock.measure {
        snapshot = KPISnapshot(computedAt: now, tiles: kpis.map { kpi in
            var tile: KPITile?
            let cpu = cpuSeconds()
            let wall = clock.measure { tile = calculator.tile(of: kpi, over: facts, now: now) }
            each.append((wall, cpuSeconds() - cpu))
            return tile!
        })
    }
    let cpu = cpuSeconds() - cpuBefore
    print("kpi: \(count) tickets, facts built in \(Int(milliseconds(built))) ms")
    print("kpi: \(kpis.count) KPIs (groups and 30-day trend each) in \(Int(milliseconds(computed))) ms wall, \(Int(cpu * 1000)) ms CPU")
    for (tile, time) in zip(snapshot.tiles, each) {
        print("  \(tile.kpi): \(Int(milliseconds(time.wall))) ms wall, \(Int(time.cpu * 1000)) ms CPU, \(tile.overall.value.map { String($0) } ?? "—") over \(tile.overall.sample), \(tile.groups.count) groups")
    }
    // What the KPIs came to, in a form two builds can be compared by (`diff`): a change of speed changes no value.
    for tile in snapshot.tiles {
        let groups = tile.groups.map { "\($0.group ?? ""):\($0.value.map { String($0) } ?? "-")/\($0.sample)/\($0.count ?? -1)/\($0.level)" }
        let trend = tile.trend.map { $0.value.map { String($0) } ?? "-" }
        print("  values \(tile.kpi): \(tile.overall.value.map { String($0) } ?? "-") \(tile.overall.sample) \(tile.overall.count ?? -1) \(tile.overall.level); "
              + "groups \(groups.joined(separator: " ")); trend \(trend.joined(separator: " "))")
    }
}

/// The manuals' KPIs, for as long as the shipped rules define none.
private func manualKPIs() -> [KPI] {
    let here = SourceRange(file: 0, start: 0, end: 0)
    func kpi(_ name: String, _ measure: KPIMeasure, _ match: MatchExpression = .always, by: KPIGrouping? = .site) -> KPI {
        var kpi = KPI(name: name, measure: measure, location: here)
        kpi.match = match
        kpi.grouping = by
        kpi.window = .month
        kpi.target = KPILine(value: 0.9, higherIsBetter: measure.higherIsBetter)
        return kpi
    }
    let repairs = MatchExpression.comparison(field: .kind, isNegated: false, values: ["repair"])
    let complaints = MatchExpression.comparison(field: .kind, isNegated: false, values: ["complaint"])
    return [
        kpi("respond", .onTime(clock: "respond")),
        kpi("repair-24h", .onTime(clock: "complete"), repairs),
        kpi("feedback-median", .timeTo(clock: "feedback", percentile: 50, workingTime: true), complaints),
        kpi("complete-p90", .timeTo(clock: "complete", percentile: 90, workingTime: false), repairs),
        kpi("resolution", .resolutionRate, by: .team),
        kpi("satisfaction", .satisfaction),
        kpi("repeat", .repeatRate),
        kpi("revisit", .revisitRate),
        kpi("complaints-per-100", .per100Households, complaints),
        kpi("open", .open, by: .assignee),
        kpi("overdue", .overdue),
        kpi("backlog", .backlog(olderThanSeconds: 3 * 86_400)),
    ]
}
