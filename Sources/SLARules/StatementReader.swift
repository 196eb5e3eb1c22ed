/// A statement that cannot be read; the construct reports it and skips to the next statement.
struct ParseFailure: Error {
    let diagnostic: Diagnostic
}

/// A cursor over one statement's tokens with the small vocabulary every construct needs.
/// Each `expect…` either returns what it read or throws a diagnostic naming what was expected.
/// The descriptions and hints are autoclosures: many are interpolated, and building them for every
/// statement that reads fine was a measurable part of checking a large rule set.
struct StatementReader {
    let statement: Statement
    private(set) var index: Int

    init(_ statement: Statement, from index: Int = 1) {
        self.statement = statement
        self.index = index
    }

    var tokens: [Token] { statement.tokens }
    var isAtEnd: Bool { index >= tokens.count }
    var peek: Token? { isAtEnd ? nil : tokens[index] }
    var previous: Token { tokens[max(0, index - 1)] }

    /// Where a missing token would go: just after the last token read.
    var endRange: SourceRange {
        let last = tokens[tokens.count - 1].range
        return SourceRange(file: last.file, start: last.end, end: last.end + 1)
    }

    mutating func advance() -> Token {
        defer { index += 1 }
        return tokens[index]
    }

    func failure(_ expected: String, code: DiagnosticCode = .unexpectedToken, hint: String? = nil) -> ParseFailure {
        if let token = peek {
            return ParseFailure(diagnostic: Diagnostic(code, at: token.range, "expected \(expected), found \(token.display)",
                                                       hint: hint))
        }
        return ParseFailure(diagnostic: Diagnostic(code, at: endRange,
                                                   "expected \(expected) after \(previous.display)", hint: hint))
    }

    mutating func accept(_ word: String) -> Bool {
        guard let token = peek, token.isWord(word) else { return false }
        index += 1
        return true
    }

    mutating func accept(_ kind: Token.Kind) -> Token? {
        guard let token = peek, token.kind == kind else { return nil }
        index += 1
        return token
    }

    /// One of a fixed set of keywords.
    mutating func expectWord(_ options: [String], hint: @autoclosure () -> String? = nil) throws(ParseFailure) -> Token {
        guard let token = peek, token.kind == .word, options.contains(token.text) else {
            let suggestion = peek.flatMap { $0.kind == .word ? Suggestion.hint(for: $0.text, in: options) : nil }
            throw failure(Suggestion.list(options), hint: suggestion ?? hint())
        }
        index += 1
        return token
    }

    /// A name: a word that is not punctuation, a string or a number.
    mutating func expectName(_ what: @autoclosure () -> String) throws(ParseFailure) -> Token {
        guard let token = peek, token.kind == .word else {
            throw failure(what(), hint: peek?.kind == .string ? "names are written without quotes" : nil)
        }
        index += 1
        return token
    }

    mutating func expectString(_ what: @autoclosure () -> String) throws(ParseFailure) -> Token {
        guard let token = peek, token.kind == .string else {
            throw failure(what(), hint: "text goes in double quotes: \"…\"")
        }
        index += 1
        return token
    }

    mutating func optionalString() -> Token? { accept(.string) }

    mutating func expectDuration() throws(ParseFailure) -> (Duration, SourceRange) {
        guard let token = peek, token.kind == .literal else {
            throw failure("a duration such as '30m', '2h' or '7d'")
        }
        index += 1
        guard let duration = Duration(token.text) else {
            throw ParseFailure(diagnostic: Diagnostic(.invalidDuration, at: token.range, "'\(token.text)' is not a duration",
                                                      hint: "write a number and a unit: 45s, 30m, 2h, 1h30m, 7d, 2w"))
        }
        return (duration, token.range)
    }

    mutating func expectNumber(_ what: @autoclosure () -> String, in range: ClosedRange<Int>) throws(ParseFailure) -> (Int, SourceRange) {
        guard let token = peek, token.kind == .literal else { throw failure(what()) }
        index += 1
        guard let value = Int(token.text) else {
            throw ParseFailure(diagnostic: Diagnostic(.invalidNumber, at: token.range, "'\(token.text)' is not a whole number",
                                                      hint: "write \(what()) as digits, e.g. \(range.lowerBound)"))
        }
        guard range.contains(value) else {
            throw ParseFailure(diagnostic: Diagnostic(.valueOutOfRange, at: token.range,
                                                      "\(what()) must be between \(range.lowerBound) and \(range.upperBound)"))
        }
        return (value, token.range)
    }

    mutating func expectDate() throws(ParseFailure) -> (DayDate, SourceRange) {
        guard let token = peek, token.kind == .literal else { throw failure("a date such as '2026-10-01'") }
        index += 1
        guard let date = DayDate(token.text) else {
            throw ParseFailure(diagnostic: Diagnostic(.invalidDate, at: token.range, "'\(token.text)' is not a valid date",
                                                      hint: "dates are written YYYY-MM-DD and must exist, e.g. 2026-10-01"))
        }
        return (date, token.range)
    }

    mutating func expectTime() throws(ParseFailure) -> (TimeOfDay, SourceRange) {
        guard let token = peek, token.kind == .literal else { throw failure("a time of day such as '08:30'") }
        index += 1
        guard let time = TimeOfDay(token.text), time.minutes < 24 * 60 else {
            throw ParseFailure(diagnostic: Diagnostic(.invalidTime, at: token.range, "'\(token.text)' is not a time of day",
                                                      hint: "write HH:MM on the 24-hour clock, from 00:00 to 23:59"))
        }
        return (time, token.range)
    }

    /// `a, b, c`: one or more names separated by commas.
    mutating func expectNameList(_ what: @autoclosure () -> String) throws(ParseFailure) -> [Token] {
        var names = [try expectName(what())]
        while accept(.comma) != nil { names.append(try expectName(what())) }
        return names
    }

    /// Fails when tokens are left over: the statement said more than the construct understands.
    func expectEnd(_ hint: @autoclosure () -> String? = nil) throws(ParseFailure) {
        guard let token = peek else { return }
        throw ParseFailure(diagnostic: Diagnostic(.unexpectedToken, at: token.range,
                                                  "unexpected \(token.display) at the end of '\(tokens[0].text)'",
                                                  hint: hint() ?? "remove it, or start a new line for a new statement"))
    }

    /// A statement that must not own a block.
    func expectNoBlock() throws(ParseFailure) {
        if let block = statement.block {
            throw ParseFailure(diagnostic: Diagnostic(.unexpectedToken, at: block.open.range,
                                                      "'\(tokens[0].text)' does not take a block"))
        }
    }
}
