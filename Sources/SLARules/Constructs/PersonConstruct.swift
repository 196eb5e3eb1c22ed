/// ```
/// person zhang-wei "张伟" {
///   phone "+8613800000001"
///   email "zhang.wei@example.com"
/// }
/// ```
enum PersonConstruct: Construct {
    static let keyword = "person"

    static func read(_ statement: Statement, into builder: inout RuleBuilder) {
        guard let header = DefinitionHeader.read(statement, kind: .person, needsBlock: false, into: &builder) else { return }
        var person = Person(name: header.name.text, location: header.name.range)
        person.displayName = header.title
        let reader = header.reader
        do {
            try reader.expectEnd("a person's contacts go inside '{ … }'")
        } catch {
            builder.diagnostics.add(error.diagnostic)
        }
        var seenName: SourceRange?
        var seenContacts: [ContactKind: SourceRange] = [:]
        var handlers: [(String, (inout StatementReader, inout RuleBuilder) throws(ParseFailure) -> Void)] = [
            ("name", { reader, builder throws(ParseFailure) in
                guard builder.once(&seenName, reader.previous) else { return }
                person.displayName = try reader.expectString("the person's name in quotes, such as \"张伟\"").text
                try reader.expectEnd()
            }),
        ]
        for kind in ContactKind.allCases {
            handlers.append((kind.rawValue, { reader, builder throws(ParseFailure) in
                guard builder.once(&seenContacts[kind], reader.previous) else { return }
                let value = try reader.expectString("the \(kind.rawValue) address in quotes")
                try reader.expectEnd()
                person.addresses[kind] = value.text
            }))
        }
        builder.readBlock(of: statement, in: "a person", handlers: handlers)
        builder.rules.people[person.name] = person
    }
}

/// ```
/// team engineering "工程部" {
///   members wang-qiang, zhao-lei
///   supervisor li-na
///   manager zhou-min
/// }
/// ```
enum TeamConstruct: Construct {
    static let keyword = "team"

    static func read(_ statement: Statement, into builder: inout RuleBuilder) {
        guard let header = DefinitionHeader.read(statement, kind: .team, needsBlock: true, into: &builder) else { return }
        var team = Team(name: header.name.text, location: header.name.range)
        team.title = header.title
        var seenSupervisor: SourceRange?
        var seenManager: SourceRange?
        builder.readBlock(of: statement, in: "a team", handlers: [
            ("members", { reader, builder throws(ParseFailure) in
                for name in try reader.expectNameList("the name of a person") {
                    builder.refer(.person, name)
                    team.members.append(name.text)
                }
                try reader.expectEnd()
            }),
            ("supervisor", { reader, builder throws(ParseFailure) in
                guard builder.once(&seenSupervisor, reader.previous) else { return }
                let name = try reader.expectName("the name of a person")
                try reader.expectEnd()
                builder.refer(.person, name)
                team.supervisor = name.text
            }),
            ("manager", { reader, builder throws(ParseFailure) in
                guard builder.once(&seenManager, reader.previous) else { return }
                let name = try reader.expectName("the name of a person")
                try reader.expectEnd()
                builder.refer(.person, name)
                team.manager = name.text
            }),
        ])
        if team.members.isEmpty {
            builder.diagnostics.warning(.emptyGroup, at: header.name.range, "team '\(team.name)' has no members",
                                        hint: "add 'members NAME, NAME'")
        }
        builder.rules.teams[team.name] = team
    }
}
