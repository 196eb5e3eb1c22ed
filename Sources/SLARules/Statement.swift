/// The shape every rule file shares, before any construct gives it meaning:
/// statements are words on a line (or up to `;`), and a statement may own a `{ … }` block of statements.
///
/// `policy complaint-a "A级投诉" { … }` is one statement with a block; `respond within 2h` is one without.
/// Constructs interpret statements in a second step (see `StatementReader`), which keeps error recovery
/// simple and uniform: a bad statement is reported and skipped, and its neighbours are still read.
struct Statement: Sendable {
    var tokens: [Token]
    var block: Block?

    var keyword: Token { tokens[0] }

    var range: SourceRange {
        let first = tokens[0].range
        let last = block?.close?.range ?? tokens[tokens.count - 1].range
        return first.through(last)
    }
}

struct Block: Sendable {
    var open: Token
    var statements: [Statement]
    /// The closing brace, or nil when the block was never closed (already reported).
    var close: Token?

    /// Closed, and every nested block closed too. Checks for missing statements only run on sound
    /// blocks: in a broken one the statement is usually there, swallowed by the breakage.
    var isSound: Bool {
        close != nil && statements.allSatisfy { $0.block?.isSound ?? true }
    }
}

/// Groups tokens into statements and blocks, recovering from unbalanced braces.
struct StatementParser {
    private let tokens: [Token]
    private var index = 0
    private(set) var diagnostics = DiagnosticSink()
    /// Words that start a top-level definition; seeing one with a block inside another block
    /// means a `}` is missing, so the parser closes the open blocks instead of swallowing the rest.
    private let definitionKeywords: Set<String>
    /// The tokens of the statement being read. Reused from statement to statement so that a statement's
    /// own array is allocated once, at its final size, instead of growing token by token.
    private var scratch: [Token] = []

    init(tokens: [Token], definitionKeywords: Set<String>) {
        self.tokens = tokens
        self.definitionKeywords = definitionKeywords
    }

    static func parse(_ tokens: [Token], definitionKeywords: Set<String>) -> (statements: [Statement], diagnostics: [Diagnostic]) {
        var parser = StatementParser(tokens: tokens, definitionKeywords: definitionKeywords)
        let statements = parser.parseStatements(depth: 0)
        return (statements, parser.diagnostics.all)
    }

    private var current: Token { tokens[index] }

    private mutating func advance() {
        if index < tokens.count - 1 { index += 1 }
    }

    /// Tokens after which a line break does not end the statement (a list or expression goes on).
    private static func continuesOverLineBreak(_ token: Token) -> Bool {
        switch token.kind {
        case .comma, .equals, .notEquals, .plus, .minus, .leftBracket, .leftParen, .dotDot: return true
        case .word: return token.text == "and" || token.text == "or" || token.text == "not" || token.text == "in"
        default: return false
        }
    }

    private mutating func parseStatements(depth: Int) -> [Statement] {
        var statements: [Statement] = []
        while true {
            switch current.kind {
            case .endOfFile:
                return statements
            case .newline, .semicolon:
                advance()
            case .rightBrace:
                if depth > 0 { return statements }
                diagnostics.error(.unexpectedToken, at: current.range, "unexpected '}' with no open block",
                                  hint: "remove it, or check the '{' above it")
                advance()
            default:
                if depth > 0, startsDefinition() { return statements }
                if let statement = parseStatement(depth: depth) { statements.append(statement) }
            }
        }
    }

    /// True when the current line is a top-level definition (`policy x {`): inside a block that means the
    /// enclosing block is missing its `}`.
    private func startsDefinition() -> Bool {
        guard current.kind == .word else { return false }
        // Look for the '{' first: few statements in a block open one, so the keyword set is seldom asked.
        var lookahead = index + 1
        while lookahead < tokens.count {
            switch tokens[lookahead].kind {
            case .leftBrace: return definitionKeywords.contains(current.text)
            case .newline, .semicolon, .rightBrace, .endOfFile: return false
            default: lookahead += 1
            }
        }
        return false
    }

    private mutating func parseStatement(depth: Int) -> Statement? {
        scratch.removeAll(keepingCapacity: true)
        var nesting = 0 // ( and [ nesting, inside which line breaks do not end the statement
        while true {
            let token = current
            switch token.kind {
            case .endOfFile, .rightBrace, .semicolon:
                return scratch.isEmpty ? nil : Statement(tokens: takeScratch(), block: nil)
            case .newline:
                if nesting > 0 || (scratch.last.map(Self.continuesOverLineBreak) ?? false) {
                    advance()
                    continue
                }
                return scratch.isEmpty ? nil : Statement(tokens: takeScratch(), block: nil)
            case .leftBrace:
                let head = takeScratch() // before the block's statements reuse the scratch array
                advance()
                let statements = parseStatements(depth: depth + 1)
                var close: Token?
                if current.kind == .rightBrace {
                    close = current
                    advance()
                } else {
                    let owner = head.first.map { "'\($0.text)' " } ?? ""
                    diagnostics.error(.unclosedBlock, at: token.range, "the \(owner)block opened here is never closed",
                                      hint: current.kind == .endOfFile
                                          ? "add '}' at the end of the block (the file ended first)"
                                          : "add '}' before '\(current.text)' on line below, which starts a new definition")
                }
                if head.isEmpty {
                    diagnostics.error(.unexpectedToken, at: token.range, "a block must follow a statement such as 'policy NAME'",
                                      hint: "remove the stray '{'")
                    return nil
                }
                return Statement(tokens: head, block: Block(open: token, statements: statements, close: close))
            case .leftParen, .leftBracket:
                nesting += 1
                scratch.append(token)
                advance()
            case .rightParen, .rightBracket:
                nesting = max(0, nesting - 1)
                scratch.append(token)
                advance()
            default:
                scratch.append(token)
                advance()
            }
        }
    }

    /// The statement's tokens, copied out of `scratch` into an array of their exact size.
    private func takeScratch() -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(scratch.count)
        tokens.append(contentsOf: scratch)
        return tokens
    }
}
