/// Turns a file's bytes into tokens. Never fails: bad input becomes a diagnostic and the lexer goes on.
struct Lexer {
    private let file: SourceFile
    /// The file's bytes held directly: reading them through `file` in the hot loop costs a retain each time.
    private let bytes: [UInt8]
    private let fileIndex: Int
    private var position = 0
    private(set) var diagnostics = DiagnosticSink()
    private var words = WordCache()

    init(file: SourceFile, index: Int) {
        self.file = file
        self.bytes = file.bytes
        self.fileIndex = index
    }

    static func tokenize(_ file: SourceFile, index: Int) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        var lexer = Lexer(file: file, index: index)
        var tokens: [Token] = []
        tokens.reserveCapacity(file.bytes.count / 4)
        while true {
            let token = lexer.next()
            if token.kind == .newline, tokens.last?.kind == .newline || tokens.isEmpty { continue }
            tokens.append(token)
            if token.kind == .endOfFile { break }
        }
        return (tokens, lexer.diagnostics.all)
    }

    private func range(_ start: Int, _ end: Int) -> SourceRange {
        SourceRange(file: fileIndex, start: start, end: end)
    }

    private func peek(_ offset: Int = 0) -> UInt8? {
        let index = position + offset
        return index < bytes.count ? bytes[index] : nil
    }

    mutating func next() -> Token {
        while true {
            skipSpaceAndComments()
            guard let byte = peek() else {
                return Token(kind: .endOfFile, text: "", range: range(bytes.count, bytes.count))
            }
            let start = position
            switch byte {
            case UInt8(ascii: "\n"):
                position += 1
                return Token(kind: .newline, text: "\n", range: range(start, position))
            case UInt8(ascii: "\""):
                return lexString()
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                return lexLiteral()
            case _ where byte >= 0xE2 && (Self.fullWidthPunctuation(at: position, in: bytes) != nil || isReplacement(at: position)):
                skipUnexpectedCharacter()
                // Full-width punctuation is reported once and then read as its ASCII twin, so one slip of the
                // input method does not cascade into errors about the rest of the statement.
                let ascii = String(decoding: bytes[start..<position], as: UTF8.self)
                if let kind = Self.asciiTwin[ascii] {
                    return Token(kind: kind, text: ascii, range: range(start, position))
                }
            case _ where Self.isWordStart(byte):
                return lexWord()
            default:
                if let token = lexPunctuation() { return token }
                skipUnexpectedCharacter()
            }
        }
    }

    private mutating func skipSpaceAndComments() {
        while let byte = peek() {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") {
                position += 1
            } else if byte == UInt8(ascii: "#") {
                while let b = peek(), b != UInt8(ascii: "\n") { position += 1 }
            } else if byte == 0xE3, peek(1) == 0x80, peek(2) == 0x80 {
                position += 3 // U+3000 ideographic space: harmless, treat as a space.
            } else {
                return
            }
        }
    }

    static func isWordStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    static func isWordPart(_ byte: UInt8) -> Bool {
        isWordStart(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ".")
    }

    private mutating func lexWord() -> Token {
        let start = position
        while let byte = peek() {
            if byte >= 0xE2, Self.fullWidthPunctuation(at: position, in: bytes) != nil || isReplacement(at: position) { break }
            if Self.isWordPart(byte) {
                // A '.' belongs to a word only between two word characters (so '..' stays a token).
                if byte == UInt8(ascii: "."), !(peek(1).map(Self.isWordStart) ?? false) { break }
                position += 1
            } else if byte == UInt8(ascii: "-"), let after = peek(1), Self.isWordPart(after), after != UInt8(ascii: ".") {
                position += 1
            } else {
                break
            }
        }
        let text = words.text(bytes, from: start, to: position)
        return Token(kind: .word, text: text, range: range(start, position))
    }

    private mutating func lexLiteral() -> Token {
        let start = position
        while let byte = peek() {
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            let isLetter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
            // Non-ASCII letters may follow digits: `3栋` is a building, not a number and a name.
            let isOther = byte >= 0x80 && !(byte >= 0xE2 && (Self.fullWidthPunctuation(at: position, in: bytes) != nil || isReplacement(at: position)))
            if isDigit || isLetter || isOther || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "%") {
                position += 1
            } else if byte == UInt8(ascii: "-"), let after = peek(1), after >= UInt8(ascii: "0"), after <= UInt8(ascii: "9") {
                position += 1
            } else if byte == UInt8(ascii: "."), let after = peek(1), after >= UInt8(ascii: "0"), after <= UInt8(ascii: "9") {
                // A decimal point between digits: `4.8`, `93.5%` (KPI lines). `..` still ends the literal.
                position += 1
            } else {
                break
            }
        }
        let text = words.text(bytes, from: start, to: position)
        return Token(kind: .literal, text: text, range: range(start, position))
    }

    private mutating func lexString() -> Token {
        let start = position
        position += 1
        // Most strings close on their line without escapes: take their text straight from the file.
        var end = position
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\n"), bytes[end] != UInt8(ascii: "\\") {
            end += 1
        }
        if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
            position = end + 1
            return Token(kind: .string, text: words.text(bytes, from: start + 1, to: end), range: range(start, position))
        }
        var value: [UInt8] = []
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return Token(kind: .string, text: String(decoding: value, as: UTF8.self), range: range(start, position))
            case UInt8(ascii: "\n"):
                diagnostics.error(.unterminatedString, at: range(start, start + 1), "unterminated string",
                                  hint: "close the string with '\"' before the end of the line")
                return Token(kind: .string, text: String(decoding: value, as: UTF8.self), range: range(start, position), isBroken: true)
            case UInt8(ascii: "\\"):
                let escapeStart = position
                position += 1
                switch peek() {
                case UInt8(ascii: "\""): value.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): value.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "n"): value.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): value.append(UInt8(ascii: "\t"))
                default:
                    diagnostics.error(.unexpectedCharacter, at: range(escapeStart, position + 1),
                                      "unknown escape sequence in string",
                                      hint: "valid escapes are \\\" \\\\ \\n \\t")
                    if peek() == UInt8(ascii: "\n") || peek() == nil { continue }
                }
                position += 1
            default:
                value.append(byte)
                position += 1
            }
        }
        diagnostics.error(.unterminatedString, at: range(start, start + 1), "unterminated string",
                          hint: "close the string with '\"' before the end of the file")
        return Token(kind: .string, text: String(decoding: value, as: UTF8.self), range: range(start, position), isBroken: true)
    }

    private mutating func lexPunctuation() -> Token? {
        let start = position
        let byte = bytes[position]
        func single(_ kind: Token.Kind) -> Token {
            position += 1
            return Token(kind: kind, text: String(UnicodeScalar(byte)), range: range(start, position))
        }
        switch byte {
        case UInt8(ascii: "{"): return single(.leftBrace)
        case UInt8(ascii: "}"): return single(.rightBrace)
        case UInt8(ascii: "("): return single(.leftParen)
        case UInt8(ascii: ")"): return single(.rightParen)
        case UInt8(ascii: "["): return single(.leftBracket)
        case UInt8(ascii: "]"): return single(.rightBracket)
        case UInt8(ascii: ","): return single(.comma)
        case UInt8(ascii: ";"): return single(.semicolon)
        case UInt8(ascii: "="): return single(.equals)
        case UInt8(ascii: "+"): return single(.plus)
        case UInt8(ascii: "-"): return single(.minus)
        case UInt8(ascii: "!") where peek(1) == UInt8(ascii: "="):
            position += 2
            return Token(kind: .notEquals, text: "!=", range: range(start, position))
        case UInt8(ascii: ".") where peek(1) == UInt8(ascii: "."):
            position += 2
            return Token(kind: .dotDot, text: "..", range: range(start, position))
        default:
            return nil
        }
    }

    /// Reports a character that starts no token and skips it.
    private mutating func skipUnexpectedCharacter() {
        let start = position
        if let fullWidth = Self.fullWidthPunctuation(at: position, in: bytes) {
            position += fullWidth.length
            diagnostics.error(.unexpectedCharacter, at: range(start, position),
                              "full-width '\(fullWidth.character)' is not part of the rules syntax",
                              hint: "use the ASCII '\(fullWidth.ascii)' here (full-width text is fine inside quotes)")
        } else {
            // Skip the whole run of characters that start no token (whole UTF-8 scalars), reported once.
            repeat {
                position += 1
                while let b = peek(), b & 0xC0 == 0x80 { position += 1 }
            } while peek().map(startsNoToken) ?? false
            let characters = String(decoding: bytes[start..<position], as: UTF8.self)
            let printable = characters.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F && $0 != "\u{FFFD}" }
            let shown = printable ? "'\(characters)'" : "bytes (the file is not valid UTF-8 here)"
            let noun = characters.count == 1 || !printable ? "character" : "characters"
            diagnostics.error(.unexpectedCharacter, at: range(start, position), "unexpected \(noun) \(shown)",
                              hint: "names use letters, digits, '-', '_', '.' and '/'; text goes in double quotes")
        }
    }

    /// U+FFFD, which the reader puts where a file's bytes were not valid UTF-8.
    private func isReplacement(at index: Int) -> Bool {
        index + 2 < bytes.count && bytes[index] == 0xEF && bytes[index + 1] == 0xBF && bytes[index + 2] == 0xBD
    }

    /// A byte that cannot begin any token (so it belongs to a run of unexpected characters).
    private func startsNoToken(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"), UInt8(ascii: "#"), UInt8(ascii: "\""),
             UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"),
             UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "!"),
             UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return false
        default:
            return !Self.isWordStart(byte) || isReplacement(at: position)
        }
    }

    /// Full-width punctuation a Chinese keyboard produces in place of ASCII syntax.
    static func fullWidthPunctuation(at index: Int, in bytes: [UInt8]) -> (length: Int, character: String, ascii: String)? {
        guard index + 2 < bytes.count, bytes[index] >= 0xE2 else { return nil }
        for (sequence, character, ascii) in fullWidthTable
        where bytes[index] == sequence[0] && bytes[index + 1] == sequence[1] && bytes[index + 2] == sequence[2] {
            return (3, character, ascii)
        }
        return nil
    }

    private static let asciiTwin: [String: Token.Kind] = [
        "，": .comma, "；": .semicolon, "｛": .leftBrace, "｝": .rightBrace, "（": .leftParen, "）": .rightParen, "＝": .equals,
    ]

    private static let fullWidthTable: [([UInt8], String, String)] = [
            ([0xEF, 0xBC, 0x8C], "，", ","), ([0xEF, 0xBC, 0x9B], "；", ";"), ([0xEF, 0xBC, 0x9A], "：", ":"),
            ([0xE2, 0x80, 0x9C], "“", "\""), ([0xE2, 0x80, 0x9D], "”", "\""), ([0xEF, 0xBD, 0x9B], "｛", "{"),
            ([0xEF, 0xBD, 0x9D], "｝", "}"), ([0xEF, 0xBC, 0x88], "（", "("), ([0xEF, 0xBC, 0x89], "）", ")"),
            ([0xEF, 0xBC, 0x9D], "＝", "="),
        ]
}
