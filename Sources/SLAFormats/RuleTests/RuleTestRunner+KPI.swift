import SLAEngine
import SLARules

/// The KPI side of a test run: what the daemon's KPI service does every minute, on virtual time. Only
/// the KPIs the test's `expect … kpi` lines name are looked at, so a test about tickets is not flooded
/// with the warnings its few tickets would raise.
///
/// On every whole minute from the first ticket to `run until` (the daemon looks every `--kpi-interval`,
/// 60 s by default): the tickets' facts are taken again if anything happened to a ticket since the last
/// look, each KPI is computed over its window (`KPICalculator`, as the daemon computes it), and the
/// warning rules (`KPIAlarm`) decide what is sent, to the people `Engine.recipients(forKPI:…)` names.
enum KPIWatch {
    static func run(_ test: CompiledRuleTest, engine: Engine) -> [FiredNotification] {
        let kpis = engine.rules.kpis.filter { test.kpis.contains($0.name) && $0.notice != nil }
        guard !kpis.isEmpty, let first = test.tickets.map(\.createdAt).min() else { return [] }
        let calculator = KPICalculator(engine: engine)
        let changes = Set(test.tickets.flatMap { $0.events.map(\.at) }).sorted()
        var facts: [TicketFacts] = []
        var alarms: [String: KPIAlarmState] = [:]
        var sequences: [String: Int] = [:]
        var fired: [FiredNotification] = []
        var change = 0
        var tick = Instant(seconds: first.seconds - ((first.seconds % 60) + 60) % 60)
        if tick < first { tick = tick + 60 }
        while tick <= test.until {
            if change < changes.count, changes[change] <= tick {
                while change < changes.count, changes[change] <= tick { change += 1 }
                facts = Self.facts(test, at: tick, engine: engine)
            }
            for kpi in kpis {
                let breakdown = calculator.breakdown(of: kpi, over: facts, period: calculator.period(of: kpi, at: tick), now: tick)
                for value in KPIAlarm.watched(kpi, overall: breakdown.overall, groups: breakdown.groups) {
                    let key = kpi.name + "\u{0}" + (value.group ?? "")
                    let next = KPIAlarm.next(kpi: kpi, value: value, state: alarms[key], previousSequence: sequences[key] ?? 0, now: tick)
                    alarms[key] = next.state
                    if let state = next.state { sequences[key] = state.sequence }
                    guard let notice = next.notice, let reach = engine.recipients(forKPI: kpi, group: value.group, at: tick) else { continue }
                    var notification = RuleTestRunner.notification(
                        at: tick, subject: KPIWatch.subject(kpi.name, group: value.group), label: notice.step, source: "kpi:\(kpi.name)",
                        reach: reach, dueAt: tick, repeatIndex: 0, missedRepeats: 0)
                    let shown = KPIText.value(value.value, kpi.measure.unit)
                    notification.detail = kpi.measure.unit == .count ? shown : "\(shown), \(value.sample) counted"
                    fired.append(notification)
                }
            }
            tick = tick + 60
        }
        return fired
    }

    /// The facts of every ticket created by `now`, taken at `now`.
    static func facts(_ test: CompiledRuleTest, at now: Instant, engine: Engine) -> [TicketFacts] {
        test.tickets.filter { $0.createdAt <= now }.map { TicketFacts.make(ticket: $0, at: now, engine: engine) }
    }

    static func subject(_ kpi: String, group: String?) -> String { "kpi " + kpi + (group.map { "@" + $0 } ?? "") }

    /// Nil when the KPI (or its group) stands as expected at the instant; otherwise what it is, in the
    /// words of the test format.
    static func check(kpi name: String, group: String?, level: KPILevel?, value expected: KPIExpectedValue?, at now: Instant,
                      in test: CompiledRuleTest, engine: Engine) -> String? {
        guard let kpi = engine.rules.kpis.first(where: { $0.name == name }) else { return "no such KPI" }
        let calculator = KPICalculator(engine: engine)
        let breakdown = calculator.breakdown(of: kpi, over: facts(test, at: now, engine: engine),
                                             period: calculator.period(of: kpi, at: now), now: now)
        let found = group.map { group in breakdown.groups.first { $0.group == group } } ?? breakdown.overall
        let observed = found?.value
        let foundLevel = found?.level ?? .noData
        let levelOK = level.map { $0 == foundLevel } ?? true
        let valueOK = expected.map { expected in observed.map(expected.holds) ?? false } ?? true
        guard !(levelOK && valueOK) else { return nil }
        var words: [String] = []
        if level != nil { words += ["level", foundLevel.rawValue] }
        if let expected {
            words += ["value", observed.map { expected.written($0, unit: kpi.measure.unit) } ?? "none"]
        }
        if found == nil, let group { words.append("  # no ticket of \(group) counted in the window") }
        return words.joined(separator: " ")
    }
}
