/// The statements a definition's block accepts, each with the code that reads it into the definition
/// under construction (`Context`).
///
/// Each construct keeps its grammar in a `static let`, so the table is built once. (Building an array
/// of closures for every definition, capturing the definition's local variables, was about a quarter of
/// the time spent checking a large rule set.)
struct BlockGrammar<Context>: Sendable {
    typealias Handler = @Sendable (inout Context, inout StatementReader, inout RuleBuilder) throws(ParseFailure) -> Void

    /// The keyword a handler answers to when a statement starts with a time range (`09:00-12:00`).
    static var timeRange: String { "<time-range>" }

    /// How the block is named in "unknown statement … in a policy".
    let construct: String
    /// Few enough that a linear search with string comparison beats hashing the keyword.
    private let handlers: [(keyword: String, read: Handler)]
    /// The keywords offered in hints, in declaration order.
    let words: [String]

    init(in construct: String, _ handlers: [(String, Handler)]) {
        self.construct = construct
        self.handlers = handlers.map { (keyword: $0.0, read: $0.1) }
        self.words = handlers.map(\.0).filter { $0 != Self.timeRange }
    }

    func handler(for keyword: String) -> Handler? {
        handlers.first { $0.keyword == keyword }?.read
    }
}

extension RuleBuilder {
    /// Reads each statement of a definition's block with the handler its keyword names.
    mutating func readBlock<Context>(of statement: Statement, _ grammar: BlockGrammar<Context>, into context: inout Context) {
        guard let block = statement.block else { return }
        for inner in block.statements {
            readStatement(inner, grammar, into: &context)
        }
    }

    mutating func readStatement<Context>(_ inner: Statement, _ grammar: BlockGrammar<Context>, into context: inout Context) {
        let keyword = inner.keyword
        let key = keyword.kind == .literal ? BlockGrammar<Context>.timeRange : keyword.text
        guard keyword.kind == .word || keyword.kind == .literal, let handler = grammar.handler(for: key) else {
            let suggestion = keyword.kind == .word ? Suggestion.hint(for: keyword.text, in: grammar.words) : nil
            diagnostics.error(.unexpectedToken, at: keyword.range,
                              "unknown statement \(keyword.display) in \(grammar.construct)",
                              hint: suggestion ?? "expected \(Suggestion.list(grammar.words))")
            return
        }
        read(inner, from: keyword.kind == .literal ? 0 : 1) { reader, builder throws(ParseFailure) in
            try handler(&context, &reader, &builder)
        }
    }
}
