/// A top-level definition of the language. Adding a construct means one type conforming to this,
/// one line in `Constructs.all`, a model type, and (when it needs one) a checker pass.
protocol Construct: SendableMetatype {
    /// The word that starts the definition: `policy`, `calendar`, …
    static var keyword: String { get }
    static func read(_ statement: Statement, into builder: inout RuleBuilder)
}

enum Constructs {
    static let all: [any Construct.Type] = [
        CalendarConstruct.self, HoursConstruct.self, PersonConstruct.self, TeamConstruct.self,
        RosterConstruct.self, ChannelConstruct.self, TemplateConstruct.self, PolicyConstruct.self,
        PlanConstruct.self, QuietConstruct.self, FieldsConstruct.self, LinksConstruct.self, KPIConstruct.self,
        SiteConstruct.self, RepeatsConstruct.self, WatchConstruct.self, RouteConstruct.self,
    ]

    static let keywords: [String] = all.map { $0.keyword }

    /// Words that start a definition: the keywords, and `example` before one of them.
    static let startWords: Set<String> = Set(keywords + [ExampleMarker.word])

    static func read(_ statement: Statement, into builder: inout RuleBuilder) {
        let keyword = statement.keyword
        if keyword.isWord(ExampleMarker.word) {
            ExampleMarker.read(statement, into: &builder)
            return
        }
        guard keyword.kind == .word, let construct = all.first(where: { $0.keyword == keyword.text }) else {
            let suggestion = keyword.kind == .word ? Suggestion.hint(for: keyword.text, in: keywords) : nil
            builder.diagnostics.error(.unexpectedToken, at: keyword.range,
                                      "expected a definition, found \(keyword.display)",
                                      hint: suggestion ?? "a rule file holds definitions: \(Suggestion.list(keywords))")
            return
        }
        construct.read(statement, into: &builder)
    }
}

/// The `KEYWORD NAME ["title"]` header most definitions share.
struct DefinitionHeader {
    let name: Token
    let title: String?
    let reader: StatementReader

    /// Reads the header, records the definition, and requires a block when `needsBlock`.
    /// Returns nil (after reporting) when the header is broken or the name is a duplicate.
    static func read(_ statement: Statement, kind: DefinitionKind, needsBlock: Bool,
                     into builder: inout RuleBuilder) -> DefinitionHeader? {
        var reader = StatementReader(statement)
        do throws(ParseFailure) {
            let name = try reader.expectName("a name for the \(kind.rawValue)")
            let title = reader.optionalString()?.text
            if needsBlock {
                try reader.expectEnd("the \(kind.rawValue)'s settings go inside '{ … }'")
                if statement.block == nil {
                    throw ParseFailure(diagnostic: Diagnostic(.unexpectedToken, at: reader.endRange,
                                                              "expected '{' to open the \(kind.rawValue) '\(name.text)'",
                                                              hint: "write \(statement.keyword.text) \(name.text) { … }"))
                }
            }
            guard builder.define(kind, name) else { return nil }
            return DefinitionHeader(name: name, title: title, reader: reader)
        } catch {
            builder.diagnostics.add(error.diagnostic)
            return nil
        }
    }
}
