/// ```
/// repeats { within 30d }
/// ```
/// One block in the whole rule set: a new ticket for the same site, building and unit, with the same kind
/// and category as one closed at most `within` before it was created, is marked as a repeat of it
/// (`repeatOf`). Without the block, repeats are not marked.
enum RepeatsConstruct: Construct {
    static let keyword = "repeats"

    /// The shortest and longest look-back.
    static let withinRange = 86_400...(365 * 86_400)

    struct Reading {
        var withinSeconds: Int?
        var seenWithin: SourceRange?
    }

    static func read(_ statement: Statement, into builder: inout RuleBuilder) {
        let keyword = statement.keyword
        guard builder.readSingleBlockHeader(statement, example: "repeats { within 30d }", first: \.repeatsLocation) else { return }
        var reading = Reading()
        builder.readBlock(of: statement, grammar, into: &reading)
        guard statement.block?.isSound ?? false else { return }
        if reading.seenWithin == nil {
            builder.diagnostics.error(.missingStatement, at: keyword.range, "the repeats block has no 'within'",
                                      hint: "add 'within 30d': how long after a ticket is closed a new one like it counts as a repeat")
        }
        guard let within = reading.withinSeconds else { return }
        builder.rules.repeats = RepeatSettings(withinSeconds: within, location: keyword.range)
    }

    private static let grammar = BlockGrammar<Reading>(in: "a repeats block", [
        ("within", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seenWithin, reader.previous) else { return }
            let (duration, range) = try reader.expectDuration()
            try reader.expectEnd()
            guard withinRange.contains(duration.seconds) else {
                throw ParseFailure(diagnostic: Diagnostic(.valueOutOfRange, at: range, "repeats within \(duration) is out of range",
                                                          hint: "'within' takes 1d to 365d, such as 'within 30d'"))
            }
            context.withinSeconds = duration.seconds
        }),
    ])
}
