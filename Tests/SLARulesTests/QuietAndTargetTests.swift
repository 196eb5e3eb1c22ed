import Testing
@testable import SLARules

@Suite struct QuietAndTargetTests {
    let policy = """
    policy enquiry { when kind = enquiry; team cs; clock respond within 2h until acknowledged
      escalate { at respond notify supervisor via console urgent } }
    """

    @Test func quietWindowReadsDatesDailySpansAndZone() throws {
        let result = check(baseRules + policy + """
        quiet spring "春节值守" {
          policies enquiry
          dates 2026-02-15 .. 2026-02-23
          dates 2026-03-01
          daily 22:00-07:00
          daily 12:00 - 13:00
          timezone Asia/Shanghai
        }
        """)
        #expect(codes(result).filter { $0 != "W002" } == [])
        let window = try #require(result.ruleSet?.quietWindows.first)
        #expect(window.title == "春节值守")
        #expect(window.policies == ["enquiry"])
        #expect(window.dates.map { "\($0.from)..\($0.through)" } == ["2026-02-15..2026-02-23", "2026-03-01..2026-03-01"])
        #expect(window.daily.map { "\($0.start)-\($0.end)" } == ["22:00-07:00", "12:00-13:00"])
        #expect(result.ruleSet?.policies.first?.steps.first?.isUrgent == true)
    }

    @Test func quietWindowErrors() {
        let result = check(baseRules + policy + """
        quiet a { policies enquiyr; dates 2026-02-23 .. 2026-02-15 }
        quiet b { policies enquiry; daily 22:00-22:00 }
        quiet c { dates 2026-02-15 }
        quiet d { policies enquiry }
        """)
        let found = result.diagnostics.filter { $0.code != .unusedDefinition }
        #expect(found.map(\.code.rawValue) == ["E102", "E116", "E116", "E106", "E106"])
        #expect(found.first?.hint == "did you mean 'enquiry'?")
    }

    @Test func supervisorWithoutTeamWarns() {
        let result = check(baseRules + """
        policy p { when kind = enquiry; clock respond within 2h until acknowledged
          escalate { at respond notify supervisor via console } }
        plan q { step a within 5m owner manager via console
          step b within 5m owner assignee via console }
        team empty { members zhang-wei }
        policy r { when kind = repair; team empty; clock respond within 2h until acknowledged
          escalate { at respond notify manager via console } }
        """)
        #expect(codes(result).filter { $0 == "W008" }.count == 4, "\(codes(result))")
        #expect(result.ruleSet != nil)
    }
}
