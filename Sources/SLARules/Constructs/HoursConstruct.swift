/// ```
/// hours office "客服办公时间" {
///   calendar cn
///   09:00-12:00, 13:30-18:00
/// }
/// ```
/// The ranges apply to every working day of the calendar.
enum HoursConstruct: Construct {
    static let keyword = "hours"

    /// Business hours being read, with what their block has said so far.
    struct Reading {
        var hours: BusinessHours
        var seenCalendar: SourceRange?
    }

    static func read(_ statement: Statement, into builder: inout RuleBuilder) {
        guard let header = DefinitionHeader.read(statement, kind: .hours, needsBlock: true, into: &builder) else { return }
        var reading = Reading(hours: BusinessHours(name: header.name.text, location: header.name.range))
        reading.hours.title = header.title
        builder.readBlock(of: statement, grammar, into: &reading)
        var hours = reading.hours
        if reading.seenCalendar == nil, statement.block?.isSound ?? false {
            builder.diagnostics.error(.missingStatement, at: header.name.range,
                                      "business hours '\(hours.name)' do not name their calendar",
                                      hint: "add 'calendar NAME' inside the block")
        }
        if hours.ranges.isEmpty, statement.block?.isSound ?? false {
            builder.diagnostics.error(.missingStatement, at: header.name.range,
                                      "business hours '\(hours.name)' have no time ranges",
                                      hint: "add a line such as '09:00-12:00, 13:30-18:00'")
        }
        hours.ranges.sort { $0.start < $1.start }
        builder.rules.hours[hours.name] = hours
    }

    private static let grammar = BlockGrammar<Reading>(in: "business hours", [
        ("calendar", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seenCalendar, reader.previous) else { return }
            let name = try reader.expectName("the name of a calendar")
            try reader.expectEnd()
            builder.refer(.calendar, name)
            context.hours.calendar = name.text
        }),
        (BlockGrammar<Reading>.timeRange, { @Sendable context, reader, _ throws(ParseFailure) in
            repeat {
                context.hours.ranges.append(try readRange(&reader))
            } while reader.accept(.comma) != nil
            try reader.expectEnd()
        }),
    ])

    /// `09:00-12:00` (one literal) or `09:00 - 12:00`.
    static func readRange(_ reader: inout StatementReader) throws(ParseFailure) -> TimeRange {
        guard let token = reader.peek, token.kind == .literal else {
            throw reader.failure("a time range such as '09:00-12:00'")
        }
        _ = reader.advance()
        var startText = token.text
        var endText: String?
        var range = token.range
        let pieces = token.text.split(separator: "-", omittingEmptySubsequences: false)
        if pieces.count == 2 {
            startText = String(pieces[0])
            endText = String(pieces[1])
        } else if reader.accept(.minus) != nil, let end = reader.accept(.literal) {
            endText = end.text
            range = token.range.through(end.range)
        }
        guard let endText, let start = TimeOfDay(startText), let end = TimeOfDay(endText) else {
            throw ParseFailure(diagnostic: Diagnostic(.invalidTime, at: range, "'\(token.text)' is not a time range",
                                                      hint: "write HH:MM-HH:MM on the 24-hour clock, e.g. 09:00-12:00"))
        }
        guard end > start else {
            throw ParseFailure(diagnostic: Diagnostic(.invalidRange, at: range, "the range \(start)-\(end) ends before it starts",
                                                      hint: "business hours cannot cross midnight; split them into two ranges"))
        }
        return TimeRange(start: start, end: end, location: range)
    }
}
