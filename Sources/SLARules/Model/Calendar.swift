/// A working-day calendar: a time zone, the usual working weekdays, and dated exceptions
/// (public holidays off, make-up working days 调休 on).
public struct WorkCalendar: Sendable, Hashable {
    public let name: String
    public var title: String?
    /// An IANA time zone identifier; `Asia/Shanghai` unless the rules say otherwise.
    public var timeZone: String = "Asia/Shanghai"
    public var workdays: Set<Weekday> = [.mon, .tue, .wed, .thu, .fri]
    /// Dated exceptions, from the calendar block and from included calendar data files.
    public var days: [DayDate: CalendarDay] = [:]
    /// The years whose holiday notice the calendar holds: the years its included data files declare
    /// (`year 2027`, or `cn-2027.days`). Empty for a calendar that follows the week alone (or lists
    /// its exceptions only in its block): such a calendar never runs out of data.
    public var dataYears: Set<Int> = []
    public let location: SourceRange

    public init(name: String, location: SourceRange) {
        self.name = name
        self.location = location
    }

    /// Whether people work on this date, exceptions first, then the weekly pattern.
    public func isWorkingDay(_ date: DayDate) -> Bool {
        if let exception = days[date] { return exception.isWorking }
        return workdays.contains(date.weekday)
    }
}

/// One dated exception in a calendar.
public struct CalendarDay: Sendable, Hashable {
    public let isWorking: Bool
    /// The reason as the notice names it: 国庆节, 春节调休.
    public let name: String
    public let location: SourceRange
}

/// Business hours: the ranges of each working day of a calendar during which working time runs.
public struct BusinessHours: Sendable, Hashable {
    public let name: String
    public var title: String?
    public var calendar: String = ""
    /// Ranges that apply to every working day of the calendar, ordered.
    public var ranges: [TimeRange] = []
    public let location: SourceRange
}

/// A half-open range of the day: `09:00-12:00`.
public struct TimeRange: Sendable, Hashable, CustomStringConvertible {
    public let start: TimeOfDay
    public let end: TimeOfDay
    public let location: SourceRange

    public var description: String { "\(start)-\(end)" }
}
