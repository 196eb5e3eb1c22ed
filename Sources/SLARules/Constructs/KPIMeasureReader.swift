/// Reads what follows `measure` in a kpi: one of the fixed set (docs/rules.md §3.13).
///
///     on-time CLOCK
///     median|p90 time-to CLOCK
///     median|p90 working-time-to CLOCK [using HOURS]
///     resolution-rate | satisfaction | satisfied-share [at-least N] | repeat-rate | revisit-rate
///     per-100-households | open | overdue | backlog older-than DURATION
enum KPIMeasureReader {
    /// The words a measure starts with, offered in did-you-mean hints.
    static let words = ["on-time", "median", "p90", "resolution-rate", "satisfaction", "satisfied-share", "repeat-rate",
                        "revisit-rate", "per-100-households", "open", "overdue", "backlog"]

    /// Every form, for the hint when nothing is close.
    static let forms = "on-time CLOCK, median time-to CLOCK, p90 time-to CLOCK, median working-time-to CLOCK, "
        + "resolution-rate, satisfaction, satisfied-share, repeat-rate, revisit-rate, per-100-households, open, overdue, "
        + "backlog older-than 3d"

    /// What was read: the measure, and the names in it the checker resolves later.
    struct Result {
        var measure: KPIMeasure
        var clock: Token?
        var hours: Token?
    }

    static func read(_ reader: inout StatementReader, into builder: inout RuleBuilder) throws(ParseFailure) -> Result {
        guard let word = reader.peek, word.kind == .word else {
            throw reader.failure("a measure: \(forms)")
        }
        _ = reader.advance()
        let result: Result
        switch word.text {
        case "on-time":
            let clock = try expectClock(&reader, after: "on-time")
            result = Result(measure: .onTime(clock: clock.text), clock: clock)
        case "median", "p90":
            result = try readTimeTo(&reader, percentile: word.text == "median" ? 50 : 90, into: &builder)
        case "resolution-rate": result = Result(measure: .resolutionRate)
        case "satisfaction": result = Result(measure: .satisfaction)
        case "satisfied-share":
            var atLeast = 4
            if reader.accept("at-least") {
                atLeast = try reader.expectNumber("the lowest score that counts as satisfied", in: 1...5).0
            }
            result = Result(measure: .satisfiedShare(atLeast: atLeast))
        case "repeat-rate": result = Result(measure: .repeatRate)
        case "revisit-rate": result = Result(measure: .revisitRate)
        case "per-100-households": result = Result(measure: .per100Households)
        case "open": result = Result(measure: .open)
        case "overdue": result = Result(measure: .overdue)
        case "backlog":
            _ = try reader.expectWord(["older-than"], hint: "write: backlog older-than 3d")
            let (age, range) = try reader.expectDuration()
            guard age.seconds >= 3600 else {
                throw ParseFailure(diagnostic: Diagnostic(.valueOutOfRange, at: range, "a backlog age of \(age) counts every open ticket",
                                                          hint: "the age is 1h or more, such as older-than 3d"))
            }
            result = Result(measure: .backlog(olderThanSeconds: age.seconds))
        default:
            throw ParseFailure(diagnostic: Diagnostic(.unknownMeasure, at: word.range, "'\(word.text)' is not a measure",
                                                      hint: hint(for: word.text)))
        }
        try reader.expectEnd("a measure is one of: \(forms)")
        return result
    }

    /// Did-you-mean, or the near misses people write, or every form.
    private static func hint(for word: String) -> String {
        switch word {
        case "time-to", "working-time-to":
            return "say which time: 'median \(word) CLOCK' or 'p90 \(word) CLOCK'"
        case "p50", "average", "mean":
            return "the middle time is 'median time-to CLOCK'"
        default:
            return Suggestion.hint(for: word, in: words) ?? "measures are: \(forms)"
        }
    }

    private static func readTimeTo(_ reader: inout StatementReader, percentile: Int,
                                   into builder: inout RuleBuilder) throws(ParseFailure) -> Result {
        let first = reader.previous.text
        let kind = try reader.expectWord(["time-to", "working-time-to"], hint: "write: \(first) time-to CLOCK, or \(first) working-time-to CLOCK")
        let clock = try expectClock(&reader, after: "\(first) \(kind.text)")
        let isWorking = kind.text == "working-time-to"
        var hours: Token?
        if isWorking, reader.accept("using") {
            let name = try reader.expectName("the name of business hours")
            builder.refer(.hours, name)
            hours = name
        }
        return Result(measure: .timeTo(clock: clock.text, percentile: percentile, workingTime: isWorking), clock: clock, hours: hours)
    }

    private static func expectClock(_ reader: inout StatementReader, after words: String) throws(ParseFailure) -> Token {
        guard let token = reader.peek, token.kind == .word else {
            throw reader.failure("the name of a policy's clock", hint: "write: \(words) respond")
        }
        return reader.advance()
    }
}

/// Reads a line's value (`93%`, `24h`, `4.8`, `5`) in the unit of the kpi's measure.
enum KPIValueReader {
    /// What a literal looks like, before the measure says what it should be.
    private enum Written {
        case percent(Double), duration(Int), number(Double)

        var kind: String {
            switch self {
            case .percent: "a percentage"
            case .duration: "a duration"
            case .number: "a plain number"
            }
        }
    }

    static func value(of token: Token, for measure: KPIMeasure, setting: String) throws(ParseFailure) -> Double {
        let unit = measure.unit
        let written = try classify(token, unit: unit)
        let wrongKind = { (why: String) in
            ParseFailure(diagnostic: Diagnostic(.wrongValueKind, at: token.range,
                                                "'\(token.text)' is \(written.kind), but '\(measure.syntax)' is \(why)",
                                                hint: "write '\(setting)' with \(unit.example)" + extraHint(written, measure: measure)))
        }
        switch (unit, written) {
        case let (.share, .percent(percent)):
            guard (0...100).contains(percent) else { throw outOfRange(token, "a share is between 0% and 100%") }
            return percent / 100
        case let (.seconds, .duration(seconds)):
            guard seconds > 0 else { throw outOfRange(token, "a time must be more than zero") }
            return Double(seconds)
        case let (.score, .number(score)):
            guard (1...5).contains(score) else {
                throw outOfRange(token, "a satisfaction score is between 1 and 5",
                                 hint: score > 5 && score <= 100 ? "a score of \(KPIUnit.decimal(score)) out of 100 is \(KPIUnit.decimal(score / 20)) of 5" : nil)
            }
            return score
        case let (.rate, .number(rate)):
            return rate
        case let (.count, .number(count)):
            guard count == count.rounded() else {
                throw ParseFailure(diagnostic: Diagnostic(.invalidNumber, at: token.range, "'\(token.text)' is not a whole number",
                                                          hint: "'\(measure.syntax)' counts tickets: write a whole number such as 20"))
            }
            return count
        case (.share, _): throw wrongKind("a share")
        case (.seconds, _): throw wrongKind("a time")
        case (.score, _): throw wrongKind("an average score from 1 to 5")
        case (.rate, _): throw wrongKind("tickets per 100 households")
        case (.count, _): throw wrongKind("a number of tickets")
        }
    }

    private static func outOfRange(_ token: Token, _ message: String, hint: String? = nil) -> ParseFailure {
        ParseFailure(diagnostic: Diagnostic(.valueOutOfRange, at: token.range, "'\(token.text)' is out of range: \(message)", hint: hint))
    }

    private static func extraHint(_ written: Written, measure: KPIMeasure) -> String {
        switch (measure, written) {
        case (.satisfaction, .percent): "; for the share of owners satisfied, use 'measure satisfied-share'"
        case (.per100Households, .percent(let percent)): "; \(KPIUnit.decimal(percent))% of households is \(KPIUnit.decimal(percent)) per 100"
        case (_, .number(let number)) where measure.unit == .share && number > 0 && number <= 1: ": \(KPIUnit.decimal(number * 100))%?"
        default: ""
        }
    }

    private static func classify(_ token: Token, unit: KPIUnit) throws(ParseFailure) -> Written {
        guard token.kind == .literal else {
            throw ParseFailure(diagnostic: Diagnostic(.unexpectedToken, at: token.range, "expected \(unit.example), found \(token.display)"))
        }
        let text = token.text
        if text.hasSuffix("%"), let percent = decimal(text.dropLast()) { return .percent(percent) }
        if let number = decimal(Substring(text)) { return .number(number) }
        if let duration = Duration(text) { return .duration(duration.seconds) }
        throw ParseFailure(diagnostic: Diagnostic(.invalidNumber, at: token.range, "'\(text)' is not a value", hint: "write \(unit.example)"))
    }

    /// Digits with at most one decimal point between digits.
    private static func decimal(_ text: Substring) -> Double? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
            return nil
        }
        return Double(text)
    }
}
