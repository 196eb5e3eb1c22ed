/// ```
/// person zhang-wei "张伟" {
///   phone "+8613800000001"
///   email "zhang.wei@example.com"
/// }
/// ```
enum PersonConstruct: Construct {
    static let keyword = "person"

    /// A person being read, with what their block has said so far.
    struct Reading {
        var person: Person
        var seenName: SourceRange?
        var seenContacts: [ContactKind: SourceRange] = [:]
    }

    static func read(_ statement: Statement, into builder: inout RuleBuilder) {
        guard let header = DefinitionHeader.read(statement, kind: .person, needsBlock: false, into: &builder) else { return }
        var reading = Reading(person: Person(name: header.name.text, location: header.name.range))
        reading.person.displayName = header.title
        let reader = header.reader
        do {
            try reader.expectEnd("a person's contacts go inside '{ … }'")
        } catch {
            builder.diagnostics.add(error.diagnostic)
        }
        builder.readBlock(of: statement, grammar, into: &reading)
        builder.rules.people[reading.person.name] = reading.person
    }

    /// `name`, then one statement per contact kind.
    private static let grammar = BlockGrammar<Reading>(in: "a person", [
        ("name", { @Sendable context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seenName, reader.previous) else { return }
            context.person.displayName = try reader.expectString("the person's name in quotes, such as \"张伟\"").text
            try reader.expectEnd()
        }),
    ] + ContactKind.allCases.map { kind -> (String, BlockGrammar<Reading>.Handler) in
        (kind.rawValue, { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seenContacts[kind], reader.previous) else { return }
            let value = try reader.expectString("the \(kind.rawValue) address in quotes")
            try reader.expectEnd()
            context.person.addresses[kind] = value.text
        })
    })
}

/// ```
/// team engineering "工程部" {
///   members wang-qiang, zhao-lei
///   supervisor li-na
///   manager zhou-min
///   hours office                 # optional: when routes may give it tickets
/// }
/// ```
enum TeamConstruct: Construct {
    static let keyword = "team"

    /// A team being read, with what its block has said so far.
    struct Reading {
        var team: Team
        var seenSupervisor: SourceRange?
        var seenManager: SourceRange?
        var seenHours: SourceRange?
    }

    static func read(_ statement: Statement, into builder: inout RuleBuilder) {
        guard let header = DefinitionHeader.read(statement, kind: .team, needsBlock: true, into: &builder) else { return }
        var reading = Reading(team: Team(name: header.name.text, location: header.name.range))
        reading.team.title = header.title
        builder.readBlock(of: statement, grammar, into: &reading)
        let team = reading.team
        if team.members.isEmpty {
            builder.diagnostics.warning(.emptyGroup, at: header.name.range, "team '\(team.name)' has no members",
                                        hint: "add 'members NAME, NAME'")
        }
        builder.rules.teams[team.name] = team
    }

    private static let grammar = BlockGrammar<Reading>(in: "a team", [
        ("members", { context, reader, builder throws(ParseFailure) in
            for name in try reader.expectNameList("the name of a person") {
                builder.refer(.person, name)
                context.team.members.append(name.text)
            }
            try reader.expectEnd()
        }),
        ("supervisor", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seenSupervisor, reader.previous) else { return }
            let name = try reader.expectName("the name of a person")
            try reader.expectEnd()
            builder.refer(.person, name)
            context.team.supervisor = name.text
        }),
        ("manager", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seenManager, reader.previous) else { return }
            let name = try reader.expectName("the name of a person")
            try reader.expectEnd()
            builder.refer(.person, name)
            context.team.manager = name.text
        }),
        ("hours", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seenHours, reader.previous) else { return }
            let name = try reader.expectName("the name of business hours")
            try reader.expectEnd()
            builder.refer(.hours, name)
            context.team.hours = name.text
        }),
    ])
}
