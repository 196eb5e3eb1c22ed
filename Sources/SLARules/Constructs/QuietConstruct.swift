/// ```
/// quiet spring-festival "春节值守" {
///   policies enquiry, suggestion, complaint-c
///   dates 2026-02-15 .. 2026-02-23        # whole days, inclusive; may repeat
///   daily 22:00-07:00                     # every night; may repeat
///   timezone Asia/Shanghai
/// }
/// ```
/// Steps marked `urgent` are never held.
enum QuietConstruct: Construct {
    static let keyword = "quiet"

    /// A quiet window being read, with what its block has said so far.
    struct Reading {
        var window: QuietWindow
        var seenZone: SourceRange?
        // Set by the statements themselves, so that a broken line does not also count as a missing one.
        var wrotePolicies = false
        var wroteTimes = false
    }

    static func read(_ statement: Statement, into builder: inout RuleBuilder) {
        guard let header = DefinitionHeader.read(statement, kind: .quiet, needsBlock: true, into: &builder) else { return }
        var reading = Reading(window: QuietWindow(name: header.name.text, location: header.name.range))
        reading.window.title = header.title
        builder.readBlock(of: statement, grammar, into: &reading)
        let window = reading.window
        if statement.block?.isSound ?? false {
            if !reading.wrotePolicies {
                builder.diagnostics.error(.missingStatement, at: header.name.range, "quiet window '\(window.name)' names no policies",
                                          hint: "add 'policies NAME, NAME': the policies whose escalations it holds")
            }
            if !reading.wroteTimes {
                builder.diagnostics.error(.missingStatement, at: header.name.range, "quiet window '\(window.name)' has no times",
                                          hint: "add 'dates 2026-02-15 .. 2026-02-23' or 'daily 22:00-07:00'")
            }
        }
        builder.rules.quietWindows.append(window)
    }

    private static let grammar = BlockGrammar<Reading>(in: "a quiet window", [
        ("policies", { context, reader, builder throws(ParseFailure) in
            context.wrotePolicies = true
            for name in try reader.expectNameList("the name of a policy") {
                builder.refer(.policy, name)
                context.window.policies.append(name.text)
            }
            try reader.expectEnd()
        }),
        ("dates", { context, reader, _ throws(ParseFailure) in
            context.wroteTimes = true
            let (first, _) = try reader.expectDate()
            var last = first
            if reader.accept(.dotDot) != nil {
                let (end, endRange) = try reader.expectDate()
                guard end >= first else {
                    throw ParseFailure(diagnostic: Diagnostic(.invalidRange, at: endRange,
                                                              "the window ends on \(end), before it starts on \(first)"))
                }
                last = end
            }
            try reader.expectEnd()
            context.window.dates.append(DateSpan(from: first, through: last))
        }),
        ("daily", { context, reader, _ throws(ParseFailure) in
            context.wroteTimes = true
            let (start, end, range) = try readSpan(&reader)
            try reader.expectEnd()
            guard start != end else {
                throw ParseFailure(diagnostic: Diagnostic(.invalidRange, at: range, "the daily window \(start)-\(end) is empty",
                                                          hint: "an end before the start crosses midnight: daily 22:00-07:00"))
            }
            context.window.daily.append(DailySpan(start: start, end: end))
        }),
        ("timezone", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seenZone, reader.previous) else { return }
            context.window.timeZone = try TimeZoneName.read(&reader, into: &builder)
            try reader.expectEnd()
        }),
    ])

    /// `22:00-07:00` (one literal) or `22:00 - 07:00`.
    static func readSpan(_ reader: inout StatementReader) throws(ParseFailure) -> (TimeOfDay, TimeOfDay, SourceRange) {
        guard let token = reader.peek, token.kind == .literal else { throw reader.failure("a span of the day such as '22:00-07:00'") }
        _ = reader.advance()
        var range = token.range
        var texts = token.text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        if texts.count == 1, reader.accept(.minus) != nil, let end = reader.accept(.literal) {
            texts.append(end.text)
            range = token.range.through(end.range)
        }
        guard texts.count == 2, let start = TimeOfDay(texts[0]), let end = TimeOfDay(texts[1]),
              start.minutes < 1440, end.minutes < 1440 else {
            throw ParseFailure(diagnostic: Diagnostic(.invalidTime, at: range, "'\(token.text)' is not a span of the day",
                                                      hint: "write HH:MM-HH:MM on the 24-hour clock, e.g. 22:00-07:00"))
        }
        return (start, end, range)
    }
}
