import SLARules

extension KPICalculator {
    /// The trend of `open`, `overdue` and `backlog` at `instants` (ascending), in a pass of its own
    /// (`KPIStateDays`).
    func stateTrend(_ pass: KPIPass, over facts: UnsafeBufferPointer<TicketFacts>, at instants: [Instant]) -> [KPITally] {
        var days = KPIStateDays(measure: pass.measure, instants: instants)
        guard let base = facts.baseAddress else { return days.tallies }
        for position in facts.indices where pass.selects(base + position) { days.add(base + position) }
        return days.tallies
    }
}
