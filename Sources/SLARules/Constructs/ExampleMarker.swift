/// `example person zhang-wei "张伟" { … }`: a definition shipped as a sample, to be replaced with the
/// company's own. It works like any other definition; the only difference is in `slad check`: sample
/// definitions that nothing uses are reported in one warning per file instead of one each, so that a
/// new administrator's own unused definitions are not buried under the samples'.
enum ExampleMarker {
    static let word = "example"

    /// The definitions that can be marked: those `slad check` reports when unused.
    static let kinds: [DefinitionKind] = [.calendar, .hours, .person, .team, .roster, .channel, .template]

    static func read(_ statement: Statement, into builder: inout RuleBuilder) {
        let names = kinds.map(\.rawValue)
        guard statement.tokens.count > 1, statement.tokens[1].kind == .word,
              let construct = Constructs.all.first(where: { $0.keyword == statement.tokens[1].text }),
              names.contains(construct.keyword) else {
            let found = statement.tokens.count > 1 ? statement.tokens[1] : statement.keyword
            builder.diagnostics.error(.unexpectedToken, at: found.range,
                                      "expected a definition after 'example', found \(found.display)",
                                      hint: "'example' marks a sample \(Suggestion.list(names)) definition: example person NAME …")
            return
        }
        var inner = statement
        inner.tokens.removeFirst()
        let first = builder.isUsed.count
        construct.read(inner, into: &builder)
        builder.examples.formUnion(first..<builder.isUsed.count)
    }
}
