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

    static func read(_ statement: Statement, into builder: inout RuleBuilder) {
        guard let header = DefinitionHeader.read(statement, kind: .roster, needsBlock: true, into: &builder) else { return }
        var roster = Roster(name: header.name.text, location: header.name.range)
        roster.title = header.title
        var seenRotate: SourceRange?
        var seenStart: SourceRange?
        var seenZone: SourceRange?
        builder.readBlock(of: statement, in: "a roster", handlers: [
            ("rotate", { reader, builder throws(ParseFailure) in
                guard builder.once(&seenRotate, reader.previous) else { return }
                let period = try reader.expectWord(["daily", "weekly"])
                if period.text == "weekly" {
                    _ = try reader.expectWord(["on"], hint: "weekly rotations name their handoff day: rotate weekly on mon at 09:00")
                    let day = try reader.expectName("a weekday such as 'mon'")
                    guard let weekday = Weekday(rawValue: day.text) else {
                        throw ParseFailure(diagnostic: Diagnostic(.unknownValue, at: day.range, "'\(day.text)' is not a weekday",
                                                                  hint: Suggestion.hint(for: day.text, in: Weekday.allCases.map(\.rawValue))))
                    }
                    roster.rotation = .weekly(weekday)
                }
                _ = try reader.expectWord(["at"], hint: "name the handoff time: rotate daily at 08:30")
                roster.handoff = try reader.expectTime().0
                try reader.expectEnd()
            }),
            ("starting", { reader, builder throws(ParseFailure) in
                guard builder.once(&seenStart, reader.previous) else { return }
                roster.anchor = try reader.expectDate().0
                try reader.expectEnd()
            }),
            ("timezone", { reader, builder throws(ParseFailure) in
                guard builder.once(&seenZone, reader.previous) else { return }
                roster.timeZone = try TimeZoneName.read(&reader, into: &builder)
                try reader.expectEnd()
            }),
            ("members", { reader, builder throws(ParseFailure) in
                for name in try reader.expectNameList("the name of a person") {
                    builder.refer(.person, name)
                    roster.members.append(name.text)
                }
                try reader.expectEnd()
            }),
            ("override", { reader, builder throws(ParseFailure) in
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
                roster.overrides.append(RosterOverride(from: first, through: last, person: person.text, location: range))
            }),
        ])
        if seenRotate == nil, statement.block?.isSound ?? false {
            builder.diagnostics.error(.missingStatement, at: header.name.range, "roster '\(roster.name)' does not say how it rotates",
                                      hint: "add 'rotate daily at 08:30' or 'rotate weekly on mon at 09:00'")
        }
        if roster.members.isEmpty {
            builder.diagnostics.warning(.emptyGroup, at: header.name.range, "roster '\(roster.name)' has no members",
                                        hint: "a step notifying it would reach nobody; add 'members NAME, NAME'")
        }
        builder.rules.rosters[roster.name] = roster
    }
}
