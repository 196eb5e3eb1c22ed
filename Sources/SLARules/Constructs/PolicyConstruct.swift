/// ```
/// policy complaint-a "A级投诉" {
///   when kind = complaint and grade = A
///   team customer-service
///   clock respond "首次响应" within 2h until acknowledged
///   clock feedback "结果反馈" within 3 working days using office until resolved
///   clock revisit "回访" within 7d from resolved until revisited
///   pause while status = waiting-customer
///   escalate {
///     at respond - 30m notify assignee via sms
///     at respond + 2h notify manager via sms, ops repeat every 1h until acknowledged max 5
///   }
/// }
/// ```
enum PolicyConstruct: Construct {
    static let keyword = "policy"

    /// A policy being read, with what its block has said so far.
    struct Reading {
        var policy: Policy
        var seenWhen: SourceRange?
        var seenTeam: SourceRange?
        var seenPause: SourceRange?
        var clockNames: [String: SourceRange] = [:]
    }

    static func read(_ statement: Statement, into builder: inout RuleBuilder) {
        guard let header = DefinitionHeader.read(statement, kind: .policy, needsBlock: true, into: &builder) else { return }
        var reading = Reading(policy: Policy(name: header.name.text, location: header.name.range))
        reading.policy.title = header.title
        builder.readBlock(of: statement, grammar, into: &reading)
        let policy = reading.policy
        if policy.clocks.isEmpty, statement.block?.isSound ?? false, !builder.policiesWithBrokenClocks.contains(policy.name) {
            builder.diagnostics.error(.missingStatement, at: header.name.range, "policy '\(policy.name)' has no clock",
                                      hint: "a policy promises at least one time limit: clock respond within 2h until acknowledged")
        }
        builder.rules.policies.append(policy)
    }

    private static let grammar = BlockGrammar<Reading>(in: "a policy", [
        ("when", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seenWhen, reader.previous) else { return }
            let start = reader.index
            let errorsBefore = builder.diagnostics.all.count
            builder.policiesWithBrokenParts.insert(context.policy.name)
            context.policy.match = try ExpressionReader.read(&reader, into: &builder)
            try reader.expectEnd("join conditions with 'and' or 'or'")
            if builder.diagnostics.all.count == errorsBefore { builder.policiesWithBrokenParts.remove(context.policy.name) }
            context.policy.matchLocation = reader.tokens[start].range.through(reader.previous.range)
        }),
        ("team", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seenTeam, reader.previous) else { return }
            let name = try reader.expectName("the name of a team")
            try reader.expectEnd()
            builder.refer(.team, name)
            context.policy.team = name.text
        }),
        ("clock", { context, reader, builder throws(ParseFailure) in
            let clock: Clock
            do throws(ParseFailure) {
                clock = try ClockReader.read(&reader, into: &builder)
            } catch {
                builder.policiesWithBrokenClocks.insert(context.policy.name)
                throw error
            }
            if let first = context.clockNames[clock.name] {
                throw ParseFailure(diagnostic: Diagnostic(.duplicateDefinition, at: clock.location,
                                                          "clock '\(clock.name)' is defined twice in policy '\(context.policy.name)'",
                                                          hint: "rename one of them", related: first))
            }
            context.clockNames[clock.name] = clock.location
            context.policy.clocks.append(clock)
        }),
        ("pause", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seenPause, reader.previous) else { return }
            _ = try reader.expectWord(["while"])
            context.policy.pause = try ExpressionReader.read(&reader, into: &builder)
            try reader.expectEnd("join conditions with 'and' or 'or'")
        }),
        ("escalate", { context, reader, builder throws(ParseFailure) in
            try reader.expectEnd("escalation steps go inside 'escalate { … }'")
            guard let block = reader.statement.block else {
                throw ParseFailure(diagnostic: Diagnostic(.unexpectedToken, at: reader.endRange,
                                                          "expected '{' with the escalation steps"))
            }
            for step in block.statements {
                builder.readStatement(step, ladder, into: &context.policy)
            }
        }),
    ])

    private static let ladder = BlockGrammar<Policy>(in: "an escalation ladder", [
        ("at", { policy, reader, builder throws(ParseFailure) in
            policy.steps.append(try StepReader.read(&reader, into: &builder))
        }),
    ])
}

/// `clock NAME ["title"] within LIMIT [from EVENT] until EVENT`, or `… by end of working day …`.
enum ClockReader {
    static func read(_ reader: inout StatementReader, into builder: inout RuleBuilder) throws(ParseFailure) -> Clock {
        let name = try reader.expectName("a name for the clock, such as 'respond'")
        let title = reader.optionalString()?.text
        let limit = try readLimit(&reader, into: &builder)
        var start = TicketEvent.created
        var stop: TicketEvent?
        var seenFrom: SourceRange?
        var seenUntil: SourceRange?
        while !reader.isAtEnd {
            let word = try reader.expectWord(["from", "until"])
            let event = try readEvent(&reader)
            // A repeat is reported and ignored, as in a block: the first `from` or `until` counts.
            if word.text == "from" {
                if builder.once(&seenFrom, word) { start = event }
            } else if builder.once(&seenUntil, word) {
                stop = event
            }
        }
        guard let stop else {
            throw reader.failure("'until EVENT': the event that meets the promise",
                                 hint: "events are \(Suggestion.list(TicketEvent.allCases.map(\.rawValue)))")
        }
        return Clock(name: name.text, title: title, limit: limit, start: start, stop: stop, location: name.range)
    }

    static func readLimit(_ reader: inout StatementReader, into builder: inout RuleBuilder) throws(ParseFailure) -> Limit {
        let word = try reader.expectWord(["within", "by"])
        if word.text == "by" {
            for expected in ["end", "of", "working", "day"] {
                _ = try reader.expectWord([expected], hint: "write: by end of working day using HOURS")
            }
            return .endOfWorkingDay(hours: try readUsing(&reader, into: &builder))
        }
        guard let token = reader.peek, token.kind == .literal else {
            throw reader.failure("a limit such as '2h' or '3 working days'")
        }
        if let count = Int(token.text) {
            _ = reader.advance()
            guard count > 0 else {
                throw ParseFailure(diagnostic: Diagnostic(.valueOutOfRange, at: token.range, "a limit must be more than zero"))
            }
            let hint = unitHint(count, unit: reader.peek?.text)
            _ = try reader.expectWord(["working"], hint: hint)
            let unit = try reader.expectWord(["days", "day", "hours", "hour", "minutes", "minute"])
            let hours = try readUsing(&reader, into: &builder)
            switch unit.text {
            case "days", "day": return .workingDays(count, hours: hours)
            case "hours", "hour": return .workingTime(Duration(seconds: count * 3600), hours: hours)
            default: return .workingTime(Duration(seconds: count * 60), hours: hours)
            }
        }
        let (duration, range) = try reader.expectDuration()
        guard duration.seconds > 0 else {
            throw ParseFailure(diagnostic: Diagnostic(.valueOutOfRange, at: range, "a limit must be more than zero"))
        }
        return .wall(duration)
    }

    /// `within 4 hours`: the fix in both readings, wall-clock time and working time.
    static func unitHint(_ count: Int, unit: String?) -> String {
        switch unit {
        case "hours", "hour", "h":
            "write '\(count)h' for \(count) hours of wall-clock time, or '\(count) working hours using HOURS' to count business hours only"
        case "minutes", "minute", "min", "m":
            "write '\(count)m' for \(count) minutes of wall-clock time, or '\(count) working minutes using HOURS' to count business hours only"
        case "days", "day", "d":
            "write '\(count)d' for \(count) days of wall-clock time, or '\(count) working days' to count working days only"
        default:
            "a bare number needs a unit: '\(count)h', '\(count)d' or '\(count) working days'"
        }
    }

    /// `using HOURS`, optional: an empty name means "the only business hours defined" (filled in by the checker).
    static func readUsing(_ reader: inout StatementReader, into builder: inout RuleBuilder) throws(ParseFailure) -> String {
        guard reader.accept("using") else {
            builder.implicitHours.append(reader.previous.range)
            return ""
        }
        let name = try reader.expectName("the name of business hours")
        builder.refer(.hours, name)
        return name.text
    }

    private static let eventNames = TicketEvent.allCases.map(\.rawValue)

    static func readEvent(_ reader: inout StatementReader) throws(ParseFailure) -> TicketEvent {
        let names = eventNames
        guard let token = reader.peek, token.kind == .word else { throw reader.failure("a ticket event: \(Suggestion.list(names))") }
        _ = reader.advance()
        guard let event = TicketEvent(rawValue: token.text) else {
            throw ParseFailure(diagnostic: Diagnostic(.unknownValue, at: token.range, "'\(token.text)' is not a ticket event",
                                                      hint: Suggestion.hint(for: token.text, in: names) ?? "events are \(Suggestion.list(names))"))
        }
        return event
    }
}

/// `at TIME notify TARGETS via CHANNELS [using TEMPLATE] [urgent] [repeat every D [until EVENT] [max N [times]]]`
/// where TIME is `CLOCK`, `CLOCK + D`, `CLOCK - D` or `N% of CLOCK`.
enum StepReader {
    static func read(_ reader: inout StatementReader, into builder: inout RuleBuilder) throws(ParseFailure) -> EscalationStep {
        let start = reader.tokens[0].range
        let clockToken = reader.peek
        let at = try readTime(&reader, into: &builder)
        _ = try reader.expectWord(["notify"])
        let targets = try TargetReader.readList(&reader, into: &builder)
        _ = try reader.expectWord(["via"], hint: "name the channels: notify … via sms, ops")
        let channels = try TargetReader.readChannels(&reader, into: &builder)
        var template: String?
        if reader.accept("using") {
            let name = try reader.expectName("the name of a template")
            builder.refer(.template, name)
            template = name.text
        }
        var isUrgent = reader.accept("urgent")
        var repeating: Repeat?
        if reader.accept("repeat") {
            _ = try reader.expectWord(["every"])
            let (every, everyRange) = try reader.expectDuration()
            guard every.seconds >= 60 else {
                throw ParseFailure(diagnostic: Diagnostic(.valueOutOfRange, at: everyRange, "a step may repeat at most once a minute",
                                                          hint: "use 'repeat every 1m' or longer"))
            }
            var value = Repeat(every: every)
            if reader.accept("until") { value.until = try ClockReader.readEvent(&reader) }
            if reader.accept("max") {
                value.limit = try reader.expectNumber("the most times the step fires", in: 1...1000).0
                _ = reader.accept("times")
            }
            repeating = value
        }
        if !isUrgent { isUrgent = reader.accept("urgent") }
        try reader.expectEnd("a step ends after its channels, 'using TEMPLATE', 'urgent' and 'repeat every …'")
        return EscalationStep(at: at, targets: targets, channels: channels, template: template, repeating: repeating,
                              location: start.through(reader.previous.range), clockLocation: clockToken?.range ?? start,
                              isUrgent: isUrgent)
    }

    static func readTime(_ reader: inout StatementReader, into builder: inout RuleBuilder) throws(ParseFailure) -> StepTime {
        if let token = reader.peek, token.kind == .literal, token.text.hasSuffix("%") {
            _ = reader.advance()
            guard let percent = Int(token.text.dropLast()), (1...1000).contains(percent) else {
                throw ParseFailure(diagnostic: Diagnostic(.valueOutOfRange, at: token.range, "'\(token.text)' is not a share of a limit",
                                                          hint: "write a whole percentage such as 75%"))
            }
            _ = try reader.expectWord(["of"])
            let clock = try readClockName(&reader)
            return .share(clock: clock, percent: percent)
        }
        let clock = try readClockName(&reader)
        var sign = 0
        if reader.accept(.plus) != nil { sign = 1 } else if reader.accept(.minus) != nil { sign = -1 }
        guard sign != 0 else { return .offset(clock: clock, seconds: 0) }
        let (duration, _) = try reader.expectDuration()
        return .offset(clock: clock, seconds: sign * duration.seconds)
    }

    private static func readClockName(_ reader: inout StatementReader) throws(ParseFailure) -> String {
        let name = try reader.expectName("the name of one of the policy's clocks")
        return name.text
    }
}
