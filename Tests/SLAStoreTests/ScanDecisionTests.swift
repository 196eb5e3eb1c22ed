import SLAEngine
import SLARules
import SLAScan
import Testing

/// The scan's decision on its own (docs/adr/0030): no store, no file, only what a store would have read.
@Suite struct ScanDecisionTests {
    private func engine() throws -> Engine {
        let result = RuleLoader.check([SourceFile(path: "contract.sla", text: contractRules)])
        return try Engine(rules: try #require(result.ruleSet))
    }

    private func due(_ id: String, incident: String? = nil, fired: [Firing] = []) -> DueTicket {
        DueTicket(ticket: Ticket(id: id, fields: TicketFields(kind: "repair", category: "no-water", site: "翠湖花园", building: "3栋"),
                                 createdAt: t0), wasOverdue: false, incidentID: incident, fired: fired)
    }

    @Test func theSameInputGivesTheSamePlan() throws {
        let engine = try engine()
        let input = ScanInput(incidents: [], tickets: [due("R-1"), due("R-2")], openIncidents: [], withLinks: true)
        let first = ScanDecision.decide(input, engine: engine, now: t0 + 1800)
        let second = ScanDecision.decide(input, engine: engine, now: t0 + 1800)
        #expect(first.tickets.map(\.firings) == second.tickets.map(\.firings))
        #expect(first.tickets.flatMap(\.firings).map(\.subjectID) == ["R-1", "R-2"])
        let firing = try #require(first.tickets.first?.firings.first)
        #expect(firing.subject == .ticket && firing.people == ["li-na"] && !firing.isHeld)
        #expect(firing.jobs.map(\.channel) == ["console"] && firing.jobs[0].recipients.map(\.person) == ["li-na"])
        #expect(firing.links?.actions(for: "li-na").map(\.action) == [.acknowledge, .resolve])
        #expect(first.breaches == 2)
        #expect(first.tickets.allSatisfy { $0.isOverdue && $0.nextDue == nil })
    }

    @Test func aStepFiredAlreadyIsNotPlannedAgain() throws {
        let engine = try engine()
        let fired = Firing(policy: "repair", step: "respond", cycle: 0, repeatIndex: 0)
        let plan = ScanDecision.decide(ScanInput(incidents: [], tickets: [due("R-1", fired: [fired])], openIncidents: [], withLinks: false),
                                       engine: engine, now: t0 + 1800)
        #expect(plan.tickets.count == 1 && plan.tickets[0].firings.isEmpty)
        let unfired = ScanDecision.decide(ScanInput(incidents: [], tickets: [due("R-1")], openIncidents: [], withLinks: false),
                                          engine: engine, now: t0 + 1800)
        #expect(unfired.tickets[0].firings.map(\.firing) == [fired])
        #expect(unfired.tickets[0].firings[0].links == nil)
    }

    /// Held by the incidents open once this scan's incidents are written: one it finds closed holds
    /// nothing, one it finds open holds even if it was not open at the read.
    @Test func holdsFollowTheIncidentsAsThisScanLeavesThem() throws {
        let engine = try engine()
        let open = Incident(id: "W1", plan: "water-outage", level: .III, openedAt: t0, site: "翠湖花园", building: "3栋")
        let closed = open.appending(IncidentEvent(kind: .closed, at: t0 + 600, note: "恢复供水"))
        let tickets = [due("R-1", incident: "W1"), due("R-2", incident: "W9"), due("R-3")]
        var plan = ScanDecision.decide(ScanInput(incidents: [], tickets: tickets, openIncidents: ["W1"], withLinks: false),
                                       engine: engine, now: t0 + 1800)
        #expect(plan.tickets.map { $0.firings.map(\.heldBy) } == [["W1"], [nil], [nil]])
        #expect(plan.tickets[0].firings[0].jobs.isEmpty && plan.tickets[0].firings[0].unreached == ["held by incident W1"])
        plan = ScanDecision.decide(ScanInput(incidents: [DueIncident(incident: closed, fired: [])], tickets: tickets, openIncidents: ["W1"],
                                             withLinks: false), engine: engine, now: t0 + 1800)
        #expect(plan.tickets.map { $0.firings.map(\.heldBy) } == [[nil], [nil], [nil]])
        plan = ScanDecision.decide(ScanInput(incidents: [DueIncident(incident: open, fired: [])], tickets: tickets, openIncidents: [],
                                             withLinks: false), engine: engine, now: t0 + 1800)
        #expect(plan.tickets.map { $0.firings.map(\.heldBy) } == [["W1"], [nil], [nil]])
        guard case let .evaluated(_, _, firings) = plan.incidents.first else { Issue.record("the incident was not evaluated"); return }
        #expect(firings.map(\.firing.step) == ["assigned:notice", "overdue:notice", "assigned:fix"])
        #expect(firings.allSatisfy { $0.subject == .incident && $0.firing.plan == "water-outage" })
        #expect(firings.compactMap { $0.firing.notice.map { "\($0.kind.rawValue) \($0.step)" } } == ["assigned notice", "overdue notice", "assigned fix"])
        #expect(plan.tickets[0].firings[0].firing.plan == nil && plan.tickets[0].firings[0].firing.notice == nil)
    }

    @Test func anIncidentWhosePlanLeftTheRulesIsDueNoMore() throws {
        let engine = try engine()
        let gone = Incident(id: "X1", plan: "no-such-plan", level: .III, openedAt: t0)
        let plan = ScanDecision.decide(ScanInput(incidents: [DueIncident(incident: gone, fired: [])], tickets: [], openIncidents: ["X1"],
                                                 withLinks: false), engine: engine, now: t0)
        guard case .planGone(id: "X1") = plan.incidents.first else { Issue.record("expected planGone"); return }
    }
}
