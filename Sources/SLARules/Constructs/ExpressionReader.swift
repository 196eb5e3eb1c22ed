/// Reads match expressions:
/// ```
/// expr       := and ('or' and)*
/// and        := unary ('and' unary)*
/// unary      := 'not' unary | '(' expr ')' | comparison
/// comparison := FIELD ('=' | '!=') VALUE | FIELD ['not'] 'in' '[' VALUE (',' VALUE)* ']'
///             | 'text' 'contains' ['any'] ( KEYWORD | '[' KEYWORD (',' KEYWORD)* ']' )     (routes only)
/// ```
enum ExpressionReader {
    /// `allowsText`: whether `text contains …` may appear (in a route's `when`; policies match on fields only).
    static func read(_ reader: inout StatementReader, into builder: inout RuleBuilder,
                     allowsText: Bool = false) throws(ParseFailure) -> MatchExpression {
        var expression = try readAnd(&reader, into: &builder, allowsText)
        while reader.accept("or") {
            expression = .or(expression, try readAnd(&reader, into: &builder, allowsText))
        }
        return expression
    }

    private static func readAnd(_ reader: inout StatementReader, into builder: inout RuleBuilder,
                                _ allowsText: Bool) throws(ParseFailure) -> MatchExpression {
        var expression = try readUnary(&reader, into: &builder, allowsText)
        while reader.accept("and") {
            expression = .and(expression, try readUnary(&reader, into: &builder, allowsText))
        }
        return expression
    }

    private static func readUnary(_ reader: inout StatementReader, into builder: inout RuleBuilder,
                                  _ allowsText: Bool) throws(ParseFailure) -> MatchExpression {
        if reader.accept("not") {
            return .not(try readUnary(&reader, into: &builder, allowsText))
        }
        if reader.accept(.leftParen) != nil {
            let inner = try read(&reader, into: &builder, allowsText: allowsText)
            guard reader.accept(.rightParen) != nil else { throw reader.failure("')'") }
            return inner
        }
        return try readComparison(&reader, into: &builder, allowsText)
    }

    private static let fieldNames = TicketField.allCases.map(\.rawValue)

    private static func readComparison(_ reader: inout StatementReader, into builder: inout RuleBuilder,
                                       _ allowsText: Bool) throws(ParseFailure) -> MatchExpression {
        guard let token = reader.peek, token.kind == .word else {
            throw reader.failure("a ticket field: \(Suggestion.list(fieldNames))")
        }
        _ = reader.advance()
        if token.text == "text" {
            guard allowsText else {
                throw ParseFailure(diagnostic: Diagnostic(.unknownField, at: token.range, "policies cannot match on the free text",
                                                          hint: "'text contains …' is for routes (docs/dispatch.md); match a policy on category, kind, tags, …"))
            }
            return try TextConditionReader.read(&reader, into: &builder)
        }
        // An unknown field or value is reported and reading goes on, so every problem in a condition shows at once.
        let known = TicketField(rawValue: token.text)
        let field = known ?? .category
        if known == nil {
            builder.diagnostics.error(.unknownField, at: token.range, "tickets have no field '\(token.text)'",
                                      hint: Suggestion.hint(for: token.text, in: fieldNames) ?? "fields are \(Suggestion.list(fieldNames))")
        }
        var isNegated = false
        var values: [String] = []
        if reader.accept(.equals) != nil {
            values = [try readValue(&reader, field: field, into: &builder)]
        } else if reader.accept(.notEquals) != nil {
            isNegated = true
            values = [try readValue(&reader, field: field, into: &builder)]
        } else {
            isNegated = reader.accept("not")
            guard reader.accept("in") else {
                throw reader.failure("'=', '!=' or 'in' after '\(token.text)'",
                                     hint: reader.peek?.kind == .literal || reader.peek?.kind == .word ? "compare with '=': \(token.text) = VALUE" : nil)
            }
            guard reader.accept(.leftBracket) != nil else {
                throw reader.failure("'[' to start a list of values", hint: "write \(token.text) in [a, b]")
            }
            repeat {
                values.append(try readValue(&reader, field: field, into: &builder))
            } while reader.accept(.comma) != nil
            guard reader.accept(.rightBracket) != nil else { throw reader.failure("',' or ']'") }
        }
        return .comparison(field: field, isNegated: isNegated, values: values)
    }

    private static func readValue(_ reader: inout StatementReader, field: TicketField,
                                  into builder: inout RuleBuilder) throws(ParseFailure) -> String {
        guard let token = reader.peek, token.kind == .word || token.kind == .literal || token.kind == .string else {
            let listHint = reader.peek?.kind == .leftBracket ? "for a list, write '\(field.rawValue) in [a, b]'" : nil
            throw reader.failure("a value for '\(field.rawValue)'", hint: listHint)
        }
        _ = reader.advance()
        // Checked once every file is read: a `fields` declaration in a later file may widen or narrow the set.
        builder.conditionValues.append((field, token.text, token.range))
        return token.text
    }
}

/// Reads `assignee`, `supervisor`, `manager`, `person NAME`, `team NAME`, `roster NAME`, comma-separated.
enum TargetReader {
    static let words = ["assignee", "supervisor", "manager", "person", "team", "roster"]

    static func readList(_ reader: inout StatementReader, into builder: inout RuleBuilder) throws(ParseFailure) -> [NotifyTarget] {
        var targets = [try read(&reader, into: &builder)]
        while reader.accept(.comma) != nil { targets.append(try read(&reader, into: &builder)) }
        return targets
    }

    static func read(_ reader: inout StatementReader, into builder: inout RuleBuilder) throws(ParseFailure) -> NotifyTarget {
        let next = reader.index + 1 < reader.tokens.count ? reader.tokens[reader.index + 1] : nil
        if let bare = reader.peek, bare.kind == .word, !words.contains(bare.text), Suggestion.closest(to: bare.text, in: words) == nil,
           next == nil || next!.kind == .comma || next!.isWord("via") {
            // A bare name (`notify li-na via sms`): reported once the rules are read, with the kind the name
            // is defined as; reading goes on, so the step's channels are still checked (and marked used).
            _ = reader.advance()
            builder.bareTargets.append(Reference(kind: .person, name: bare.text, range: bare.range))
            return .person(bare.text)
        }
        guard let token = reader.peek, token.kind == .word, words.contains(token.text) else {
            let bare = reader.peek?.kind == .word ? reader.peek!.text : nil
            throw reader.failure("whom to notify: \(Suggestion.list(words))",
                                 hint: bare.flatMap { Suggestion.hint(for: $0, in: words) }
                                     ?? bare.map { "to notify by name write 'person \($0)', 'team \($0)' or 'roster \($0)'" })
        }
        _ = reader.advance()
        let target: NotifyTarget
        switch token.text {
        case "assignee": target = .assignee
        case "supervisor": target = .supervisor
        case "manager": target = .manager
        default:
            let name = try reader.expectName("the name of a \(token.text)")
            switch token.text {
            case "person": target = .person(name.text)
            case "team": target = .team(name.text)
            default: target = .roster(name.text)
            }
            builder.refer(target, at: name.range)
        }
        return target
    }

    /// `via sms, ops`: channel names, each checked later.
    static func readChannels(_ reader: inout StatementReader, into builder: inout RuleBuilder) throws(ParseFailure) -> [String] {
        let names = try reader.expectNameList("the name of a channel")
        for name in names { builder.refer(.channel, name) }
        return names.map(\.text)
    }
}
