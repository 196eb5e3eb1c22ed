/// ```
/// site 翠湖花园 { households 1200 }
/// site cuihu "翠湖花园" { households 1200 }
/// site 阳光花园
/// ```
/// A site (小区) the company serves. Tickets name it in their `site` field, by the site's name or its
/// title; `households` is what a complaint rate per 100 households divides by. Tickets may name sites
/// that are not declared: a site only needs declaring for its households or its title.
enum SiteConstruct: Construct {
    static let keyword = "site"

    /// The fewest and most households a site may declare.
    static let householdsRange = 1...1_000_000

    /// What the block has said so far.
    struct Reading {
        var households: Int?
        var seenHouseholds: SourceRange?
    }

    static func read(_ statement: Statement, into builder: inout RuleBuilder) {
        var name: Token?
        var title: String?
        builder.read(statement) { reader, _ throws(ParseFailure) in
            name = try reader.expectName("a name for the site, as tickets write it in their 'site' field")
            title = reader.optionalString()?.text
            try reader.expectEnd("write site NAME \"title\" { households N }")
        }
        guard let name else { return }
        if let first = builder.rules.sites[name.text] {
            builder.diagnostics.error(.duplicateDefinition, at: name.range, "site '\(name.text)' is declared twice",
                                      hint: "a site is declared once, with its title and households; remove the copy (the first is here)",
                                      related: first.location)
            return
        }
        var reading = Reading()
        builder.readBlock(of: statement, grammar, into: &reading)
        if let title { warnSharedTitle(title, name: name, into: &builder) }
        builder.rules.sites[name.text] = Site(name: name.text, title: title, households: reading.households, location: name.range)
    }

    /// W018: two sites with the same title (or a title that is another site's name): a ticket naming it
    /// counts for the first one only.
    static func warnSharedTitle(_ title: String, name: Token, into builder: inout RuleBuilder) {
        guard let other = builder.rules.sites.values.first(where: { $0.name == title || $0.title == title }) else { return }
        builder.diagnostics.warning(.ambiguousSiteTitle, at: name.range,
                                    "site '\(name.text)' has the title \"\(title)\", which already names site '\(other.name)'",
                                    hint: "tickets that write \"\(title)\" count for '\(other.name)' only; give each site its own title",
                                    related: other.location)
    }

    private static let grammar = BlockGrammar<Reading>(in: "a site", [
        ("households", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seenHouseholds, reader.previous) else { return }
            guard let token = reader.peek, token.kind == .literal else {
                throw reader.failure("the number of households, such as 'households 1200'")
            }
            _ = reader.advance()
            try reader.expectEnd()
            guard let count = Int(token.text), householdsRange.contains(count) else {
                throw ParseFailure(diagnostic: Diagnostic(
                    Int(token.text) == nil ? .invalidNumber : .valueOutOfRange, at: token.range,
                    "'\(token.text)' is not a number of households",
                    hint: "write a whole number from \(householdsRange.lowerBound) to \(householdsRange.upperBound), such as 'households 1200'"))
            }
            context.households = count
        }),
    ])
}
