import GRDB
import SLAActions
import SLAEngine
import SLARules
import SLAScan

/// The ticket or incident a link acts on, as its page shows it, and whether the action still applies.
struct LinkSubject {
    enum State {
        case ready
        /// Done already (by anyone, any way): who (a person id or a name) and when.
        case done(by: String?, at: Int)
        case notApplicable(String)
    }

    let view: ActionView
    let state: State
    /// For "not mine": whom the ticket goes back to.
    var supervisor: String?

    /// Nil when the subject is gone (the caller answers "not valid").
    static func load(_ db: Database, link: StoredLink, engine: Engine, now: Int) throws -> LinkSubject? {
        switch link.claim.subject {
        case .ticket:
            guard let stored = try SQLiteTicketStore.load(db, id: link.claim.subjectID) else { return nil }
            return ticket(stored, claim: link.claim, engine: engine, now: now)
        case .incident:
            guard let stored = try SQLiteTicketStore.loadIncident(db, id: link.claim.subjectID) else { return nil }
            return incident(stored.incident, claim: link.claim, engine: engine, now: now)
        }
    }

    static func ticket(_ stored: StoredTicket, claim: LinkClaim, engine: Engine, now: Int) -> LinkSubject {
        let words = LinkWords(engine: engine)
        let ticket = stored.ticket
        let instant = Instant(seconds: now)
        let (fields, status) = engine.fields(of: ticket, at: instant)
        let evaluation = engine.evaluate(ticket, at: instant)
        let policy = engine.rules.policies.first { $0.name == evaluation.policy }
        let deadline = evaluation.clocks.filter { !$0.isStopped }.compactMap(\.deadline).min()
        let place = [fields.site, fields.building, fields.unit].compactMap { $0 }.joined(separator: " ")
        let view = ActionView(action: claim.action, subject: "工单 \(ticket.id)" + (policy?.title.map { "（\($0)）" } ?? ""), isDrill: false,
                              place: place.isEmpty ? nil : place, summary: fields.text, stepTitle: nil,
                              deadline: deadline.map { words.time($0.seconds) },
                              timeLeft: deadline.map { words.timeLeft(until: $0.seconds, now: now) },
                              sentTo: words.name(claim.person), expires: words.time(claim.expiresAt))
        let supervisor = TicketProgress.supervisor(of: claim.person, ticket: ticket, policy: evaluation.policy, engine: engine)
        if status == "closed" { return LinkSubject(view: view, state: .notApplicable("工单已关闭"), supervisor: supervisor) }
        let state: State
        switch claim.action {
        case .acknowledge, .resolve:
            let event = TicketProgress.reached(claim.action == .acknowledge ? .acknowledged : .resolved, in: ticket, at: instant)
            state = event.map { .done(by: $0.actor, at: $0.at.seconds) } ?? .ready
        case .notMine:
            let assignee = fields.assignee
            if assignee == claim.person {
                state = supervisor == nil ? .notApplicable("找不到可以改派的主管") : .ready
            } else if let moved = ticket.events.last(where: { $0.kind == .assigned && $0.at <= instant }), moved.actor == claim.person {
                state = .done(by: moved.actor, at: moved.at.seconds)
            } else {
                state = .notApplicable("工单现在指派给 \(words.name(assignee))，不再是 \(words.name(claim.person))")
            }
        case .confirm:
            state = .notApplicable("这个链接不适用于工单")
        }
        return LinkSubject(view: view, state: state, supervisor: supervisor)
    }

    static func incident(_ incident: Incident, claim: LinkClaim, engine: Engine, now: Int) -> LinkSubject {
        let words = LinkWords(engine: engine)
        let plan = engine.rules.plans.first { $0.name == incident.plan }
        let evaluation = engine.evaluate(incident, at: Instant(seconds: now))
        let step = evaluation?.steps.first { $0.name == claim.step }
        let title = step?.title ?? plan?.steps.first(where: { $0.name == claim.step })?.title
        let level = evaluation?.level ?? incident.events[0].level ?? .III
        let what = incident.isDrill ? "演练" : "事件"
        let place = [incident.site, incident.building].compactMap { $0 }.joined(separator: " ")
        let pending = step.map { $0.state != .confirmed } ?? false
        let view = ActionView(action: claim.action, subject: "\(plan?.title ?? incident.plan) \(level.rawValue)级（\(what) \(incident.id)）",
                              isDrill: incident.isDrill, place: place.isEmpty ? nil : place, summary: title ?? claim.step,
                              stepTitle: title ?? claim.step, deadline: step.map { words.time($0.deadline.seconds) },
                              timeLeft: pending ? step.map { words.timeLeft(until: $0.deadline.seconds, now: now) } : nil,
                              sentTo: words.name(claim.person), expires: words.time(claim.expiresAt))
        let state: State
        if claim.action != .confirm {
            state = .notApplicable("这个链接不适用于\(what)")
        } else if let step, step.state == .confirmed, let at = step.confirmedAt {
            state = .done(by: step.confirmedBy, at: at.seconds)
        } else if evaluation == nil {
            state = .notApplicable("预案 \(incident.plan) 已不在规则中")
        } else if evaluation?.isClosed == true {
            state = .notApplicable("\(what)已结束")
        } else if step == nil {
            state = .notApplicable("步骤 \(claim.step) 不属于\(what)当前的级别")
        } else {
            state = .ready
        }
        return LinkSubject(view: view, state: state)
    }
}
