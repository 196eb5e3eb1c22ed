import SLAEngine
@testable import SLAFormats
import SLARules
import Testing

/// The revisit score (1–5) in every input format: JSON Lines / API bodies, CSV through a mapping, rule
/// tests; and repeat marking across a simulate input.
@Suite struct RevisitScoreFormatsTests {
    let zone = ZoneTable(identifier: "Asia/Shanghai")!

    func line(_ events: String) -> String {
        #"{"id":"T1","kind":"repair","site":"翠湖花园","created":"2025-09-22 10:00","events":[{"kind":"resolved","at":"2025-09-22 11:00"},"#
            + events + "]}"
    }

    @Test func jsonCarriesTheScoreOnRevisitsAndBackOut() throws {
        let text = line(#"{"kind":"revisited","at":"2025-09-23 10:00","score":4,"note":"地面没清理干净"}"#)
        let input = try SimulationInput.jsonl(Array(text.utf8), zone: zone)
        let visit = try #require(input.tickets.first?.ticket.events.last)
        #expect(visit.kind == .revisited && visit.score == 4 && visit.note == "地面没清理干净")
        #expect(TicketJSON.encode(input.tickets[0].ticket).contains(#""score":4"#))
        guard case let .success(event) = TicketJSON.decodeEvent(["kind": "revisited", "score": 5], zone: zone, defaultAt: Instant(seconds: 0)) else {
            Issue.record("refused"); return
        }
        #expect(event.score == 5)
    }

    @Test(arguments: [
        (#""score":6"#, "6 is not a score; expected a whole number from 1 (very dissatisfied) to 5 (very satisfied)"),
        (#""score":0"#, "0 is not a score"),
        (#""score":4.5"#, "expected a whole number from 1"),
        (#""score":"4""#, "expected a whole number from 1 (very dissatisfied) to 5 (very satisfied), found a string"),
        (#""score":true"#, "expected a whole number from 1"),
    ])
    func badScoresFailAtTheirField(_ score: String, _ message: String) {
        let text = line(#"{"kind":"revisited","at":"2025-09-23 10:00","# + score + "}")
        #expect(throws: SimulationInput.Failure.self) { try SimulationInput.jsonl(Array(text.utf8), zone: zone) }
        do {
            _ = try SimulationInput.jsonl(Array(text.utf8), zone: zone)
        } catch {
            #expect(error.field == "events[1].score", "\(error)")
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test func aScoreOnAnotherEventIsRefused() {
        guard case let .failure(failure) = TicketJSON.decodeEvent(["kind": "resolved", "score": 5], zone: zone, defaultAt: Instant(seconds: 0)) else {
            Issue.record("accepted"); return
        }
        #expect(failure.field == "score")
        #expect(failure.message.hasPrefix("only a 'revisited' event carries a score"))
    }

    static let scoredMapping = TicketMappingTests.sample.replacingOccurrences(of: "closed       = Closed", with: """
    closed       = Closed
    revisited    = Visited
    score        = 满意度
    comment      = 回访意见
    """)

    func csv(_ body: String) throws -> SimulationInput {
        guard case let .success(mapping) = TicketMapping.parse(Self.scoredMapping) else { throw CancellationError() }
        return try SimulationInput.csv(Array(("Ticket No,Opened,Responded,Closed,Type,Block,Visited,满意度,回访意见\n" + body).utf8), mapping: mapping)
    }

    @Test func csvScoreAndCommentGoOnTheRevisit() throws {
        let input = try csv("""
        T1,2026-03-02 09:00,,2026-03-03 11:00,Leak,3栋,2026-03-03 10:00,5,很满意
        T2,2026-03-02 09:00,,,Leak,3栋,2026-03-03 10:00,,
        T3,2026-03-02 09:00,,,Leak,3栋,2026-03-03 10:00,9,
        T4,2026-03-02 09:00,,,Leak,3栋,,4,
        T5,2026-03-02 09:00,,,Leak,3栋,2026-03-03 10:00,good,
        """)
        #expect(input.tickets.map(\.ticket.id) == ["T1", "T2"])
        let visit = try #require(input.tickets[0].ticket.events.first { $0.kind == .revisited })
        #expect(visit.score == 5 && visit.note == "很满意")
        #expect(input.tickets[1].ticket.events.first { $0.kind == .revisited }?.score == nil)
        let rejected = Dictionary(uniqueKeysWithValues: input.rejected.entries.map { ($0.reason, $0.lines) })
        #expect(rejected["满意度 not a score from 1 to 5"] == [4, 6])
        #expect(rejected["满意度 without a return visit time"] == [5])
    }

    @Test func aScoreColumnNeedsARevisitColumn() {
        let text = TicketMappingTests.sample + "\nscore = 满意度\n"
        guard case let .failure(failures) = TicketMapping.parse(text) else { Issue.record("accepted"); return }
        #expect(failures.all.map(\.description) == ["17:1: 'score' belongs to the return visit, but no column is mapped to 'revisited' (add 'revisited = COLUMN')"])
    }

    @Test func ruleTestsTakeAScoreOnRevisits() throws {
        let good = """
        test "x"
          ticket T1 kind=repair at 2025-09-22 10:00
          event T1 resolved at 2025-09-22 11:00
          event T1 revisited score=4 at 2025-09-23 10:00 by li-na note "还行"
          run until 2025-09-24 00:00
        """
        let (file, diagnostics) = RuleTestParser.parse(good, path: "t.slatest")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(file.tests.first?.tickets.first?.events.last?.score == 4)
        let (_, bad) = RuleTestParser.parse(good.replacingOccurrences(of: "score=4", with: "score=7"), path: "t.slatest")
        #expect(bad.map { "\($0.position.line):\($0.position.column): \($0.message)" }
            == ["4:28: 7 is not a score; expected a whole number from 1 (very dissatisfied) to 5 (very satisfied)"])
        let (_, misplaced) = RuleTestParser.parse(good.replacingOccurrences(of: "resolved at", with: "resolved score=5 at"), path: "t.slatest")
        #expect(misplaced.map(\.message) == ["'resolved' takes no 'score='"])
    }

    @Test func simulateInputsAreMarkedAcrossTheFile() throws {
        let text = """
        {"id":"A","kind":"repair","site":"翠湖花园","building":"3栋","created":"2025-09-22 10:00","events":[{"kind":"closed","at":"2025-09-22 12:00"}]}
        {"id":"B","kind":"repair","site":"翠湖花园","building":"3栋","created":"2025-09-25 10:00"}
        {"id":"C","kind":"repair","site":"翠湖花园","building":"5栋","created":"2025-09-25 10:00"}
        """
        var input = try SimulationInput.jsonl(Array(text.utf8), zone: zone)
        input.markRepeats(nil)
        #expect(input.repeatCount == 0)
        input.markRepeats(RepeatSettings(withinSeconds: 30 * 86_400, location: SourceRange(file: 0, start: 0, end: 0)))
        #expect(input.tickets.map(\.ticket.repeatOf) == [nil, "A", nil])
        #expect(input.repeatCount == 1)
    }
}

/// `slad test` tickets are marked as repeats as the daemon would mark them, when the rules say `repeats`.
@Suite struct RuleTestRepeatsTests {
    @Test func compiledTicketsCarryRepeatOf() throws {
        let text = testRules + "\nrepeats { within 30d }\n"
        let result = RuleLoader.check([SourceFile(path: "r.sla", text: text)])
        let engine = try Engine(rules: try #require(result.ruleSet, "\(result.diagnostics)"))
        let (file, parsed) = RuleTestParser.parse("""
        test "x"
          ticket T1 kind=repair site=翠湖花园 building=3栋 at 2025-09-22 10:00
          event T1 closed at 2025-09-22 12:00
          ticket T2 kind=repair site=翠湖花园 building=3栋 at 2025-09-24 10:00
          ticket T3 kind=repair site=翠湖花园 building=5栋 at 2025-09-24 10:00
          run until 2025-09-25 00:00
        """, path: "t.slatest")
        #expect(parsed.isEmpty, "\(parsed)")
        let (tests, diagnostics) = RuleTestCompiler.compile(file, engine: engine)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(tests.first?.tickets.map(\.repeatOf) == [nil, "T1", nil])
    }
}
