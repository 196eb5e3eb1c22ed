/// A lexical token. Words, literals and strings keep their text; punctuation is its kind.
struct Token: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// A name or keyword: `policy`, `zhang-wei`, `Asia/Shanghai`.
        case word
        /// Something that starts with a digit: `30m`, `2026-10-01`, `09:00-12:00`, `75%`, `3`, `4.8`.
        case literal
        /// A quoted string; `text` holds the decoded value.
        case string
        case leftBrace, rightBrace, leftParen, rightParen, leftBracket, rightBracket
        case comma, semicolon, equals, notEquals, plus, minus, dotDot
        /// A line break (one token for any run of blank lines and comments).
        case newline
        case endOfFile
    }

    let kind: Kind
    let text: String
    let range: SourceRange
    /// Set on a string that never closed: it swallowed the rest of its line, so the statement's
    /// other problems are consequences and are not reported again.
    var isBroken = false

    /// How the token is named in "expected ..." hints.
    var display: String {
        switch kind {
        case .word, .literal: "'\(text)'"
        case .string: "a string"
        case .newline: "end of line"
        case .endOfFile: "end of file"
        default: "'\(text)'"
        }
    }

    func isWord(_ word: String) -> Bool { kind == .word && text == word }
}
