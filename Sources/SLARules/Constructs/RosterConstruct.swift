/// ```
/// roster engineering-oncall "工程值班" {
///   rotate daily at 08:30               # or: rotate weekly on mon at 09:00
///   starting 2026-01-05                 # the first member's first day
///   timezone Asia/Shanghai
///   members wang-qiang, zhao-lei, chen-gang
///   override 2026-10-01 .. 2026-10-03 chen-gang
/// }
/// ```
enum RosterConstruct: Construct {
    static let keyword = "roster"

    /// A roster being read, with what its block has said so far.
    struct Reading {
        var roster: Roster
        var seenRotate: SourceRange?
        var seenStart: SourceRange?
        var seenZone: SourceRange?
    }

    static func read(_ statement: Statement, into builder: inout RuleBuilder) {
        guard let header = DefinitionHeader.read(statement, kind: .roster, needsBlock: true, into: &builder) else { return }
        var reading = Reading(roster: Roster(name: header.name.text, location: header.name.range))
        reading.roster.title = header.title
        builder.readBlock(of: statement, grammar, into: &reading)
        let roster = reading.roster
        if reading.seenRotate == nil, statement.block?.isSound ?? false {
            builder.diagnostics.error(.missingStatement, at: header.name.range, "roster '\(roster.name)' does not say how it rotates",
                                      hint: "add 'rotate daily at 08:30' or 'rotate weekly on mon at 09:00'")
        }
        if roster.members.isEmpty {
            builder.diagnostics.warning(.emptyGroup, at: header.name.range, "roster '\(roster.name)' has no members",
                                        hint: "a step notifying it would reach nobody; add 'members NAME, NAME'")
        }
        builder.rules.rosters[roster.name] = roster
    }

    private static let grammar = BlockGrammar<Reading>(in: "a roster", [
        ("rotate", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seenRotate, reader.previous) else { return }
            let period = try reader.expectWord(["daily", "weekly"])
            if period.text == "weekly" {
                _ = try reader.expectWord(["on"], hint: "weekly rotations name their handoff day: rotate weekly on mon at 09:00")
                let day = try reader.expectName("a weekday such as 'mon'")
                guard let weekday = Weekday(rawValue: day.text) else {
                    throw ParseFailure(diagnostic: Diagnostic(.unknownValue, at: day.range, "'\(day.text)' is not a weekday",
                                                              hint: Suggestion.hint(for: day.text, in: Weekday.allCases.map(\.rawValue))))
                }
                context.roster.rotation = .weekly(weekday)
            }
            _ = try reader.expectWord(["at"], hint: "name the handoff time: rotate daily at 08:30")
            context.roster.handoff = try reader.expectTime().0
            try reader.expectEnd()
        }),
        ("starting", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seenStart, reader.previous) else { return }
            context.roster.anchor = try reader.expectDate().0
            try reader.expectEnd()
        }),
        ("timezone", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seenZone, reader.previous) else { return }
            context.roster.timeZone = try TimeZoneName.read(&reader, into: &builder)
            try reader.expectEnd()
        }),
        ("members", { context, reader, builder throws(ParseFailure) in
            for name in try reader.expectNameList("the name of a person") {
                builder.refer(.person, name)
                context.roster.members.append(name.text)
            }
            try reader.expectEnd()
        }),
        ("override", { context, reader, builder throws(ParseFailure) in
            let (first, firstRange) = try reader.expectDate()
            var last = first
            var range = firstRange
            if reader.accept(.dotDot) != nil {
                let (end, endRange) = try reader.expectDate()
                guard end >= first else {
                    throw ParseFailure(diagnostic: Diagnostic(.invalidRange, at: endRange,
                                                              "the override ends on \(end), before it starts on \(first)"))
                }
                last = end
                range = firstRange.through(endRange)
            }
            let person = try reader.expectName("the person on duty instead")
            try reader.expectEnd()
            builder.refer(.person, person)
            context.roster.overrides.append(RosterOverride(from: first, through: last, person: person.text, location: range))
        }),
    ])
}
