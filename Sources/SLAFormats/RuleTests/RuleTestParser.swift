import SLAEngine
import SLARules

/// Reads a rule test file. Line-oriented: each line is one statement, the first word says which; a
/// `test "NAME"` line starts a test and the lines up to the next `test` belong to it. Indentation is for
/// people only. A line that cannot be read is reported and skipped, so every problem in a file shows.
///
/// The parser checks the form of each statement and the shape of each test (a `run until`, tickets and
/// incidents that exist); names from the rules (plans, steps, people, channels) are checked by
/// `RuleTestCompiler` once the rules are loaded.
public struct RuleTestParser {
    let path: String
    var lines: [String] = []
    var file: RuleTestFile
    var diagnostics: [RuleTestDiagnostic] = []
    var test: RuleTest?
    /// Ticket and incident names of the current test, with their index in its lists.
    var tickets: [String: Int] = [:]
    var incidents: [String: Int] = [:]
    var testNames: [String: Int] = [:]
    /// Tickets and incidents whose statement had an error: lines about them are not reported again.
    var brokenNames: Set<String> = []
    /// The first words of the current test's statements that had errors.
    var failedStatements: Set<String> = []

    static let statements = ["rules", "test", "ticket", "event", "incident", "drill", "raise", "confirm", "close", "run", "expect"]

    init(path: String) {
        self.path = path
        file = RuleTestFile(path: path)
    }

    /// Parses a whole file. The file is usable only when the diagnostics are empty.
    public static func parse(_ text: String, path: String) -> (file: RuleTestFile, diagnostics: [RuleTestDiagnostic]) {
        var parser = RuleTestParser(path: path)
        // "\r\n" is one Character in Swift, so it is a separator of its own.
        parser.lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.map(String.init)
        parser.file.lines = parser.lines
        for (offset, line) in parser.lines.enumerated() {
            parser.read(line, number: offset + 1)
        }
        parser.finishTest()
        // Problems found when a test ends belong among the others in line order.
        parser.diagnostics = parser.diagnostics.enumerated().sorted {
            ($0.element.position.line, $0.element.position.column, $0.offset) < ($1.element.position.line, $1.element.position.column, $1.offset)
        }.map(\.element)
        if parser.file.tests.isEmpty, parser.diagnostics.isEmpty {
            parser.report(TextPosition(line: 1, column: 1, length: 1), "no tests in this file",
                          hint: "start a test with a line such as: test \"A级投诉超时升级\"")
        }
        return (parser.file, parser.diagnostics)
    }

    struct LineError: Error {
        let position: TextPosition
        let message: String
        let hint: String?

        init(_ position: TextPosition, _ message: String, hint: String? = nil) {
            self.position = position
            self.message = message
            self.hint = hint
        }
    }

    mutating func report(_ position: TextPosition, _ message: String, hint: String? = nil) {
        diagnostics.append(file.diagnostic(position, message, hint: hint))
    }

    mutating func read(_ line: String, number: Int) {
        let (tokens, problems) = RuleTestLexer.tokenize(line, number: number)
        guard let first = tokens.first else {
            for problem in problems { report(problem.position, problem.message, hint: problem.hint) }
            return
        }
        // A line with a lexical problem is reported for that alone (not for what the problem does to
        // the rest of the line) and left unread.
        do {
            if let problem = problems.first {
                for other in problems.dropFirst() { report(other.position, other.message, hint: other.hint) }
                throw LineError(problem.position, problem.message, hint: problem.hint)
            }
            var cursor = Cursor(tokens: tokens, lineEnd: TextPosition(line: number, column: line.count + 1, length: 1))
            try statement(first, &cursor)
        } catch let error as LineError {
            if !error.message.isEmpty { report(error.position, error.message, hint: error.hint) }
            failedStatements.insert(first.text)
            if ["ticket", "incident", "drill"].contains(first.text), tokens.count > 1, tokens[1].kind == .word {
                brokenNames.insert(tokens[1].text)
            }
        } catch {
            report(first.position, "\(error)")
        }
    }

    mutating func statement(_ first: RuleTestToken, _ cursor: inout Cursor) throws {
        guard first.kind == .word else {
            throw LineError(first.position, "a statement starts with a word such as 'ticket' or 'expect'",
                            hint: "statements: \(Self.statements.joined(separator: ", "))")
        }
        let keyword = cursor.next()!
        if keyword.text == "rules" { return try rulesStatement(keyword, &cursor) }
        if keyword.text == "test" { return try testStatement(keyword, &cursor) }
        guard Self.statements.contains(keyword.text) else {
            throw LineError(keyword.position, "unknown statement '\(keyword.text)'",
                            hint: Suggestion.hint(for: keyword.text, in: Self.statements)
                                ?? "statements: \(Self.statements.joined(separator: ", "))")
        }
        guard test != nil else {
            throw LineError(keyword.position, "'\(keyword.text)' must be inside a test",
                            hint: "start a test first with a line such as: test \"A级投诉超时升级\"")
        }
        switch keyword.text {
        case "ticket": try ticketStatement(keyword, &cursor)
        case "event": try eventStatement(keyword, &cursor)
        case "incident", "drill": try incidentStatement(keyword, &cursor)
        case "raise", "confirm", "close": try incidentEventStatement(keyword, &cursor)
        case "run": try runStatement(keyword, &cursor)
        default: try expectStatement(keyword, &cursor)
        }
        try cursor.end()
    }

    mutating func rulesStatement(_ keyword: RuleTestToken, _ cursor: inout Cursor) throws {
        guard test == nil, testNames.isEmpty else {
            throw LineError(keyword.position, "'rules' goes before the first test", hint: "move it to the top of the file")
        }
        if let earlier = file.rules {
            throw LineError(keyword.position, "'rules' is given twice", hint: "the first is on line \(earlier.position.line)")
        }
        let folder = try cursor.name("the rules folder, relative to this file (rules ..)")
        try cursor.end()
        file.rules = folder
    }

    mutating func testStatement(_ keyword: RuleTestToken, _ cursor: inout Cursor) throws {
        finishTest()
        // The test starts even when this line has an error, so that its lines are not reported as outside one.
        let name = cursor.peek().flatMap { $0.kind == .string ? $0 : nil }
        test = RuleTest(name: name?.text ?? "", position: keyword.position)
        guard let name else {
            throw LineError(cursor.here, "a test needs a name in double quotes", hint: "test \"A级投诉超时升级\"")
        }
        cursor.index += 1
        if let line = testNames[name.text] {
            throw LineError(name.position, "test \"\(name.text)\" is defined twice", hint: "the first is on line \(line); give each test its own name")
        }
        testNames[name.text] = keyword.position.line
        try cursor.end()
    }

    /// Checks the test that just ended and adds it to the file.
    mutating func finishTest() {
        guard let finished = test else { return }
        test = nil
        defer { tickets = [:]; incidents = [:]; brokenNames = []; failedStatements = [] }
        var ok = true
        if finished.until == nil, !failedStatements.contains("run") {
            report(finished.position, "test \"\(finished.name)\" has no 'run until'",
                   hint: "say how far to run, with a line such as: run until 2025-09-23 00:00")
            ok = false
        }
        if finished.tickets.isEmpty && finished.incidents.isEmpty && brokenNames.isEmpty {
            report(finished.position, "test \"\(finished.name)\" has no ticket or incident",
                   hint: "add one, such as: ticket T1 kind=complaint grade=A at 2025-09-22 10:00")
            ok = false
        }
        for expectation in finished.expectations {
            if let error = check(expectation) {
                // An empty message: the ticket or incident's own line is wrong, and already reported.
                if !error.message.isEmpty { report(error.position, error.message, hint: error.hint) }
                ok = false
            }
        }
        if ok { file.tests.append(finished) }
    }

    /// Whether an expectation's subject exists and the claim suits it.
    func check(_ expectation: Expectation) -> LineError? {
        switch expectation.claim {
        case .kpiNotice, .kpiState: return nil   // KPIs are the rules', checked by the compiler
        default: break
        }
        let subject = expectation.subject
        let isTicket = tickets[subject.value] != nil
        guard isTicket || incidents[subject.value] != nil else {
            if brokenNames.contains(subject.value) { return LineError(subject.position, "") }
            let names = Array(tickets.keys) + Array(incidents.keys)
            return LineError(subject.position, "unknown ticket or incident '\(subject.value)'",
                             hint: Suggestion.hint(for: subject.value, in: names.sorted())
                                 ?? "declare it in this test with 'ticket \(subject.value) …' or 'incident \(subject.value) …'")
        }
        switch expectation.claim {
        case let .clock(name, _, _) where !isTicket:
            return LineError(name.position, "'\(subject.value)' is an incident; clocks belong to tickets",
                             hint: "for an incident step write: expect … \(subject.value) step NAME open|overdue|confirmed")
        case let .policy(name) where !isTicket:
            return LineError(name.position, "'\(subject.value)' is an incident; policies apply to tickets")
        case let .assignee(name) where !isTicket:
            return LineError(name.position, "'\(subject.value)' is an incident; assignees belong to tickets")
        case let .planStep(name, _) where isTicket:
            return LineError(name.position, "'\(subject.value)' is a ticket; steps with states belong to incidents",
                             hint: "for a ticket's clock write: expect … \(subject.value) clock NAME STATE")
        case let .notification(words, _) where !isTicket:
            guard words.count == 2, ["assigned", "overdue"].contains(words[0].value) else {
                return LineError(words[0].position, "an incident's notification is 'assigned STEP' or 'overdue STEP'",
                                 hint: "expect 2025-09-22 10:30 \(subject.value) overdue arrive notify zhou-min via sms, ops")
            }
            return nil
        default:
            return nil
        }
    }
}

/// Reads the tokens of one line from left to right.
struct Cursor {
    let tokens: [RuleTestToken]
    var index = 0
    /// Just past the end of the line, for "expected … here" at the end.
    let lineEnd: TextPosition

    init(tokens: [RuleTestToken], lineEnd: TextPosition) {
        self.tokens = tokens
        self.lineEnd = lineEnd
    }

    var atEnd: Bool { index >= tokens.count }
    func peek(_ offset: Int = 0) -> RuleTestToken? { index + offset < tokens.count ? tokens[index + offset] : nil }
    var here: TextPosition { peek()?.position ?? lineEnd }

    mutating func next() -> RuleTestToken? {
        defer { index += 1 }
        return peek()
    }

    /// True when the next token is the word `keyword`.
    func isWord(_ keyword: String, at offset: Int = 0) -> Bool {
        guard let token = peek(offset) else { return false }
        return token.kind == .word && token.text == keyword
    }

    /// True when the next two tokens are `KEY =`.
    var atAssignment: Bool { peek()?.kind == .word && peek(1)?.kind == .equals }

    mutating func expectWord(_ keyword: String, hint: String? = nil) throws {
        guard isWord(keyword) else {
            throw RuleTestParser.LineError(here, atEnd ? "expected '\(keyword)' here" : "expected '\(keyword)', found '\(peek()!.text)'", hint: hint)
        }
        index += 1
    }

    /// A name: a word or a quoted string.
    mutating func name(_ what: String, hint: String? = nil) throws -> Located<String> {
        guard let token = peek(), token.kind == .word || token.kind == .string else {
            throw RuleTestParser.LineError(here, atEnd ? "expected \(what) here" : "expected \(what), found '\(peek()!.text)'", hint: hint)
        }
        index += 1
        return Located(token.text, at: token.position)
    }

    /// `NAME, NAME, …`
    mutating func list(_ what: String, hint: String? = nil) throws -> [Located<String>] {
        var names = [try name(what, hint: hint)]
        while peek()?.kind == .comma {
            index += 1
            names.append(try name(what, hint: hint))
        }
        return names
    }

    /// A time: `2025-09-22 10:00[:00]` (local, two words) or `2025-09-22T10:00:00+08:00` (one word).
    mutating func stamp(_ what: String) throws -> Stamp {
        let example = "write a date and a time of day such as 2025-09-22 10:00, or 2025-09-22T10:00+08:00"
        guard let first = peek(), first.kind == .word else {
            throw RuleTestParser.LineError(here, "expected \(what) here", hint: example)
        }
        let utc = ZoneTable(fixedOffset: 0, identifier: "UTC")
        if first.text.count >= 16, Array(first.text)[10] == "T" {
            guard LocalTime.parse(first.text, zone: utc) != nil else {
                throw RuleTestParser.LineError(first.position, "'\(first.text)' is not a time", hint: example)
            }
            index += 1
            return Located(first.text, at: first.position)
        }
        guard DayDate(first.text) != nil else {
            let looksLikeDate = first.text.count == 10 && first.text.filter({ $0 == "-" }).count == 2
            throw RuleTestParser.LineError(first.position, looksLikeDate ? "'\(first.text)' is not a real date" : "expected \(what), found '\(first.text)'",
                                           hint: example)
        }
        guard let second = peek(1), second.kind == .word, second.text.first?.isNumber == true else {
            throw RuleTestParser.LineError(peek(1)?.position ?? lineEnd, "a time needs a time of day after the date", hint: example)
        }
        let text = first.text + " " + second.text
        guard LocalTime.parse(text, zone: utc) != nil else {
            throw RuleTestParser.LineError(second.position, "'\(second.text)' is not a time of day", hint: "write hours and minutes such as 09:30 or 17:05:30")
        }
        index += 2
        let position = TextPosition(line: first.position.line, column: first.position.column,
                                    length: second.position.column + second.position.length - first.position.column)
        return Located(text, at: position)
    }

    /// The end of the statement: anything left over is an error.
    func end() throws {
        guard let extra = peek() else { return }
        throw RuleTestParser.LineError(extra.position, "unexpected '\(extra.text)' at the end of the statement")
    }
}
