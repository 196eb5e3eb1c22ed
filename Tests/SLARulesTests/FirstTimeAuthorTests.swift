import Testing
@testable import SLARules

/// Diagnostics a first-time author meets (issue 12, item 7): titles where names belong, a bare name
/// before 'via', a limit in words, policies in several files, shipped samples, non-ASCII headers.
@Suite struct FirstTimeAuthorTests {
    func only(_ code: DiagnosticCode, _ result: CheckResult) -> [Diagnostic] {
        result.diagnostics.filter { $0.code == code }
    }

    @Test func aTitleWhereANameBelongsSuggestsTheName() {
        let result = check(baseRules + """
        team customer-service "客服中心" { members zhang-wei; supervisor li-na }
        policy p { when kind = complaint; team 客服中心; clock respond within 2h until acknowledged
          escalate { at respond notify person 张伟 via sms } }
        """)
        #expect(only(.unknownReference, result).map(\.hint) == ["did you mean customer-service (客服中心)?",
                                                                 "did you mean zhang-wei (张伟)?"])
        #expect(!only(.unusedDefinition, result).contains { $0.message.contains("customer-service") },
                "the team offered is not also reported as unused")
    }

    @Test func aBareNameBeforeViaIsExplainedAndTheChannelsAreStillChecked() {
        let result = check(baseRules + """
        policy p { when kind = complaint; team cs; clock respond within 2h until acknowledged
          escalate {
            at respond notify li-na via smss
            at respond notify cs, 张伟 via console
            at respond notify nobody via console
          }
        }
        """)
        let found = result.diagnostics.filter { $0.code != .unusedDefinition }
        #expect(found.map(\.message) == [
            "expected whom to notify: 'assignee', 'supervisor', 'manager', 'person', 'team' or 'roster', found 'li-na'",
            "unknown channel 'smss'",
            "expected whom to notify: 'assignee', 'supervisor', 'manager', 'person', 'team' or 'roster', found 'cs'",
            "expected whom to notify: 'assignee', 'supervisor', 'manager', 'person', 'team' or 'roster', found '张伟'",
            "expected whom to notify: 'assignee', 'supervisor', 'manager', 'person', 'team' or 'roster', found 'nobody'",
        ])
        #expect(found.map(\.hint) == ["write 'person li-na'", "did you mean 'sms'?", "write 'team cs'", "write 'person zhang-wei' (张伟)",
                                      "no person, team or roster is called 'nobody'; write 'person NAME', 'team NAME' or 'roster NAME'"])
        #expect(!only(.unusedDefinition, result).contains { $0.message.contains("'sms'") || $0.message.contains("'li-na'") },
                "'sms' is offered for 'smss' and li-na is named, so neither is reported as never used")
    }

    @Test(arguments: [
        ("4 hours", "write '4h' for 4 hours of wall-clock time, or '4 working hours using HOURS' to count business hours only"),
        ("30 minutes", "write '30m' for 30 minutes of wall-clock time, or '30 working minutes using HOURS' to count business hours only"),
        ("3 days", "write '3d' for 3 days of wall-clock time, or '3 working days' to count working days only"),
        ("4", "a bare number needs a unit: '4h', '4d' or '4 working days'"),
    ])
    func aLimitInWordsOffersBothReadings(limit: String, hint: String) {
        let result = check(baseRules + "policy p { when kind = complaint; clock respond within \(limit) until acknowledged }")
        #expect(only(.unexpectedToken, result).first?.hint == hint)
    }

    @Test func theUnreachableHintSaysHowToReorderAcrossFiles() {
        let result = check([("a-complaints.sla", baseRules + "policy any { when kind = complaint; clock respond within 2h until acknowledged }"),
                            ("b-more.sla", "policy grade-a { when kind = complaint and grade = A; clock respond within 1h until acknowledged }")])
        #expect(only(.unreachablePolicy, result).first?.hint
            == "policies are tried file by file in path order ('a-complaints.sla' before 'b-more.sla'), then top to bottom; "
            + "move this policy into 'a-complaints.sla' above 'any', rename the files so that 'b-more.sla' sorts first "
            + "(a prefix such as '10-'), or narrow 'any'")
        let sameFile = check(baseRules + """
        policy any { when kind = complaint; clock respond within 2h until acknowledged }
        policy grade-a { when kind = complaint and grade = A; clock respond within 1h until acknowledged }
        """)
        #expect(only(.unreachablePolicy, sameFile).first?.hint
            == "policies are tried top to bottom (and files in path order); move this policy above 'any', or narrow that one")
    }

    @Test func unusedSamplesAreReportedOncePerFileAndOwnDefinitionsStandOut() {
        let result = check([("people.sla", """
                            example person a "甲" { phone "+8613800000001" }
                            example person b { phone "+8613800000002" }
                            example channel c log {}
                            """),
                            ("mine.sla", "person mine { phone \"+8613800000003\" }\nexample person d { phone \"+8613800000004\" }")])
        let messages = Set(only(.unusedDefinition, result).map(\.message))
        #expect(messages == ["3 example definitions in this file are never used: person a, person b, channel c",
                             "person 'mine' is never used", "example person d is never used"])
        #expect(result.ruleSet?.people["a"]?.displayName == "甲", "an example is an ordinary definition")
    }

    @Test func exampleMarksOnlyDefinitionsThatCanBeUnused() {
        let result = check(baseRules + "example policy p { clock respond within 2h until acknowledged }\nexample\n")
        #expect(codes(result).filter { $0 != "W002" } == ["E003", "E003"])
        #expect(result.diagnostics.first { $0.code != .unusedDefinition }?.message == "expected a definition after 'example', found 'policy'")
    }

    @Test func aNonASCIIWebhookHeaderIsRefusedWithThePercentEncodedFix() {
        let result = check(baseRules + """
        channel hook webhook { url "http://127.0.0.1:9000/h"; header "X-Source: slad", "X-Site: 翠苑" }
        channel ok webhook { url "http://127.0.0.1:9000/h"; header "X-Site: %E7%BF%A0%E8%8B%91" }
        """)
        let found = only(.nonASCIIHeader, result)
        #expect(found.map(\.message) == ["header \"X-Site: 翠苑\" is not ASCII, and receivers garble it"])
        #expect(found.first?.hint == "HTTP headers carry ASCII only: percent-encode the value, \"X-Site: %E7%BF%A0%E8%8B%91\", "
            + "and decode it in the receiver, or leave the text to the message body")
    }
}
