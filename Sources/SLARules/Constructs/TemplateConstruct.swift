/// ```
/// template overdue "【{policy.title}超时】{ticket.building} {ticket.unit} 已超时 {overdue}，负责人 {assignee.name}"
/// template overdue-long {
///   title "【{policy.title}】{clock.title}超时"
///   body  "{ticket.text}"
/// }
/// ```
enum TemplateConstruct: Construct {
    static let keyword = "template"

    static func read(_ statement: Statement, into builder: inout RuleBuilder) {
        var reader = StatementReader(statement)
        let name: Token
        var template: MessageTemplate
        do throws(ParseFailure) {
            name = try reader.expectName("a name for the template")
            template = MessageTemplate(name: name.text, location: name.range)
            if let body = reader.optionalString() {
                template.body = body.text
                checkPlaceholders(body, into: &builder)
            } else if statement.block == nil {
                throw reader.failure("the message text in quotes, or '{' with 'title' and 'body'")
            }
            try reader.expectEnd()
        } catch {
            builder.diagnostics.add(error.diagnostic)
            return
        }
        guard builder.define(.template, name) else { return }
        var reading = Reading(template: template)
        builder.readBlock(of: statement, grammar, into: &reading)
        template = reading.template
        if template.body.isEmpty, statement.block?.isSound ?? false {
            builder.diagnostics.error(.missingStatement, at: name.range, "template '\(template.name)' has no message body",
                                      hint: "add 'body \"…\"' inside the block")
        }
        builder.rules.templates[template.name] = template
    }

    /// A template being read, with what its block has said so far.
    struct Reading {
        var template: MessageTemplate
        var seenTitle: SourceRange?
        var seenBody: SourceRange?
    }

    private static let grammar = BlockGrammar<Reading>(in: "a template", [
        ("title", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seenTitle, reader.previous) else { return }
            let text = try reader.expectString("the title in quotes")
            try reader.expectEnd()
            checkPlaceholders(text, into: &builder)
            if text.text.contains("{actions}") {
                builder.diagnostics.error(.actionsInTitle, at: text.range, "'{actions}' cannot go in a template's title",
                                          hint: "the action links go in the body ('body \"… {actions}\"'); a title is a subject line "
                                              + "or a robot's heading, where a link does not belong")
            }
            context.template.title = text.text
        }),
        ("body", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seenBody, reader.previous) else { return }
            let text = try reader.expectString("the message body in quotes")
            try reader.expectEnd()
            checkPlaceholders(text, into: &builder)
            context.template.body = text.text
        }),
    ])

    /// Reports every `{placeholder}` that messages do not have, with a suggestion.
    static func checkPlaceholders(_ token: Token, into builder: inout RuleBuilder) {
        var rest = Substring(token.text)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else {
                builder.diagnostics.error(.unknownPlaceholder, at: token.range, "a '{' in the template is never closed",
                                          hint: "placeholders look like {ticket.building}")
                return
            }
            let name = String(rest[rest.index(after: open)..<close])
            if !MessageTemplate.placeholders.contains(name) {
                builder.diagnostics.error(.unknownPlaceholder, at: token.range, "unknown placeholder '{\(name)}'",
                                          hint: Suggestion.hint(for: name, in: MessageTemplate.placeholders.sorted())
                                              ?? "see the placeholder list in docs/rules.md")
            }
            rest = rest[rest.index(after: close)...]
        }
    }
}
