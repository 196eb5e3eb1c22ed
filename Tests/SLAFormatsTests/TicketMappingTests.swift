import SLAEngine
@testable import SLAFormats
import SLARules
import Testing

@Suite struct TicketMappingTests {
    static let sample = """
    # A small export
    id           = Ticket No
    created      = "Opened"
    acknowledged = Responded    # first answer
    closed       = Closed
    category     = Type
    building     = Block
    time format  = YYYY-MM-DD HH:mm
    time zone    = Asia/Shanghai
    optional events = acknowledged

    map "Leak"        = repair priority=urgent
    map "Noise*"      = complaint grade=C
    map "Noise - Dog" = complaint grade=B
    map Parking       = skip
    default           = enquiry
    """

    func mapping(_ text: String = sample) throws -> TicketMapping {
        switch TicketMapping.parse(text) {
        case let .success(mapping): return mapping
        case let .failure(failures):
            Issue.record("unexpected failures: \(failures.all)")
            throw failures
        }
    }

    func failures(_ text: String) -> [TicketMapping.Failure] {
        if case let .failure(failures) = TicketMapping.parse(text) { return failures.all }
        return []
    }

    @Test func readsColumnsSettingsAndCategories() throws {
        let mapping = try mapping()
        #expect(mapping.id?.name == "Ticket No")
        #expect(mapping.created?.name == "Opened")
        #expect(mapping.events.map(\.kind) == [.acknowledged, .closed])
        #expect(mapping.events.map(\.column.name) == ["Responded", "Closed"])
        #expect(mapping.fields.map(\.field) == [.category, .building])
        #expect(mapping.timeFormat?.pattern == "YYYY-MM-DD HH:mm")
        #expect(mapping.timeZone == "Asia/Shanghai")
        #expect(mapping.optionalEvents == [.acknowledged])
        #expect(mapping.categories.count == 4)
    }

    @Test func categoriesMatchExactlyThenByLongestPrefixThenDefault() throws {
        let mapping = try mapping()
        #expect(mapping.rule(forCategory: "leak")?.fields == [.priority: "urgent"])          // case does not matter
        #expect(mapping.rule(forCategory: "Noise - Dog")?.fields == [.grade: "B"])            // exact beats prefix
        #expect(mapping.rule(forCategory: "Noise - Street")?.fields == [.grade: "C"])
        #expect(mapping.rule(forCategory: "Parking")?.kind == nil)                            // skip
        #expect(mapping.rule(forCategory: "Something else")?.kind == "enquiry")
    }

    @Test func everyProblemIsReportedWithLineAndColumn() {
        let text = """
        id = A
        created = B
        cretaed = C
        time format = YYYY-MM-DD HH:mm
        time zone = Mars/Olympus
        map "Leak" = repiar
        map "Dog" = complaint grde=B
        map "Cat" = complaint grade=Z       # checked against the rules, not here
        id = D
        just words
        """
        let found = failures(text)
        #expect(found.map(\.line) == [3, 5, 6, 7, 9, 10])
        #expect(found[0].column == 1)
        #expect(found[0].message.contains("unknown key 'cretaed'"))
        #expect(found[0].message.contains("did you mean 'created'?"))
        #expect(found[1].message.contains("'Mars/Olympus' is not a time zone"))
        #expect(found[1].column == 13)
        #expect(found[2].message.contains("'repiar' is not a ticket kind (did you mean 'repair'?)"))
        #expect(found[2].column == 14)
        #expect(found[3].message.contains("'grde' is not a ticket field"))
        #expect(found[4].message.contains("'id' is set twice (first on line 1)"))
        #expect(found[5].message.contains("expected 'key = value'"))
    }

    @Test func valuesTheRulesRefuseAreErrorsAtTheirLine() throws {
        let text = """
        id = A
        created = B
        category = C
        time format = YYYY-MM-DD HH:mm
        map "Cat" = complaint grade=Z
        map "Dog" = repair priority=rush category=电梯困人
        default = repair grade=D
        time zone = Asia/Shanghai
        """
        #expect(failures(text).isEmpty, "\(failures(text))")
        guard case let .success(mapping) = TicketMapping.parse(text) else { return }
        let builtIn = try #require(RuleLoader.check([SourceFile(path: "r.sla", text: "policy p { clock respond within 2h until acknowledged }")]).ruleSet)
        #expect(mapping.refusals(rules: builtIn).map(\.description) == [
            "5:13: 'Z' is not a grade; expected one of A, B, C",
            "6:13: 'rush' is not a priority; expected one of urgent, regular",
            "7:11: 'D' is not a grade; expected one of A, B, C",
        ])
        let declared = try #require(RuleLoader.check([SourceFile(path: "r.sla", text: """
            fields { grade A, B, C, D; category lift-trapped "电梯困人" }
            policy p { clock respond within 2h until acknowledged }
            """)]).ruleSet)
        #expect(mapping.refusals(rules: declared).map(\.description) == [
            "5:13: 'Z' is not a grade the rules declare; expected one of A, B, C, D",
            "6:13: '电梯困人' is not a category the rules declare; did you mean lift-trapped (电梯困人)?",
            "6:13: 'rush' is not a priority; expected one of urgent, regular",
        ])
    }

    @Test func missingEssentialsAreErrors() {
        let found = failures("category = Type\n")
        let messages = found.map(\.message).joined(separator: "\n")
        #expect(messages.contains("no id column"))
        #expect(messages.contains("no creation time column"))
        #expect(messages.contains("no 'time format'"))
        #expect(messages.contains("no 'time zone'"))
        #expect(messages.contains("gives tickets no kind"))
    }

    @Test func aBadTimeFormatPointsAtItsColumn() {
        let found = failures("id = a\ncreated = b\ndefault = enquiry\ntime zone = UTC\ntime format = YYYY-MM-DD hh:mm\n")
        #expect(found.count == 1)
        #expect(found.first?.line == 5)
        #expect(found.first?.message.contains("AM marker") == true)
    }
}
