/// ```
/// route plumbing "水电报修" {
///   when kind = repair and text contains any ["漏水", "渗水", "水管"]
///   to roster plumbing-oncall
/// }
/// route by-model { when kind = repair; to model "models/trades.model" at least 0.8 else roster dispatch-desk }
/// route fallback { to roster dispatch-desk }      # no 'when': takes every ticket that gets this far
/// ```
/// Targets: `person NAME`, `roster NAME`, `team NAME [by least open | by round robin]`,
/// `model "PATH" at least THRESHOLD [by STRATEGY] else TARGET`.
enum RouteConstruct: Construct {
    static let keyword = "route"

    /// A route being read, with what its block has said so far.
    struct Reading {
        var route: Route
        var seenWhen: SourceRange?
        var seenTo: SourceRange?
        var keywords: [(keyword: String, range: SourceRange)] = []
    }

    static func read(_ statement: Statement, into builder: inout RuleBuilder) {
        guard let header = DefinitionHeader.read(statement, kind: .route, needsBlock: true, into: &builder) else { return }
        var reading = Reading(route: Route(name: header.name.text, location: header.name.range))
        reading.route.title = header.title
        builder.readBlock(of: statement, grammar, into: &reading)
        if reading.seenTo == nil, statement.block?.isSound ?? false {
            builder.diagnostics.error(.missingStatement, at: header.name.range, "route '\(reading.route.name)' does not say whom it gives tickets to",
                                      hint: "add 'to roster NAME', 'to team NAME by least open' or 'to person NAME'")
        }
        builder.rules.routes.append(reading.route)
        builder.routeKeywordPlaces.append(reading.keywords)
    }

    private static let grammar = BlockGrammar<Reading>(in: "a route", [
        ("when", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seenWhen, reader.previous) else { return }
            let start = reader.index
            let errorsBefore = builder.diagnostics.all.count
            let firstKeyword = builder.routeKeywords.count
            builder.routesWithBrokenParts.insert(context.route.name)
            context.route.match = try ExpressionReader.read(&reader, into: &builder, allowsText: true)
            try reader.expectEnd("join conditions with 'and' or 'or'")
            if builder.diagnostics.all.count == errorsBefore { builder.routesWithBrokenParts.remove(context.route.name) }
            context.keywords = Array(builder.routeKeywords[firstKeyword...])
            context.route.matchLocation = reader.tokens[start].range.through(reader.previous.range)
        }),
        ("to", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seenTo, reader.previous) else { return }
            let start = reader.index
            context.route.target = try RouteTargetReader.read(&reader, into: &builder, allowsModel: true)
            try reader.expectEnd("a route has one target; put a second one in its own route below")
            context.route.targetLocation = reader.tokens[start].range.through(reader.previous.range)
        }),
    ])
}

/// The target after `to` (and after a model's `else`).
enum RouteTargetReader {
    static let words = ["person", "roster", "team", "model"]

    static func read(_ reader: inout StatementReader, into builder: inout RuleBuilder, allowsModel: Bool) throws(ParseFailure) -> RouteTarget {
        let options = allowsModel ? words : words.filter { $0 != "model" }
        let word = try reader.expectWord(options, hint: "write 'to roster NAME', 'to team NAME by least open' or 'to person NAME'")
        switch word.text {
        case "person", "roster":
            let name = try reader.expectName("the name of a \(word.text)")
            builder.refer(word.text == "person" ? .person : .roster, name)
            return word.text == "person" ? .person(name.text) : .roster(name.text)
        case "team":
            let name = try reader.expectName("the name of a team")
            builder.refer(.team, name)
            return .team(name.text, strategy: try readStrategy(&reader))
        default:
            return .model(try readModel(&reader, at: word.range, into: &builder))
        }
    }

    /// `by least open` or `by round robin`; least open when not given.
    static func readStrategy(_ reader: inout StatementReader) throws(ParseFailure) -> TeamStrategy {
        guard reader.accept("by") else { return .leastOpen }
        let first = try reader.expectWord(["least", "round"], hint: "strategies are 'by least open' and 'by round robin'")
        _ = try reader.expectWord([first.text == "least" ? "open" : "robin"])
        return first.text == "least" ? .leastOpen : .roundRobin
    }

    private static func readModel(_ reader: inout StatementReader, at range: SourceRange,
                                  into builder: inout RuleBuilder) throws(ParseFailure) -> ModelTarget {
        let path = try reader.expectString("the model file's path in quotes, as 'slad route train' wrote it")
        _ = try reader.expectWord(["at"], hint: "give the confidence it needs: to model \"…\" at least 0.8 else roster NAME")
        _ = try reader.expectWord(["least"])
        let (threshold, text) = try readThreshold(&reader)
        let strategy = try readStrategy(&reader)
        _ = try reader.expectWord(["else"], hint: "name who dispatches by hand below the threshold: … else roster dispatch-desk")
        let fallback = try read(&reader, into: &builder, allowsModel: false)
        builder.modelIncludes.append((path.text, path.range))
        return ModelTarget(path: path.text, threshold: threshold, thresholdText: text, strategy: strategy, fallback: fallback,
                           location: range.through(path.range))
    }

    /// `0.8` or `80%`.
    private static func readThreshold(_ reader: inout StatementReader) throws(ParseFailure) -> (Double, String) {
        guard let token = reader.peek, token.kind == .literal else { throw reader.failure("a confidence such as 0.8") }
        _ = reader.advance()
        let isPercent = token.text.hasSuffix("%")
        let value = Double(isPercent ? String(token.text.dropLast()) : token.text).map { isPercent ? $0 / 100 : $0 }
        guard let value, value > 0, value <= 1 else {
            throw ParseFailure(diagnostic: Diagnostic(.valueOutOfRange, at: token.range, "'\(token.text)' is not a confidence",
                                                      hint: "write a share above 0 and at most 1, such as 0.8 (or 80%)"))
        }
        return (value, isPercent ? ModelTarget.format(value) : token.text)
    }
}
