import SLARules

/// Decides when the daemon says that a calendar's holiday data runs out: on the first look (at start),
/// then once on each new local day of the rules' display zone. A value the daemon keeps and asks after
/// each scan; it reads no clock, so tests step it through days with fixed instants.
public struct CalendarDataWatch: Sendable {
    private var lastDay: DayDate?

    public init() {}

    /// The gaps to report at `now`: on the first call and on the first call of each new local day
    /// (empty otherwise, and on days with nothing to report).
    public mutating func check(_ engine: Engine, at now: Instant) -> [CalendarDataGap] {
        let today = engine.today(at: now)
        guard today != lastDay else { return [] }
        lastDay = today
        return engine.rules.calendarDataGaps(today: today)
    }

    /// Makes the next `check` report again (after a reload, whose rules may differ).
    public mutating func reset() { lastDay = nil }
}

extension Engine {
    /// The local date of `now` in the rules' display zone.
    public func today(at now: Instant) -> DayDate {
        LocalTime.date(dayNumber: displayZone.dayNumber(now))
    }

    /// The working time a policy's clock counts in; nil for a wall-time clock or an unknown name.
    public func workingTime(ofClock clock: String, policy: String) -> WorkingTime? {
        switch rules.policies.first(where: { $0.name == policy })?.clock(named: clock)?.limit {
        case let .workingDays(_, hours), let .workingTime(_, hours), let .endOfWorkingDay(hours): workingTimes[hours]
        case .wall, nil: nil
        }
    }

    /// The calendars working-time clocks count in, each with the last day of its holiday data (nil when it
    /// follows its week alone) and what is missing as of `now`: what `/healthz` shows.
    public func calendarData(at now: Instant) -> [(calendar: WorkCalendar, gap: CalendarDataGap?)] {
        let today = today(at: now)
        return rules.calendarsForWorkingTime.map { (calendar: $0, gap: $0.dataGap(today: today)) }
    }
}
