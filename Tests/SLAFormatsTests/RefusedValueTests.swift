import SLAEngine
import SLAFormats
import SLARules
import Testing

/// Rule tests and `slad simulate` treat values the rules refuse as documented in docs/rules.md
/// (`fields`): an error in a rule test, a warning in a simulation.
@Suite struct RefusedValueTests {
    static let engine: Engine = {
        let text = testRules + """

        person liu-yang "刘洋" { phone "+8613800000007" }
        fields { grade A "重大", B, C, D "轻微"; category water "供水", lift-trapped "电梯困人" }
        """
        return try! Engine(rules: RuleLoader.check([SourceFile(path: "test.sla", text: text)]).ruleSet!)
    }()

    func headlines(_ text: String) -> [String] {
        let (file, parsed) = RuleTestParser.parse(text, path: "t.slatest")
        #expect(parsed.isEmpty, "\(parsed.map(\.rendered))")
        return RuleTestCompiler.compile(file, engine: Self.engine).diagnostics.map { String($0.rendered.split(separator: "\n")[0]) }
    }

    @Test func ruleTestsReportValuesOutsideTheSetsAtTheirColumn() {
        #expect(headlines("""
        test "values"
          ticket T1 kind=complaint grade=D category=电梯困人 assignee=刘洋 at 2025-09-22 10:00
          ticket T2 kind=complaint grade=E at 2025-09-22 10:00
          event T2 assigned nobody-here at 2025-09-22 10:30
          event T2 regraded grade=a at 2025-09-22 10:40
          run until 2025-09-22 12:00
        """) == [
            "t.slatest:2:45: error: '电梯困人' is not a category the rules declare",
            "t.slatest:2:59: error: '刘洋' is not a person in the rules",
            "t.slatest:3:34: error: 'E' is not a grade the rules declare",
            "t.slatest:4:3: error: 'nobody-here' is not a person in the rules",
            "t.slatest:5:3: error: 'a' is not a grade the rules declare",
        ])
    }

    @Test func withoutADeclarationTheBuiltInSetsStillHold() {
        #expect(diagnostics("""
        test "grade"
          ticket T1 kind=complaint grade=D at 2025-09-22 10:00
          run until 2025-09-22 12:00
        """).first?.hasPrefix("t.slatest:2:34: error: 'D' is not a grade") == true)
    }

    @Test func simulationWarnsOncePerValueAndKeepsTheTickets() throws {
        let jsonl = """
        {"id": "S1", "kind": "complaint", "grade": "D", "created": "2025-09-22 10:00"}
        {"id": "S2", "kind": "complaint", "grade": "E", "assignee": "刘洋", "created": "2025-09-22 10:00"}
        {"id": "S3", "kind": "complaint", "grade": "E", "created": "2025-09-22 10:00"}
        {"id": "S4", "kind": "repair", "category": "water", "created": "2025-09-22 10:00"}
        """
        let input = try SimulationInput.jsonl(Array(jsonl.utf8), zone: Self.engine.displayZone)
        #expect(input.tickets.count == 4)
        #expect(input.refusedValueWarnings(rules: Self.engine.rules, source: "h.jsonl") == [
            "h.jsonl:2: warning: 'E' is not a grade the rules declare (2 tickets, lines 2, 3); expected one of A, B, C, D",
            "h.jsonl:2: warning: '刘洋' is not a person in the rules (1 ticket, line 2); did you mean liu-yang (刘洋)?",
        ])
    }

    @Test func beyondAFewValuesPerFieldTheRestAreSummedUp() throws {
        let jsonl = (1...8).map { #"{"id": "S\#($0)", "kind": "repair", "category": "c\#($0)", "created": "2025-09-22 10:00"}"# }
            .joined(separator: "\n")
        let input = try SimulationInput.jsonl(Array(jsonl.utf8), zone: Self.engine.displayZone)
        let warnings = input.refusedValueWarnings(rules: Self.engine.rules, source: "h.jsonl")
        #expect(warnings.count == 6)
        #expect(warnings.last == "h.jsonl: warning: 3 more category values the rules do not declare, on 3 tickets")
    }
}
