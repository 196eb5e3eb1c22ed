import SLARules

extension KPIPeriod {
    /// The calendar month `year-month` in a zone: from its first local midnight to the next month's.
    public static func month(year: Int, month: Int, zone: ZoneTable) -> KPIPeriod? {
        guard let first = DayDate(year: year, month: month, day: 1) else { return nil }
        let next = month == 12 ? DayDate(year: year + 1, month: 1, day: 1)! : DayDate(year: year, month: month + 1, day: 1)!
        return KPIPeriod(start: zone.instant(fromLocal: first.dayNumber * 86_400), end: zone.instant(fromLocal: next.dayNumber * 86_400))
    }

    /// Whole local days `from` through `to` (both included) in a zone; nil when `to` is before `from`.
    public static func days(from: DayDate, through to: DayDate, zone: ZoneTable) -> KPIPeriod? {
        guard from <= to else { return nil }
        return KPIPeriod(start: zone.instant(fromLocal: from.dayNumber * 86_400), end: zone.instant(fromLocal: (to.dayNumber + 1) * 86_400))
    }

    /// The local day `day` (a day number) in a zone.
    public static func day(_ day: Int, zone: ZoneTable) -> KPIPeriod {
        KPIPeriod(start: zone.instant(fromLocal: day * 86_400), end: zone.instant(fromLocal: (day + 1) * 86_400))
    }

    /// The ISO weeks (Monday first) that overlap the period, each cut to the period: the report's weekly trend.
    public func weeks(zone: ZoneTable) -> [KPIPeriod] {
        var result: [KPIPeriod] = []
        var cursor = start
        while cursor < end {
            let week = KPIWindow.week.period(at: cursor, zone: zone)
            let next = Swift.min(week.end, end)
            result.append(KPIPeriod(start: cursor, end: next))
            cursor = next
        }
        return result
    }

    /// Seconds from start to end.
    public var length: Int { end - start }
}

extension KPIWindow {
    /// The window containing `now`: the last N days up to and including `now` (rolling), or the calendar month or ISO
    /// week (Monday first) containing `now`, in the zone's local time.
    public func period(at now: Instant, zone: ZoneTable) -> KPIPeriod {
        switch self {
        case let .rolling(days):
            // Up to and including `now` (instants are whole seconds): what happens at a refresh's instant counts in it.
            return KPIPeriod(start: now - days * 86_400 + 1, end: now + 1)
        case .month:
            let date = LocalTime.date(dayNumber: LocalTime.dayNumber(now, offset: zone.offset(at: now)))
            return KPIPeriod.month(year: date.year, month: date.month, zone: zone)!
        case .week:
            let day = LocalTime.dayNumber(now, offset: zone.offset(at: now))
            let monday = day - KPIWindow.weekdayIndex(day)
            return KPIPeriod(start: zone.instant(fromLocal: monday * 86_400), end: zone.instant(fromLocal: (monday + 7) * 86_400))
        }
    }

    /// 0 for Monday … 6 for Sunday (day 0, 1970-01-01, was a Thursday).
    static func weekdayIndex(_ day: Int) -> Int { ((day % 7) + 7 + 3) % 7 }
}
