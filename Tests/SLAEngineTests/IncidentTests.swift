import SLAEngine
import SLARules
import Testing

@Suite struct IncidentTests {
    let engine = shippedEngine

    @Test func elevatorPlanAtLevelIHasEveryStep() throws {
        let incident = Incident(id: "I1", plan: "elevator-trapped", level: .I, openedAt: at("2025-09-22 10:00"))
        let result = try #require(engine.evaluate(incident, at: at("2025-09-22 10:00")))
        #expect(result.steps.map(\.name) == ["comfort", "dispatch", "arrive", "release", "supervise", "report"])
        #expect(result.due.map { "\($0.kind.rawValue):\($0.step)" } == result.steps.map { "assigned:\($0.name)" })
        #expect(local(result.nextDue) == "2025-09-22 10:05")
    }

    @Test func levelIIIHasOnlyTheBaseStepsAndARaiseBringsInMore() throws {
        var incident = Incident(id: "I2", plan: "water-outage", level: .III, openedAt: at("2025-09-22 10:00"))
        let base = try #require(engine.evaluate(incident, at: at("2025-09-22 10:10")))
        #expect(base.steps.map(\.name) == ["notice", "dispatch", "update"])
        incident.append(IncidentEvent(kind: .raised, at: at("2025-09-22 11:00"), actor: "zhou-min", level: .II))
        let raised = try #require(engine.evaluate(incident, at: at("2025-09-22 11:00")))
        #expect(raised.level == .II)
        let supply = try #require(raised.steps.first { $0.name == "supply" })
        #expect(local(supply.deadline) == "2025-09-23 11:00")   // 24 h from the raise that brought it in
    }

    @Test func theLastConfirmationClosesTheIncidentAndNothingAfterCounts() throws {
        var incident = Incident(id: "I4", plan: "water-outage", level: .III, openedAt: at("2025-09-22 10:00"))
        for (step, time) in [("notice", "10:10"), ("dispatch", "10:20"), ("update", "10:30")] {
            incident.append(IncidentEvent(kind: .confirmed, at: at("2025-09-22 \(time)"), step: step))
        }
        incident.append(IncidentEvent(kind: .raised, at: at("2025-09-22 11:00"), level: .I))
        #expect(engine.isOpen(incident, at: at("2025-09-22 10:29")))
        let closed = try #require(engine.evaluate(incident, at: at("2025-09-22 12:00")))
        #expect(closed.isClosed && closed.level == .III)
        #expect(closed.steps.map(\.name) == ["notice", "dispatch", "update"])
        #expect(!engine.isOpen(incident, at: at("2025-09-22 10:30")))
    }

    @Test func onlyAnOpenRealIncidentExplainsATicketInItsBuilding() throws {
        let outage = Incident(id: "W", plan: "water-outage", level: .III, openedAt: at("2025-09-22 10:00"), building: "3栋")
        let drill = Incident(id: "D", plan: "water-outage", level: .III, openedAt: at("2025-09-22 09:00"), isDrill: true)
        func ticket(_ building: String, _ category: String) -> Ticket {
            Ticket(id: "T", fields: TicketFields(kind: "repair", category: category, building: building), createdAt: at("2025-09-22 10:30"))
        }
        let now = at("2025-09-22 10:30")
        #expect(engine.explainingIncident(for: ticket("3栋", "no-water"), among: [drill, outage], at: now)?.id == "W")
        #expect(engine.explainingIncident(for: ticket("5栋", "no-water"), among: [drill, outage], at: now) == nil)
        #expect(engine.explainingIncident(for: ticket("3栋", "plumbing"), among: [drill, outage], at: now) == nil)
        #expect(engine.explainingIncident(for: ticket("3栋", "no-water"), among: [outage], at: at("2025-09-22 09:59")) == nil)
        let trapped = Ticket(id: "R", fields: TicketFields(kind: "incident", category: "elevator-trapped"), createdAt: now)
        #expect(engine.planTriggered(by: trapped, at: now)?.name == "elevator-trapped")
    }

    @Test func overdueLinesAtALevelCountOnlyFromThatLevel() throws {
        let rules = try SLAEngineTests.engine("""
        calendar cn { timezone Asia/Shanghai; workdays mon-fri }
        person a "甲" { phone "+8613800000001" }
        person b "乙" { phone "+8613800000002" }
        channel sms sms-http { url "http://127.0.0.1:9/send"; token env T }
        plan p { level III
          step one within 10m owner person a via sms
          on overdue notify person a via sms
          on overdue notify person b via sms at level I }
        """)
        var incident = Incident(id: "X", plan: "p", level: .III, openedAt: at("2025-09-22 10:00"))
        let notice = try #require(rules.evaluate(incident, at: at("2025-09-22 10:10"))?.due.first { $0.kind == .overdue })
        #expect(rules.recipients(for: notice, of: incident, at: at("2025-09-22 10:10")).people == ["a"])
        incident.append(IncidentEvent(kind: .raised, at: at("2025-09-22 10:05"), level: .I))
        #expect(rules.recipients(for: notice, of: incident, at: at("2025-09-22 10:10")).people == ["a", "b"])
    }

    @Test func confirmationsOverdueStepsAndMargins() throws {
        let fired = [Firing(policy: "plan:elevator-trapped", step: "assigned:comfort", cycle: 0, repeatIndex: 0)]
        let incident = Incident(id: "I3", plan: "elevator-trapped", level: .III, openedAt: at("2025-09-22 10:00"))
            .appending(IncidentEvent(kind: .confirmed, at: at("2025-09-22 10:03"), actor: "liu-yang", step: "comfort", note: "已安抚"))
            .appending(IncidentEvent(kind: .confirmed, at: at("2025-09-22 10:25"), actor: "zhao-lei", step: "arrive"))
        let result = try #require(engine.evaluate(incident, at: at("2025-09-22 10:07"), fired: fired))
        let comfort = try #require(result.steps.first { $0.name == "comfort" })
        #expect(comfort.state == .confirmed)
        #expect(comfort.margin == 120)
        #expect(comfort.confirmedBy == "liu-yang")
        #expect(result.steps.first { $0.name == "dispatch" }?.state == .overdue)
        #expect(result.due.filter { $0.kind == .overdue }.map(\.step) == ["dispatch"])
        let notice = try #require(result.due.first { $0.kind == .overdue })
        let reached = engine.recipients(for: notice, of: incident, at: at("2025-09-22 10:07"))
        #expect(reached.people == ["zhou-min"])   // on overdue notify manager: engineering's manager
    }

    @Test func closedIncidentSendsNothing() throws {
        let incident = Incident(id: "I4", plan: "power-outage", level: .III, openedAt: at("2025-09-22 10:00"))
            .appending(IncidentEvent(kind: .closed, at: at("2025-09-22 10:01"), actor: "zhou-min", note: "误报"))
        let result = try #require(engine.evaluate(incident, at: at("2025-09-22 12:00")))
        #expect(result.isClosed)
        #expect(result.steps.allSatisfy { $0.state == .open })   // frozen at the close, not overdue since
        #expect(result.due.isEmpty)
        #expect(result.nextDue == nil)
    }
}
