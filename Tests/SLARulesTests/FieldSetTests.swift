import Testing
@testable import SLARules

/// `fields { … }`: declared value sets, the check of conditions against them, and the shared refusal
/// function the API, `slad ticket` and `slad import` answer with.
@Suite struct FieldSetTests {
    let fields = """
    fields {
      grade A "重大", B "较大", C "一般", D "轻微"
      category elevator "电梯故障", elevator-trapped "电梯困人",
               water-outage "停水事件"
      source hotline "客服热线", 12345
    }

    """

    @Test func declaredSetsAreRead() throws {
        let rules = try #require(check(baseRules + fields).ruleSet)
        #expect(rules.fieldSets[.grade]?.values.map(\.name) == ["A", "B", "C", "D"])
        #expect(rules.fieldSets[.category]?.values.map(\.name) == ["elevator", "elevator-trapped", "water-outage"])
        #expect(rules.fieldSets[.category]?.values[1].title == "电梯困人")
        #expect(rules.fieldSets[.source]?.values.map(\.name) == ["hotline", "12345"])
        #expect(rules.fieldSets[.priority] == nil)
    }

    @Test func aDeclaredSetReplacesTheBuiltInOne() {
        // D is not a built-in grade, but the rules declare it.
        let result = check(baseRules + fields + "policy d { when kind = complaint and grade = D; clock respond within 2h until acknowledged }")
        #expect(codes(result).filter { $0 != "W002" } == [])
    }

    @Test func conditionsNamingValuesOutsideTheirSetWarnWithDidYouMean() {
        let result = check(baseRules + fields + """
        policy p { when kind = repair and category in [elevtor, 电梯困人]; clock respond within 2h until acknowledged }
        plan lift { when kind = incident and category = elevator-trapped; covers category in [elevator, lift] in same building
          step arrive within 30m owner person zhang-wei via sms }
        """)
        let found = result.diagnostics.filter { $0.code == .valueOutsideSet }
        #expect(found.map(\.message) == ["'elevtor' is not a declared category, so this condition never holds for it",
                                         "'电梯困人' is not a declared category, so this condition never holds for it",
                                         "'lift' is not a declared category, so this condition never holds for it"])
        #expect(found[0].hint == "did you mean elevator (电梯故障)? If 'elevtor' is new, add it to 'category' in the fields block")
        #expect(found[1].hint == "did you mean elevator-trapped (电梯困人)? If '电梯困人' is new, add it to 'category' in the fields block")
        #expect(found[2].hint == "the rules declare category as 'elevator', 'elevator-trapped' or 'water-outage'; if 'lift' is new, add it to 'category' in the fields block")
        #expect(result.ruleSet != nil, "a value outside a set is a warning")
    }

    @Test func withoutADeclarationBuiltInSetsStillApply() {
        let result = check(baseRules + "policy d { when kind = complaint and grade = D; clock respond within 2h until acknowledged }")
        #expect(codes(result).filter { $0 != "W002" } == ["E104"])
    }

    @Test func badDeclarationsAreReported() {
        let result = check(baseRules + """
        fields { grade A, B, A; kind complaint; tags vip }
        fields { grade A }
        """)
        #expect(codes(result).filter { $0 != "W002" } == ["E101", "E118", "E118", "E101"])
        #expect(result.diagnostics.filter { $0.code == .fieldNotDeclarable }.map(\.hint) == [
            "ticket kinds are fixed by slad: 'complaint', 'repair', 'enquiry', 'suggestion' or 'incident'; declarable: 'category', 'grade', 'priority' or 'source'",
            "'tags' is free text; declarable: 'category', 'grade', 'priority' or 'source'",
        ])
    }

    @Test func refusalsNameTheFieldAndSuggestByNameOrTitle() throws {
        let rules = try #require(check(baseRules + fields + "person liu-yang \"刘洋\" { phone \"+8613800000007\" }\n").ruleSet)
        let refusals = rules.refusals([(.grade, "E"), (.category, "电梯困人"), (.assignee, "刘洋"), (.assignee, "nobody-here"),
                                       (.priority, "rush"), (.grade, "A"), (.assignee, "li-na"), (.source, "12345"), (.grade, "d")])
        #expect(refusals.map(\.field) == [.grade, .category, .assignee, .assignee, .grade])
        #expect(refusals.map(\.message) == [
            "'E' is not a grade the rules declare; expected one of A, B, C, D",
            "'电梯困人' is not a category the rules declare; did you mean elevator-trapped (电梯困人)?",
            "'刘洋' is not a person in the rules; did you mean liu-yang (刘洋)?",
            "'nobody-here' is not a person in the rules; expected one of li-na, liu-yang, zhang-wei",
            "'d' is not a grade the rules declare; did you mean D (轻微)?",
        ])
    }

    @Test func withoutDeclarationsOrPeopleEverythingIsAccepted() throws {
        let rules = try #require(check("policy p { clock respond within 2h until acknowledged }").ruleSet)
        #expect(rules.refusals([(.grade, "D"), (.priority, "rush"), (.assignee, "nobody-here")]).isEmpty)
    }

    @Test func theShippedRulesDeclareEveryValueTheirConditionsUse() throws {
        let (result, _) = try checkFolder(repositoryRoot.appendingPathComponent("rules"))
        let rules = try #require(result.ruleSet)
        #expect(result.diagnostics.filter { $0.code == .valueOutsideSet }.isEmpty)
        for field in FieldSet.declarable {
            #expect(rules.fieldSets[field] != nil, "the shipped rules declare \(field)")
        }
        #expect(rules.refusals([(.grade, "D"), (.priority, "rush"), (.assignee, "nobody-here")]).count == 3)
        #expect(rules.refusals([(.assignee, "刘洋")]).first?.message == "'刘洋' is not a person in the rules; did you mean liu-yang (刘洋)?")
    }
}
