import SLAEngine
import SLARules
import Testing

@Suite struct RosterAndRecipientTests {
    let engine: Engine

    init() throws {
        engine = try SLAEngineTests.engine(officeRules + """
        person zhao-lei "赵磊" { phone "+8613800000005" }
        person chen-gang "陈刚" { email "chen@example.com" }
        roster oncall { rotate daily at 08:30; starting 2025-09-01; members zhao-lei, chen-gang, wang-qiang
          override 2025-10-01 .. 2025-10-02 li-na }
        roster weekly { rotate weekly on mon at 09:00; starting 2025-09-03; members zhao-lei, chen-gang }
        team nobody-team { members zhang-wei }
        policy p { when kind = repair; team cs; clock respond within 30m until acknowledged
          escalate {
            at respond - 10m notify roster oncall via sms, console
            at respond notify assignee, supervisor via sms
            at respond + 30m notify team nobody-team via sms
          }
        }
        """)
    }

    @Test(arguments: [
        ("2025-09-01 08:29", "wang-qiang"),   // before the first handoff: the previous day's turn
        ("2025-09-01 08:30", "zhao-lei"),
        ("2025-09-02 08:29", "zhao-lei"),
        ("2025-09-02 08:30", "chen-gang"),
        ("2025-09-03 09:00", "wang-qiang"),
        ("2025-09-04 09:00", "zhao-lei"),
        ("2025-10-01 09:00", "li-na"),        // override, whole rotation days
        ("2025-10-03 08:29", "li-na"),
        ("2025-10-03 08:30", "wang-qiang"),  // 32 days after the anchor: turn 32 mod 3 = 2
    ])
    func dailyRotationWithHandoffAndOverrides(instant: String, expected: String) {
        #expect(engine.onDuty("oncall", at: at(instant)) == expected)
    }

    @Test func weeklyRotationHandsOffOnItsWeekday() {
        // Anchor Wednesday 2025-09-03: the first period began Monday 2025-09-01 09:00.
        #expect(engine.onDuty("weekly", at: at("2025-09-01 09:00")) == "zhao-lei")
        #expect(engine.onDuty("weekly", at: at("2025-09-08 08:59")) == "zhao-lei")
        #expect(engine.onDuty("weekly", at: at("2025-09-08 09:00")) == "chen-gang")
        #expect(engine.onDuty("weekly", at: at("2025-09-15 09:00")) == "zhao-lei")
    }

    @Test func aRosterStepReachesWhoeverIsOnDutyWhenItFires() {
        // Created 08:15 on 1 September: the step at respond - 10m fires 08:35, after the 08:30 handoff.
        let ticket = Ticket(id: "R", fields: TicketFields(kind: "repair"), createdAt: at("2025-09-01 08:15"))
        let result = engine.evaluate(ticket, at: at("2025-09-01 08:35"))
        let step = try! #require(result.due.first)
        let reached = engine.recipients(for: step, of: ticket, at: at("2025-09-01 08:35"))
        #expect(reached.people == ["zhao-lei"])
        #expect(reached.deliveries.map(\.channel) == ["sms", "console"])
        #expect(reached.deliveries[0].recipients.first?.address == "+8613800000005")
    }

    @Test func aTargetThatResolvesToNobodyIsReportedAndTheOthersStillReceive() {
        let recipients = engine.recipients(targets: [.assignee, .supervisor], channels: ["sms"], assignee: nil,
                                           policyTeam: "cs", at: at("2025-09-01 10:00"))
        #expect(recipients.people == ["li-na"])
        #expect(recipients.unreached.map(\.description) == ["assignee: the ticket has no assignee"])
        #expect(recipients.fallback == nil)
    }

    @Test func aPersonWithoutTheChannelsAddressIsReported() {
        let recipients = engine.recipients(targets: [.person("chen-gang"), .person("zhao-lei")], channels: ["sms"],
                                           assignee: nil, policyTeam: "cs", at: at("2025-09-01 10:00"))
        #expect(recipients.people == ["zhao-lei"])
        #expect(recipients.unreached.map(\.description) == ["person chen-gang (chen-gang) via sms: has no phone address"])
    }

    @Test func whenNoTargetReachesAnyoneTheTeamSupervisorIsTold() {
        let recipients = engine.recipients(targets: [.person("chen-gang")], channels: ["sms"], assignee: nil,
                                           policyTeam: "cs", at: at("2025-09-01 10:00"))
        #expect(recipients.fallback == .supervisor)
        #expect(recipients.people == ["li-na"])
        #expect(recipients.unreached.count == 1)
    }

    @Test func supervisorComesFromTheAssigneesTeamFirst() {
        let team = engine.team(forAssignee: "zhang-wei", policyTeam: nil)
        #expect(team?.name == "cs" || team?.name == "nobody-team")
        #expect(engine.team(forAssignee: "unknown", policyTeam: "cs")?.name == "cs")
    }
}
