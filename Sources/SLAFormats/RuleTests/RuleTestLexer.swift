/// One token of a rule test line.
struct RuleTestToken: Sendable, Hashable {
    enum Kind: Sendable, Hashable { case word, string, comma, equals }
    let kind: Kind
    /// A word as written; a string's contents without the quotes.
    let text: String
    let position: TextPosition
}

/// Splits one line of a test file into tokens. A word is any run of characters other than white space,
/// `,` `=` `"` and `#`; so `2025-09-22`, `10:00`, `75%`, `3栋` and `-` are words. `#` starts a comment
/// outside quotes. Full-width `，` `＝` `：` `“ ”` from a Chinese input method are reported and read as
/// their ASCII twins.
struct RuleTestLexer {
    struct Problem: Sendable, Hashable {
        let position: TextPosition
        let message: String
        let hint: String?
    }

    static func tokenize(_ line: String, number: Int) -> (tokens: [RuleTestToken], problems: [Problem]) {
        let characters = Array(line)
        var tokens: [RuleTestToken] = []
        var problems: [Problem] = []
        var index = 0
        func position(_ start: Int, _ end: Int) -> TextPosition {
            TextPosition(line: number, column: start + 1, length: end - start)
        }
        func fullWidth(_ character: Character, ascii: String, at offset: Int) {
            problems.append(Problem(position: position(offset, offset + 1),
                                    message: "full-width '\(character)' is not part of the test syntax",
                                    hint: "use the ASCII '\(ascii)' here (full-width text is fine inside quotes)"))
        }
        while index < characters.count {
            let character = characters[index]
            switch character {
            case " ", "\t", "\r", "\u{3000}":
                index += 1
            case "#":
                index = characters.count
            case ",", "，":
                if character == "，" { fullWidth(character, ascii: ",", at: index) }
                tokens.append(RuleTestToken(kind: .comma, text: ",", position: position(index, index + 1)))
                index += 1
            case "=", "＝":
                if character == "＝" { fullWidth(character, ascii: "=", at: index) }
                tokens.append(RuleTestToken(kind: .equals, text: "=", position: position(index, index + 1)))
                index += 1
            case "\"", "“", "”":
                if character != "\"" { fullWidth(character, ascii: "\"", at: index) }
                let start = index
                index += 1
                var value = ""
                var closed = false
                while index < characters.count {
                    let next = characters[index]
                    // A string opened with an ASCII quote closes only with one, so “引号” may appear inside it.
                    if next == "\"" || (character != "\"" && (next == "”" || next == "“")) {
                        if next != "\"" { fullWidth(next, ascii: "\"", at: index) }
                        index += 1
                        closed = true
                        break
                    }
                    if next == "\\", index + 1 < characters.count {
                        let escaped = characters[index + 1]
                        switch escaped {
                        case "\"": value.append("\"")
                        case "\\": value.append("\\")
                        default:
                            problems.append(Problem(position: position(index, index + 2), message: "unknown escape sequence in string",
                                                    hint: "valid escapes are \\\" and \\\\"))
                        }
                        index += 2
                        continue
                    }
                    value.append(next)
                    index += 1
                }
                if !closed {
                    problems.append(Problem(position: position(start, start + 1), message: "unterminated string",
                                            hint: "close the string with '\"' before the end of the line"))
                }
                tokens.append(RuleTestToken(kind: .string, text: value, position: position(start, index)))
            default:
                let start = index
                var word = ""
                while index < characters.count {
                    let next = characters[index]
                    if [" ", "\t", "\r", "\u{3000}", "#", ",", "，", "=", "＝", "\"", "“", "”"].contains(next) { break }
                    if next == "：" {
                        fullWidth(next, ascii: ":", at: index)
                        word.append(":")
                    } else {
                        word.append(next)
                    }
                    index += 1
                }
                tokens.append(RuleTestToken(kind: .word, text: word, position: position(start, index)))
            }
        }
        return (tokens, problems)
    }
}
