/// A calendar whose yearly holiday data does not reach far enough, as of a date: what `slad check`
/// reports (E122, W012), `slad serve` logs and `/healthz` shows.
public struct CalendarDataGap: Sendable, Hashable {
    public let calendar: String
    /// The year the calendar has no data for.
    public let year: Int
    /// True when the missing year is the current one (deadlines are already counted wrong); false when it
    /// is the next year, reported from 1 December.
    public let isCurrentYear: Bool
    /// The last day of the calendar's data, nil when it holds none.
    public let dataUntil: DayDate?

    /// One sentence for logs, `/healthz` and diagnostics.
    public var message: String {
        let until = dataUntil.map { " (its data runs to \($0))" } ?? ""
        return isCurrentYear
            ? "calendar '\(calendar)' has no holiday data for \(year)\(until): working-time deadlines count \(year)'s holidays and make-up working days as ordinary days"
            : "calendar '\(calendar)' has no holiday data for \(year) yet\(until): deadlines that reach into \(year) will count its holidays as working days"
    }

    /// What to do about it.
    public var remedy: String {
        "load \(year)'s holiday notice: 'slad calendar import \(year).json', add its include to calendar '\(calendar)', 'slad check', reload (docs/operations.md)"
    }
}

extension WorkCalendar {
    /// Whether the calendar holds yearly data and so can run out of it.
    public var tracksYearlyData: Bool { !dataYears.isEmpty }

    /// The last day of the latest year the calendar has data for.
    public var dataUntil: DayDate? { dataYears.max().flatMap { DayDate(year: $0, month: 12, day: 31) } }

    /// Whether dates of `year` are counted from the year's notice (always true for a calendar that holds
    /// no yearly data: it follows its week and nothing more is expected of it).
    public func hasData(for year: Int) -> Bool { !tracksYearlyData || dataYears.contains(year) }

    /// The year that is missing as of `today`: the current year, or from 1 December the next.
    public func dataGap(today: DayDate) -> CalendarDataGap? {
        guard tracksYearlyData else { return nil }
        if !hasData(for: today.year) {
            return CalendarDataGap(calendar: name, year: today.year, isCurrentYear: true, dataUntil: dataUntil)
        }
        if today.month == 12, !hasData(for: today.year + 1) {
            return CalendarDataGap(calendar: name, year: today.year + 1, isCurrentYear: false, dataUntil: dataUntil)
        }
        return nil
    }
}

extension RuleSet {
    /// The calendars that working-time clocks count in (through their business hours), by name.
    public var calendarsForWorkingTime: [WorkCalendar] {
        var names: Set<String> = []
        for policy in policies {
            for clock in policy.clocks {
                switch clock.limit {
                case .wall: continue
                case let .workingDays(_, hours), let .workingTime(_, hours), let .endOfWorkingDay(hours):
                    if let calendar = self.hours[hours]?.calendar { names.insert(calendar) }
                }
            }
        }
        return names.sorted().compactMap { calendars[$0] }
    }

    /// The gaps in the yearly data of the calendars working-time clocks count in, as of `today`.
    public func calendarDataGaps(today: DayDate) -> [CalendarDataGap] {
        calendarsForWorkingTime.compactMap { $0.dataGap(today: today) }
    }
}
