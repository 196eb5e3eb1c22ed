/// The kinds of named things rules define; each has its own namespace.
enum DefinitionKind: String, Sendable, CaseIterable {
    case calendar, hours, person, team, roster, channel, template, policy, plan, quiet, kpi, route
}

/// A defined name: where it is defined, and its number in `RuleBuilder.isUsed`.
struct Definition {
    let range: SourceRange
    let number: Int
}

/// A use of a name, checked once every file is read.
struct Reference {
    let kind: DefinitionKind
    let name: String
    let range: SourceRange
}

/// A calendar data file to read on behalf of a calendar.
struct PendingInclude {
    let calendar: String
    let path: String
    let range: SourceRange
}

/// Everything the reading phase collects: the model under construction, the names defined and used,
/// and the diagnostics. The checker passes run on it afterwards.
struct RuleBuilder {
    var diagnostics = DiagnosticSink()
    var rules = RuleSet()
    var definitions: [DefinitionKind: [String: Definition]] = [:]
    /// Whether anything refers to each definition, by its number; set by the checker.
    var isUsed: [Bool] = []
    var references: [Reference] = []
    var includes: [PendingInclude] = []
    /// Time zone names to verify once reading is done.
    var timeZones: [(name: String, range: SourceRange)] = []
    /// Working-time limits written without `using HOURS`.
    var implicitHours: [SourceRange] = []
    /// Policies with a clock that could not be read: steps naming a missing clock there are not reported again.
    var policiesWithBrokenClocks: Set<String> = []
    /// Policies whose `when` could not be read: left out of the "can never match" analysis.
    var policiesWithBrokenParts: Set<String> = []
    /// Values named in `when` and `covers` conditions, checked against the fields' sets once every file is read.
    var conditionValues: [(field: TicketField, value: String, range: SourceRange)] = []
    /// Names written as notify targets without `person`, `team` or `roster`: errors, explained by the checker.
    var bareTargets: [Reference] = []
    /// The numbers of definitions marked `example`: unused ones are reported together, once per file.
    var examples: Set<Int> = []
    /// `kind/name` of definitions offered as "did you mean": a misspelt use is not also reported as unused.
    var suggestedNames: Set<String> = []
    /// The `links` keyword of the rule set's one links block, once read: a second block names it.
    var linksLocation: SourceRange?
    /// Where each kpi's parts were written, in the order of `rules.kpis`.
    var kpiPlaces: [KPIPlaces] = []
    /// The `repeats` keyword of the rule set's one repeats block, once read: a second block names it.
    var repeatsLocation: SourceRange?
    /// The `watch` keyword of the rule set's one watch block, once read: a second block names it.
    var watchLocation: SourceRange?
    /// Where the watch block's parts were written, once it is read.
    var watchPlaces: WatchPlaces?
    /// Every `text contains` keyword read, normalised, with where it was written (routes keep their slice).
    var routeKeywords: [(keyword: String, range: SourceRange)] = []
    /// Per route (in `rules.routes` order), the keywords of its `when`.
    var routeKeywordPlaces: [[(keyword: String, range: SourceRange)]] = []
    /// Routes whose `when` could not be read: left out of the "can never match" analysis.
    var routesWithBrokenParts: Set<String> = []
    /// Model files routes name, read once every file is read.
    var modelIncludes: [(path: String, range: SourceRange)] = []

    /// Records a definition; reports a duplicate (with the first one's place) and returns false.
    mutating func define(_ kind: DefinitionKind, _ name: Token) -> Bool {
        if let first = definitions[kind]?[name.text]?.range {
            diagnostics.error(.duplicateDefinition, at: name.range, "\(kind.rawValue) '\(name.text)' is defined twice",
                              hint: "rename one of them, or remove the copy; the first definition is here",
                              related: first)
            return false
        }
        definitions[kind, default: [:]][name.text] = Definition(range: name.range, number: isUsed.count)
        isUsed.append(false)
        return true
    }

    /// Marks a definition as referred to; false when nothing of that kind has the name. (One lookup does
    /// both, so the checker hashes each reference's name once.)
    mutating func markUsed(_ kind: DefinitionKind, _ name: String) -> Bool {
        guard let number = definitions[kind]?[name]?.number else { return false }
        isUsed[number] = true
        return true
    }

    mutating func refer(_ kind: DefinitionKind, _ name: Token) {
        references.append(Reference(kind: kind, name: name.text, range: name.range))
    }

    mutating func refer(_ target: NotifyTarget, at range: SourceRange) {
        switch target {
        case let .person(name): references.append(Reference(kind: .person, name: name, range: range))
        case let .team(name): references.append(Reference(kind: .team, name: name, range: range))
        case let .roster(name): references.append(Reference(kind: .roster, name: name, range: range))
        case .assignee, .supervisor, .manager: break
        }
    }

    /// Runs `body` on a statement; a failure is reported and the statement skipped.
    mutating func read(_ statement: Statement, from index: Int = 1,
                       _ body: (inout StatementReader, inout RuleBuilder) throws(ParseFailure) -> Void) {
        var reader = StatementReader(statement, from: index)
        do {
            try body(&reader, &self)
        } catch {
            if !statement.tokens.contains(where: \.isBroken) { diagnostics.add(error.diagnostic) }
        }
    }

    /// Reports a statement given twice where one is allowed; returns false when it is a repeat.
    mutating func once(_ seen: inout SourceRange?, _ keyword: Token) -> Bool {
        if let first = seen {
            diagnostics.error(.repeatedStatement, at: keyword.range, "'\(keyword.text)' is given twice",
                              hint: "keep one; the first is here", related: first)
            return false
        }
        seen = keyword.range
        return true
    }
}
