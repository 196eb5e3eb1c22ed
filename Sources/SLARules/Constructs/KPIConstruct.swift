/// ```
/// kpi repair-24h "维修24小时完成率" {
///   measure on-time complete
///   when kind = repair
///   over 30d
///   by site
///   target at-least 93%
///   warn below 95%
///   clear at 96%
///   min sample 20
///   notify manager via ops every 1d
///   team engineering
///   calendar cn
///   source "服务手册：维修24小时完成率 ≥ 93%"
/// }
/// ```
/// The settings are read here; the values of `target`, `warn` and `clear at` once the block is read
/// (the measure, which gives them their unit, may come after them); names in `Checker+KPIs`.
enum KPIConstruct: Construct {
    static let keyword = "kpi"

    /// A line as written, read once the measure is known.
    struct WrittenLine {
        let keyword: Token
        let direction: String
        let value: Token
        let higherIsBetter: Bool

        /// As written: `target at-least 93%`.
        var text: String { "\(keyword.text) \(direction) \(value.text)" }
    }

    /// What the block has said so far.
    struct Reading {
        var measure: KPIMeasureReader.Result?
        var match: MatchExpression = .always
        var window: KPIWindow = .rolling(days: 30)
        var grouping: KPIGrouping?
        var target: WrittenLine?
        var warn: WrittenLine?
        var clear: WrittenLine?
        var minSample: KPIMinSample.Written?
        var notice: KPINotice?
        var team: String?
        var calendar: String?
        var source: String?
        var places = KPIPlaces()
        /// Each setting's first keyword: a repeat is E107.
        var seen: [String: SourceRange] = [:]
    }

    static func read(_ statement: Statement, into builder: inout RuleBuilder) {
        guard let header = DefinitionHeader.read(statement, kind: .kpi, needsBlock: true, into: &builder) else { return }
        var reading = Reading()
        reading.places.name = header.name.range
        builder.readBlock(of: statement, grammar, into: &reading)
        guard let measure = reading.measure?.measure else {
            if statement.block?.isSound ?? false, reading.seen["measure"] == nil {
                builder.diagnostics.error(.missingStatement, at: header.name.range, "kpi '\(header.name.text)' has no measure",
                                          hint: "add 'measure …', one of: \(KPIMeasureReader.forms)")
            }
            return
        }
        var kpi = KPI(name: header.name.text, title: header.title, measure: measure, location: header.name.range)
        kpi.match = reading.match
        kpi.window = reading.window
        kpi.grouping = reading.grouping
        kpi.notice = reading.notice
        kpi.team = reading.team
        kpi.calendar = reading.calendar
        kpi.hours = reading.measure?.hours?.text
        kpi.source = reading.source
        KPILines.resolve(reading, into: &kpi, builder: &builder)
        kpi.minSample = KPIMinSample.resolve(reading.minSample, for: measure, into: &builder)
        reading.places.clock = reading.measure?.clock?.range
        builder.rules.kpis.append(kpi)
        builder.kpiPlaces.append(reading.places)
    }

    /// Reads `target at-least V`, `warn below V`, `clear at V` up to the value.
    private static func line(_ words: [String: Bool], _ reader: inout StatementReader) throws(ParseFailure) -> WrittenLine {
        let keyword = reader.previous
        let direction = try reader.expectWord(Array(words.keys).sorted(), hint: "write: \(keyword.text) \(words.keys.sorted()[0]) VALUE")
        guard let value = reader.peek else { throw reader.failure("a value such as 93%, 24h, 4.8 or 20") }
        _ = reader.advance()
        try reader.expectEnd()
        return WrittenLine(keyword: keyword, direction: direction.text, value: value, higherIsBetter: words[direction.text]!)
    }

    private static let grammar = BlockGrammar<Reading>(in: "a kpi", [
        ("measure", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seen["measure"], reader.previous) else { return }
            context.measure = try KPIMeasureReader.read(&reader, into: &builder)
        }),
        ("when", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seen["when"], reader.previous) else { return }
            let start = reader.index
            context.match = try ExpressionReader.read(&reader, into: &builder)
            try reader.expectEnd("join conditions with 'and' or 'or'")
            context.places.match = reader.tokens[start].range.through(reader.previous.range)
        }),
        ("over", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seen["over"], reader.previous) else { return }
            context.window = try readWindow(&reader)
            context.places.window = reader.tokens[1].range
            try reader.expectEnd()
        }),
        ("by", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seen["by"], reader.previous) else { return }
            let word = try reader.expectName("site, team or assignee")
            try reader.expectEnd("a kpi is grouped by one thing: site, team or assignee")
            guard let grouping = KPIGrouping(rawValue: word.text) else {
                let names = ["site", "team", "assignee"]
                throw ParseFailure(diagnostic: Diagnostic(.unknownValue, at: word.range, "a kpi cannot be grouped by '\(word.text)'",
                                                          hint: Suggestion.hint(for: word.text, in: names) ?? "group by \(Suggestion.list(names))"))
            }
            context.grouping = grouping
        }),
        ("target", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seen["target"], reader.previous) else { return }
            context.target = try line(["at-least": true, "at-most": false], &reader)
        }),
        ("warn", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seen["warn"], reader.previous) else { return }
            context.warn = try line(["below": true, "above": false], &reader)
        }),
        ("clear", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seen["clear"], reader.previous) else { return }
            context.clear = try line(["at": true], &reader)
        }),
        ("min", { context, reader, builder throws(ParseFailure) in
            context.minSample = try KPIMinSample.read(&reader, seen: &context.seen["min"], into: &builder) ?? context.minSample
        }),
        ("notify", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seen["notify"], reader.previous) else { return }
            let start = reader.previous.range
            let targets = try TargetReader.readList(&reader, into: &builder)
            _ = try reader.expectWord(["via"], hint: "name the channels: notify \(targets.map(\.description).joined(separator: ", ")) via ops")
            var notice = KPINotice(targets: targets, channels: try TargetReader.readChannels(&reader, into: &builder))
            if reader.accept("every") {
                let (every, range) = try reader.expectDuration()
                guard every.seconds >= 60 else {
                    throw ParseFailure(diagnostic: Diagnostic(.valueOutOfRange, at: range, "a kpi warning may repeat at most once a minute",
                                                              hint: "use 'every 1h' or longer; leave 'every' out to warn once"))
                }
                notice.repeatEvery = every
            }
            try reader.expectEnd("a kpi's notify ends after its channels and 'every DURATION'")
            context.notice = notice
            context.places.notice = start.through(reader.previous.range)
        }),
        ("team", { context, reader, builder throws(ParseFailure) in
            context.team = try reference(.team, &context, &reader, &builder) ?? context.team
        }),
        ("calendar", { context, reader, builder throws(ParseFailure) in
            context.calendar = try reference(.calendar, &context, &reader, &builder) ?? context.calendar
        }),
        ("source", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seen["source"], reader.previous) else { return }
            context.source = try reader.expectString("where the indicator comes from, in quotes: \"《物业服务标准》5.2\"").text
            try reader.expectEnd()
        }),
    ])

    /// `team NAME`, `calendar NAME`: the name, checked once every file is read; nil for a repeat.
    private static func reference(_ kind: DefinitionKind, _ context: inout Reading, _ reader: inout StatementReader,
                                  _ builder: inout RuleBuilder) throws(ParseFailure) -> String? {
        guard builder.once(&context.seen[kind.rawValue], reader.previous) else { return nil }
        let name = try reader.expectName("the name of a \(kind.rawValue)")
        try reader.expectEnd()
        builder.refer(kind, name)
        return name.text
    }

    /// The longest rolling window: a year and a day, so a leap year's "last 366 days" fits.
    static let rollingDays = 1...366

    static let windowHint = "write 'month' or 'week' for the calendar's, or whole days such as 7d or 30d"

    /// `30d`, `2w`: rolling whole days; `month`, `week`: the calendar's.
    private static func readWindow(_ reader: inout StatementReader) throws(ParseFailure) -> KPIWindow {
        if let word = reader.peek, word.kind == .word {
            let calendar = try reader.expectWord(["month", "week"], hint: "a window is a number of days such as 30d, or 'month' or 'week'")
            return calendar.text == "month" ? .month : .week
        }
        // `over 1month`, `over 30days`: the generic duration hint (45s, 30m…) would not fit a window.
        if let token = reader.peek, token.kind == .literal, Duration(token.text) == nil {
            throw ParseFailure(diagnostic: Diagnostic(.invalidDuration, at: token.range, "'\(token.text)' is not a kpi window",
                                                      hint: windowHint))
        }
        let (duration, range) = try reader.expectDuration()
        guard duration.seconds % 86_400 == 0, rollingDays.contains(duration.seconds / 86_400) else {
            throw ParseFailure(diagnostic: Diagnostic(.valueOutOfRange, at: range, "a kpi window of \(duration) is not a number of days from 1d to 366d",
                                                      hint: windowHint))
        }
        return .rolling(days: duration.seconds / 86_400)
    }
}

/// Where a kpi's parts were written, for the checker's diagnostics (`RuleBuilder.kpiPlaces`, one per
/// entry of `RuleSet.kpis`).
struct KPIPlaces {
    var name = SourceRange(file: 0, start: 0, end: 0)
    var clock: SourceRange?
    var match: SourceRange?
    var window: SourceRange?
    var notice: SourceRange?
}
