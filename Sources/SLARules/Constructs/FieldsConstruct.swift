/// ```
/// fields {
///   grade    A "重大", B "较大", C "一般"
///   priority urgent "紧急", regular "常规"
///   category water-outage "停水", elevator-trapped "电梯困人"
/// }
/// ```
/// Each statement declares the whole set of one field; a field is declared once in a rule set.
enum FieldsConstruct: Construct {
    static let keyword = "fields"

    /// Nothing accumulates across statements: each one declares a set of its own.
    struct Reading {}

    static func read(_ statement: Statement, into builder: inout RuleBuilder) {
        builder.read(statement) { reader, _ throws(ParseFailure) in
            try reader.expectEnd("a 'fields' block has no name: write fields { grade A, B, C }")
            if statement.block == nil {
                throw ParseFailure(diagnostic: Diagnostic(.unexpectedToken, at: reader.endRange, "expected '{' to open the fields block",
                                                          hint: "write fields { grade A, B, C }"))
            }
        }
        var reading = Reading()
        for inner in statement.block?.statements ?? [] {
            if inner.keyword.kind == .word, let field = TicketField(rawValue: inner.keyword.text), !FieldSet.declarable.contains(field) {
                builder.diagnostics.error(.fieldNotDeclarable, at: inner.keyword.range, "the values of '\(field.rawValue)' cannot be declared",
                                          hint: reason(field) + "; declarable: \(Suggestion.list(grammar.words))")
                continue
            }
            builder.readStatement(inner, grammar, into: &reading)
        }
    }

    private static func reason(_ field: TicketField) -> String {
        switch field {
        case .kind: "ticket kinds are fixed by slad: \(Suggestion.list(TicketKind.allCases.map(\.rawValue)))"
        case .status: "statuses are fixed by slad"
        case .assignee: "an assignee is one of the people defined with 'person NAME'"
        default: "'\(field.rawValue)' is free text"
        }
    }

    private static let grammar = BlockGrammar<Reading>(in: "a fields block",
        FieldSet.declarable.map { field -> (String, BlockGrammar<Reading>.Handler) in
            (field.rawValue, { _, reader, builder throws(ParseFailure) in
                try readSet(of: field, &reader, into: &builder)
            })
        })

    /// `grade A "重大", B, C`: values (words or numbers), each with an optional title.
    private static func readSet(of field: TicketField, _ reader: inout StatementReader,
                                into builder: inout RuleBuilder) throws(ParseFailure) {
        let keyword = reader.previous
        var set = FieldSet(field: field, location: keyword.range)
        repeat {
            guard let token = reader.peek, token.kind == .word || token.kind == .literal else {
                throw reader.failure("a value of '\(field.rawValue)', such as \(example(field))")
            }
            _ = reader.advance()
            let title = reader.optionalString()?.text
            if let first = set.values.first(where: { $0.name == token.text }) {
                builder.diagnostics.error(.duplicateDefinition, at: token.range, "'\(token.text)' is listed twice in '\(field.rawValue)'",
                                          hint: "remove the copy; the first is here", related: first.location)
                continue
            }
            set.values.append(FieldValue(name: token.text, title: title, location: token.range))
        } while reader.accept(.comma) != nil
        try reader.expectEnd("separate values with ','")
        if let first = builder.rules.fieldSets[field] {
            builder.diagnostics.error(.duplicateDefinition, at: keyword.range, "the values of '\(field.rawValue)' are declared twice",
                                      hint: "declare each field once, with all its values; the first declaration is here",
                                      related: first.location)
            return
        }
        builder.rules.fieldSets[field] = set
    }

    private static func example(_ field: TicketField) -> String {
        switch field {
        case .grade: "A \"重大\""
        case .priority: "urgent \"紧急\""
        case .source: "hotline \"热线\""
        default: "water-outage \"停水\""
        }
    }
}
