import SLAEngine
import SLARules
import Testing

/// `Engine.replay` moves its state on from instant to instant instead of replaying the history each time;
/// it must say exactly what calling `evaluate` at each instant says.
@Suite struct ReplayTests {
    /// The replay loop written with nothing but the public `evaluate`.
    static func naiveReplay(_ engine: Engine, _ ticket: Ticket, until horizon: Instant) -> (fired: [String], final: Evaluation) {
        var now = ticket.events[0].at
        var fired: [Firing] = []
        var log: [String] = []
        while true {
            let evaluation = engine.evaluate(ticket, at: now, fired: fired)
            for step in evaluation.due {
                log.append("\(now.seconds) \(step.firing.policy) \(step.firing.step) #\(step.firing.repeatIndex) c\(step.firing.cycle) due \(step.dueAt.seconds) missed \(step.missedRepeats)")
                fired.append(step.firing)
            }
            var next = evaluation.nextDue
            if let event = ticket.events.first(where: { $0.at > now }), next == nil || event.at < next! { next = event.at }
            guard let upcoming = next else { return (log, evaluation) }
            guard upcoming <= horizon else {
                return (log, horizon > now ? engine.evaluate(ticket, at: horizon, fired: fired) : evaluation)
            }
            now = upcoming
        }
    }

    static func log(_ replay: Replay) -> [String] {
        replay.fired.map { fired in
            let step = fired.step
            return "\(fired.at.seconds) \(step.firing.policy) \(step.firing.step) #\(step.firing.repeatIndex) c\(step.firing.cycle) due \(step.dueAt.seconds) missed \(step.missedRepeats)"
        }
    }

    /// Tickets with every kind of event the engine knows, at random instants (fixed seed).
    static func tickets(count: Int, seed: UInt64) -> [Ticket] {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        let shapes: [(String, String?, String?)] = [("complaint", "A", nil), ("complaint", "B", nil), ("complaint", "C", nil),
                                                    ("complaint", nil, nil), ("repair", nil, "urgent"), ("repair", nil, "regular"),
                                                    ("enquiry", nil, nil), ("suggestion", nil, nil), ("incident", nil, nil)]
        let kinds: [EventKind] = [.acknowledged, .assessed, .paused, .resumed, .resolved, .revisited, .closed, .reopened,
                                  .regraded, .assigned, .comment]
        return (0..<count).map { index in
            let shape = shapes[next(shapes.count)]
            let created = at("2025-09-20 00:00") + next(40 * 86_400)
            var events = [TicketEventRecord(kind: .created, at: created)]
            var instant = created
            for _ in 0..<next(7) {
                instant = instant + next(3 * 86_400)
                let kind = kinds[next(kinds.count)]
                var changes: [String: String]?
                switch kind {
                case .paused: changes = ["status": ["waiting-customer", "waiting-parts", "paused"][next(3)]]
                case .regraded: changes = next(2) == 0 ? ["grade": ["A", "B", "C"][next(3)]] : ["priority": ["urgent", "regular"][next(2)]]
                case .assigned: changes = ["assignee": ["zhang-wei", "wang-qiang", "nobody-known"][next(3)]]
                default: break
                }
                events.append(TicketEventRecord(kind: kind, at: instant, changes: changes))
            }
            let fields = TicketFields(kind: shape.0, grade: shape.1, priority: shape.2, assignee: next(3) == 0 ? nil : "zhang-wei")
            return Ticket(id: "R\(index)", fields: fields, events: events)
        }
    }

    @Test func replayOnShippedRulesMatchesEvaluatingAtEachInstant() {
        for ticket in Self.tickets(count: 400, seed: 1) {
            let horizon = ticket.events.last!.at + 20 * 86_400
            let replay = shippedEngine.replay(ticket, until: horizon, withRecipients: false)
            let naive = Self.naiveReplay(shippedEngine, ticket, until: horizon)
            #expect(Self.log(replay) == naive.fired, "ticket \(ticket.id): \(ticket.events.map { "\($0.kind)" })")
            #expect(replay.final == naive.final, "ticket \(ticket.id)")
        }
    }

    @Test func replayWithQuietWindowsAndPausesOnFieldsMatches() throws {
        let engine = try SLAEngineTests.engine(officeRules + """
        policy complaint-a "A级投诉" {
          when kind = complaint and grade = A
          team cs
          clock respond "首次响应" within 2h until acknowledged
          clock feedback "处理结果反馈" within 3 working days using office until resolved
          clock revisit "回访" within 7d from resolved until revisited
          pause while status = waiting-customer and grade = A
          escalate {
            at respond - 30m notify assignee via sms
            at respond notify supervisor via sms, console
            at respond + 1h notify manager via sms repeat every 1h until acknowledged max 4
            at 75% of feedback notify assignee via sms
            at feedback notify manager via console urgent
            at revisit notify supervisor via console repeat every 1d until revisited
          }
        }
        policy other {
          when kind = complaint or kind = repair
          team cs
          clock respond within 24h until acknowledged
          escalate { at respond notify supervisor via console repeat every 6h until acknowledged }
        }
        quiet national-day "国庆值守" {
          policies complaint-a
          dates 2025-10-01 .. 2025-10-07
        }
        """)
        for ticket in Self.tickets(count: 400, seed: 2) {
            let horizon = ticket.events.last!.at + 20 * 86_400
            let replay = engine.replay(ticket, until: horizon, withRecipients: false)
            let naive = Self.naiveReplay(engine, ticket, until: horizon)
            #expect(Self.log(replay) == naive.fired, "ticket \(ticket.id): \(ticket.events.map { "\($0.kind)" })")
            #expect(replay.final == naive.final, "ticket \(ticket.id)")
        }
    }

    @Test func replayFiresTheLadderAtItsTimesAndResolvesRecipients() {
        // Grade A, created 10:00, acknowledged 12:30: the 2-hour response runs out at 12:00.
        let ticket = Ticket(id: "T1", fields: TicketFields(kind: "complaint", grade: "A", assignee: "zhang-wei"),
                            events: [TicketEventRecord(kind: .created, at: at("2026-03-02 10:00")),
                                     TicketEventRecord(kind: .acknowledged, at: at("2026-03-02 12:30")),
                                     TicketEventRecord(kind: .assessed, at: at("2026-03-02 15:00")),
                                     TicketEventRecord(kind: .resolved, at: at("2026-03-03 10:00")),
                                     TicketEventRecord(kind: .closed, at: at("2026-03-03 10:05"))])
        let replay = shippedEngine.replay(ticket, until: at("2026-04-01 00:00"))
        #expect(replay.fired.map { "\(local($0.at)) \($0.step.firing.step) \($0.recipients.people)" } == [
            "2026-03-02 11:30 respond - 30m [\"zhang-wei\"]",
            "2026-03-02 12:00 respond [\"li-na\"]",
            // Closed without a return visit: the visit clock (7 days from the resolution) still runs out.
            "2026-03-10 10:00 revisit [\"li-na\"]",
        ])
        #expect(replay.final.clocks.first { $0.name == "respond" }?.state == .breached)
        #expect(replay.final.clocks.first { $0.name == "assess" }?.state == .met)
        #expect(!replay.isCutShort)
    }

    @Test func aStepRepeatingWithoutEndStopsAtTheHorizon() throws {
        let engine = try SLAEngineTests.engine(officeRules + """
        policy nag { team cs; clock respond within 1h until acknowledged
          escalate { at respond notify supervisor via console repeat every 1h until acknowledged } }
        """)
        let ticket = Ticket(id: "T", fields: TicketFields(kind: "complaint"), createdAt: at("2026-03-02 10:00"))
        let replay = engine.replay(ticket, until: at("2026-03-02 15:30"), withRecipients: false)
        #expect(replay.fired.map { local($0.at) } == ["2026-03-02 11:00", "2026-03-02 12:00", "2026-03-02 13:00",
                                                      "2026-03-02 14:00", "2026-03-02 15:00"])
        let capped = engine.replay(ticket, until: at("2026-04-02 15:30"), withRecipients: false, maxEvaluations: 10)
        #expect(capped.isCutShort)
        #expect(capped.evaluations == 10)
    }
}
