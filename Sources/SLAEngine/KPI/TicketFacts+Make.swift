import SLARules

extension TicketFacts {
    /// The facts of a ticket from its history and its evaluation (`Engine.evaluate(ticket, at: now)`):
    /// the fields as they stand at the evaluation (assignments and regrades applied), the policy and its
    /// team, the status, and from the history up to the evaluation's instant: the first `resolved` of the
    /// last cycle, the last `closed` of it, the last `revisited` with its score. Events after the
    /// evaluation's instant are ignored, like the engine ignores them.
    public static func make(ticket: Ticket, evaluation: Evaluation, engine: Engine) -> TicketFacts {
        let now = evaluation.now
        var resolvedAt: Instant?
        var closedAt: Instant?
        var revisitedAt: Instant?
        var score: Int?
        var changesFields = false
        for event in ticket.events {
            guard event.at <= now else { break }
            switch event.kind {
            case .resolved: if resolvedAt == nil { resolvedAt = event.at }
            case .closed: closedAt = event.at
            case .reopened: resolvedAt = nil; closedAt = nil
            case .revisited: revisitedAt = event.at; score = event.score
            case .assigned, .regraded: changesFields = true
            default: break
            }
        }
        let fields = changesFields ? TicketReplay.state(of: ticket, at: now).fields : ticket.fields
        let team = evaluation.policy.flatMap(engine.team(ofPolicy:))
        return TicketFacts(id: ticket.id, fields: fields, policy: evaluation.policy, team: team,
                           createdAt: ticket.createdAt, status: evaluation.status, resolvedAt: resolvedAt,
                           closedAt: closedAt, revisitedAt: revisitedAt, score: score, repeatOf: ticket.repeatOf,
                           clocks: evaluation.clocks.map(ClockFact.init))
    }

    /// The facts of a ticket at `now`: evaluated there, then `make(ticket:evaluation:engine:)`.
    public static func make(ticket: Ticket, at now: Instant, engine: Engine) -> TicketFacts {
        make(ticket: ticket, evaluation: engine.evaluate(ticket, at: now), engine: engine)
    }

    /// Whether the ticket was open at `instant`: created by then and not resolved or closed by then (a
    /// reopened ticket counts from its last cycle). The same as `isOpen` at the facts' own instant,
    /// except that a ticket `revisited` after its resolution is not open.
    @inline(__always)
    public func isOpen(at instant: Instant) -> Bool {
        guard createdAt <= instant else { return false }
        if let resolvedAt, resolvedAt <= instant { return false }
        if let closedAt, closedAt <= instant { return false }
        return true
    }

    /// The first instant the ticket counted as done: resolved, or closed without a resolution.
    public var doneAt: Instant? {
        switch (resolvedAt, closedAt) {
        case let (r?, c?): min(r, c)
        case let (r?, nil): r
        case let (nil, c?): c
        case (nil, nil): nil
        }
    }
}

extension Engine {
    /// The team a policy names (`team engineering`); nil for an unknown policy or one without a team.
    public func team(ofPolicy name: String) -> String? {
        policyIndexByName[name].flatMap { policies[$0].policy.team }
    }
}
