import SLAEngine
import SLARules
import Testing

/// A workload set by hand: open tickets per person and each team's last pick.
struct FixedWorkload: RouteWorkload {
    var open: [String: Int] = [:]
    var last: [String: String] = [:]
    func openTickets(of person: String) -> Int { open[person] ?? 0 }
    func lastPerson(of team: String) -> String? { last[team] }
}

/// The pure route decision (Engine+Routing.swift): first match wins, strategies, hours, the fallback.
@Suite struct RouteDecisionTests {
    let rules = officeRules + """

    person a { phone "1" }
    person b { phone "2" }
    person c { phone "3" }
    person desk { phone "4" }
    team crew { members a, b, c; hours office }
    team ring { members a, b, c }
    roster duty { rotate daily at 08:30; starting 2025-09-01; members b, c }
    route elevator { when kind = repair and text contains any ["电梯", "困人"]; to person c }
    route plumbing { when kind = repair and text contains any ["漏水", "水管"]; to roster duty }
    route civil { when kind = repair and text contains any ["墙"]; to team crew by least open }
    route order { when kind = repair and category = parking; to team ring by round robin }
    route rest { when kind = repair; to person desk }
    """

    func decide(_ text: String?, category: String? = nil, at instant: String = "2025-09-22 10:00",
                workload: FixedWorkload = FixedWorkload()) throws -> RouteDecision {
        try engine(rules).route(TicketFields(kind: "repair", category: category, text: text), at: at(instant), workload: workload)
    }

    @Test func theFirstMatchingRouteTakesTheTicket() throws {
        let decision = try decide("厨房水管漏水")
        #expect(decision.route == "plumbing")
        // 22 September 2025 is day 21 of the roster: b, c, b, …: c's turn.
        #expect(decision.assignee == "c")
        #expect(decision.trials.map(\.route) == ["elevator", "plumbing"])
        #expect(decision.trials[0].outcome == .conditionFailed)
        #expect(decision.trials[1].outcome == .took("on duty in roster 'duty'"))
        #expect(decision.actor == "route:plumbing")
    }

    @Test func fullWidthAndSpacesDoNotMatter() throws {
        #expect(try decide("厨房 水 管　漏水").route == "plumbing")
        #expect(try decide("电　梯困人").route == "elevator")
    }

    @Test func leastOpenPicksTheMemberWithFewestOpenTicketsTiesToTheFirstListed() throws {
        #expect(try decide("墙皮脱落").assignee == "a")
        #expect(try decide("墙皮脱落", workload: FixedWorkload(open: ["a": 2, "b": 1, "c": 1])).assignee == "b")
    }

    @Test func roundRobinTakesTheMemberAfterTheLastOne() throws {
        #expect(try decide(nil, category: "parking").assignee == "a")
        #expect(try decide(nil, category: "parking", workload: FixedWorkload(last: ["ring": "a"])).assignee == "b")
        #expect(try decide(nil, category: "parking", workload: FixedWorkload(last: ["ring": "c"])).assignee == "a")
        #expect(try decide(nil, category: "parking").team == "ring")
    }

    @Test func aTeamOutsideItsHoursPassesTheTicketOn() throws {
        let decision = try decide("墙皮脱落", at: "2025-09-22 20:00")
        #expect(decision.route == "rest")
        #expect(decision.assignee == "desk")
        #expect(decision.trials.contains(RouteTrial(route: "civil", outcome: .reachedNobody("team 'crew' is outside its hours 'office'"))))
    }

    @Test func noRouteLeavesTheTicketUnassigned() throws {
        let decision = try engine(rules).route(TicketFields(kind: "complaint", text: "漏水"), at: at("2025-09-22 10:00"), workload: FixedWorkload())
        #expect(decision.route == nil && decision.assignee == nil)
        #expect(decision.trials.count == 5)
    }

    @Test func aRoutedTicketGainsAnAssignedEventAtItsCreation() throws {
        let engine = try engine(rules + "\npolicy p { when kind = repair; clock assign within 30m until assigned }\n")
        let ticket = Ticket(id: "R1", fields: TicketFields(kind: "repair", text: "水管爆了"), createdAt: at("2025-09-22 10:00"))
        let (routed, decision) = engine.routed(ticket, workload: FixedWorkload())
        #expect(decision?.route == "plumbing")
        #expect(routed.events.last == TicketEventRecord(kind: .assigned, at: at("2025-09-22 10:00"), actor: "route:plumbing",
                                                        changes: ["assignee": "c"]))
        // The assignment clock stops as for a hand assignment.
        let evaluation = engine.evaluate(routed, at: at("2025-09-22 11:00"))
        #expect(evaluation.status == "assigned")
        #expect(evaluation.clocks.first?.state == .met)
    }

    @Test func aTicketThatArrivesWithAnAssigneeIsNotRouted() throws {
        let engine = try engine(rules)
        let ticket = Ticket(id: "R1", fields: TicketFields(kind: "repair", assignee: "a", text: "水管爆了"), createdAt: at("2025-09-22 10:00"))
        let (routed, decision) = engine.routed(ticket, workload: FixedWorkload())
        #expect(decision == nil)
        #expect(routed == ticket)
    }

    @Test func theLedgerBalancesTicketsReplayedInCreationOrder() throws {
        let engine = try engine(rules)
        let tickets = (1...4).map { Ticket(id: "R\($0)", fields: TicketFields(kind: "repair", category: "parking"),
                                            createdAt: at("2025-09-22 10:0\(5 - $0)")) }
        // Given newest first: routed oldest first, so R4 (10:01) is first in the round.
        let routed = RouteLedger.route(tickets, engine: engine)
        #expect(routed.map { $0.decision?.assignee } == ["a", "c", "b", "a"])
    }
}
