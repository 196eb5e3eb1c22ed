/// ```
/// calendar cn "中国大陆工作日" {
///   timezone Asia/Shanghai
///   workdays mon-fri
///   include "calendars/cn-2026.days"
///   holiday 2026-10-01 .. 2026-10-08 "国庆节、中秋节"
///   workday 2026-10-10 "国庆节调休"
/// }
/// ```
enum CalendarConstruct: Construct {
    static let keyword = "calendar"

    /// A calendar being read, with what its block has said so far.
    struct Reading {
        var calendar: WorkCalendar
        var seenZone: SourceRange?
        var seenWorkdays: SourceRange?
    }

    static func read(_ statement: Statement, into builder: inout RuleBuilder) {
        guard let header = DefinitionHeader.read(statement, kind: .calendar, needsBlock: true, into: &builder) else { return }
        var reading = Reading(calendar: WorkCalendar(name: header.name.text, location: header.name.range))
        reading.calendar.title = header.title
        builder.readBlock(of: statement, grammar, into: &reading)
        builder.rules.calendars[reading.calendar.name] = reading.calendar
    }

    private static let grammar = BlockGrammar<Reading>(in: "a calendar", [
        ("timezone", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seenZone, reader.previous) else { return }
            context.calendar.timeZone = try TimeZoneName.read(&reader, into: &builder)
            try reader.expectEnd()
        }),
        ("workdays", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seenWorkdays, reader.previous) else { return }
            context.calendar.workdays = try WeekdaySet.read(&reader)
            try reader.expectEnd()
        }),
        ("include", { context, reader, builder throws(ParseFailure) in
            let path = try reader.expectString("the path of a calendar data file in quotes")
            try reader.expectEnd()
            builder.includes.append(PendingInclude(calendar: context.calendar.name, path: path.text, range: path.range))
        }),
        ("holiday", { context, reader, builder throws(ParseFailure) in
            try readDays(&reader, isWorking: false, into: &context.calendar, builder: &builder)
        }),
        ("workday", { context, reader, builder throws(ParseFailure) in
            try readDays(&reader, isWorking: true, into: &context.calendar, builder: &builder)
        }),
    ])

    /// `holiday 2026-10-01 .. 2026-10-08 "国庆节"` or `workday 2026-10-10 "调休"`.
    private static func readDays(_ reader: inout StatementReader, isWorking: Bool, into calendar: inout WorkCalendar,
                                 builder: inout RuleBuilder) throws(ParseFailure) {
        let (first, firstRange) = try reader.expectDate()
        var last = first
        var range = firstRange
        if reader.accept(.dotDot) != nil {
            let (end, endRange) = try reader.expectDate()
            guard end >= first else {
                throw ParseFailure(diagnostic: Diagnostic(.invalidRange, at: endRange,
                                                          "the range ends on \(end), before it starts on \(first)"))
            }
            last = end
            range = firstRange.through(endRange)
        }
        let name = try reader.expectString("the day's name in quotes, such as \"国庆节\"")
        try reader.expectEnd()
        for number in first.dayNumber...last.dayNumber {
            let date = DayDate.from(dayNumber: number)
            builder.addDay(date, CalendarDay(isWorking: isWorking, name: name.text, location: range), to: &calendar)
        }
    }
}

extension RuleBuilder {
    /// Adds a dated exception, reporting a date that is both a holiday and a working day.
    mutating func addDay(_ date: DayDate, _ day: CalendarDay, to calendar: inout WorkCalendar) {
        if let existing = calendar.days[date], existing.isWorking != day.isWorking {
            diagnostics.error(.conflictingDay, at: day.location,
                              "\(date) is declared \(day.isWorking ? "a working day" : "a holiday") here but \(existing.isWorking ? "a working day" : "a holiday") before",
                              hint: "keep one of the two declarations", related: existing.location)
            return
        }
        calendar.days[date] = day
    }
}

extension DayDate {
    /// The date a number of days after 1970-01-01.
    public static func from(dayNumber: Int) -> DayDate {
        // Howard Hinnant's civil_from_days.
        let z = dayNumber + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return DayDate(year: year, month: month, day: day)!
    }
}

/// `mon-fri`, `mon, wed, fri`, `mon-fri, sat`.
enum WeekdaySet {
    static func read(_ reader: inout StatementReader) throws(ParseFailure) -> Set<Weekday> {
        var days: Set<Weekday> = []
        repeat {
            let token = try reader.expectName("weekdays such as 'mon-fri'")
            let parts = token.text.split(separator: "-").map(String.init)
            let names = Weekday.allCases.map(\.rawValue)
            var bounds: [Weekday] = []
            for part in parts {
                guard let day = Weekday(rawValue: part) else {
                    throw ParseFailure(diagnostic: Diagnostic(.unknownValue, at: token.range, "'\(part)' is not a weekday",
                                                              hint: Suggestion.hint(for: part, in: names)
                                                                  ?? "weekdays are \(Suggestion.list(names))"))
                }
                bounds.append(day)
            }
            guard bounds.count <= 2, let first = bounds.first else {
                throw reader.failure("a weekday or a range such as 'mon-fri'")
            }
            let all = Weekday.allCases
            let start = all.firstIndex(of: first)!
            let end = all.firstIndex(of: bounds.last!)!
            guard end >= start else {
                throw ParseFailure(diagnostic: Diagnostic(.invalidRange, at: token.range,
                                                          "'\(token.text)' runs backwards", hint: "write the week in order, e.g. mon-fri"))
            }
            days.formUnion(all[start...end])
        } while reader.accept(.comma) != nil
        return days
    }
}

/// An IANA time zone name; the checker verifies it exists.
enum TimeZoneName {
    static func read(_ reader: inout StatementReader, into builder: inout RuleBuilder) throws(ParseFailure) -> String {
        let token = try reader.expectName("a time zone such as 'Asia/Shanghai'")
        builder.timeZones.append((token.text, token.range))
        return token.text
    }
}
