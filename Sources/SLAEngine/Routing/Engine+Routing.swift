import SLAClassify
import SLARules

extension Engine {
    /// Whether the rules have routes at all (without them, creating a ticket never asks for a workload).
    public var hasRoutes: Bool { !router.routes.isEmpty }

    /// Decides who takes a ticket with these fields arriving at `instant`: the first route whose `when`
    /// holds and whose target reaches someone working then. Pure: the workload is asked only about the
    /// people the matching route can pick.
    public func route(_ fields: TicketFields, at instant: Instant, workload: some RouteWorkload) -> RouteDecision {
        var decision = RouteDecision()
        let text: [UInt8] = router.usesText ? Array(TextNormalizer.normalize(fields.text ?? "").utf8) : []
        for (index, route) in router.routes.enumerated() {
            guard router.holds(router.conditions[index], fields: fields, text: text) else {
                decision.trials.append(RouteTrial(route: route.name, outcome: .conditionFailed))
                continue
            }
            guard let target = route.target else { continue }
            switch resolve(target, fields: fields, at: instant, workload: workload, decision: &decision) {
            case let .success(pick):
                decision.trials.append(RouteTrial(route: route.name, outcome: .took(pick.how)))
                decision.route = route.name
                decision.assignee = pick.person
                decision.team = pick.team
                return decision
            case let .failure(nobody):
                decision.trials.append(RouteTrial(route: route.name, outcome: .reachedNobody(nobody.reason)))
            }
        }
        return decision
    }

    /// A new ticket, routed when it arrives without an assignee (no `assignee` field and no `assigned`
    /// event at its creation): it gains an `assigned` event at its creation instant by `route:NAME`, as a
    /// hand assignment would be recorded, so `until assigned` clocks stop there. The one function every
    /// way of creating a ticket calls (the store's create, `slad simulate`, `slad test`).
    public func routed(_ ticket: Ticket, workload: some RouteWorkload) -> (ticket: Ticket, decision: RouteDecision?) {
        guard hasRoutes, needsRoute(ticket) else { return (ticket, nil) }
        let decision = route(ticket.fields, at: ticket.createdAt, workload: workload)
        guard let person = decision.assignee else { return (ticket, decision) }
        let event = TicketEventRecord(kind: .assigned, at: ticket.createdAt, actor: decision.actor,
                                      note: decision.prediction?.note, changes: ["assignee": person])
        return (ticket.appending(event), decision)
    }

    /// Whether a new ticket arrived without an assignee.
    public func needsRoute(_ ticket: Ticket) -> Bool {
        guard ticket.fields.assignee == nil else { return false }
        let created = ticket.createdAt
        return !ticket.events.contains { $0.kind == .assigned && $0.at <= created }
    }

    struct Pick {
        let person: String
        let team: String?
        let how: String
    }

    struct Nobody: Error {
        let reason: String
    }

    private func resolve(_ target: RouteTarget, fields: TicketFields, at instant: Instant, workload: some RouteWorkload,
                         decision: inout RouteDecision) -> Result<Pick, Nobody> {
        switch target {
        case let .person(name):
            return .success(Pick(person: name, team: nil, how: "to person \(name)"))
        case let .roster(name):
            guard let person = onDuty(name, at: instant) else { return .failure(Nobody(reason: "nobody is on duty in roster '\(name)'")) }
            return .success(Pick(person: person, team: nil, how: "on duty in roster '\(name)'"))
        case let .team(name, strategy):
            return pick(from: name, strategy: strategy, at: instant, workload: workload)
        case let .model(model):
            return resolve(model, fields: fields, at: instant, workload: workload, decision: &decision)
        }
    }

    private func resolve(_ model: ModelTarget, fields: TicketFields, at instant: Instant, workload: some RouteWorkload,
                         decision: inout RouteDecision) -> Result<Pick, Nobody> {
        guard let classifier = rules.models[model.path] else {
            return resolve(model.fallback, fields: fields, at: instant, workload: workload, decision: &decision)
        }
        let prediction = classifier.predict(ClassifierInput.text(category: fields.category, text: fields.text))
        let confidence = ModelTarget.format(prediction.confidence)
        let threshold = ModelTarget.format(model.threshold)
        var outcome: Result<Pick, Nobody>?
        var note: String
        if prediction.confidence < model.threshold {
            note = "模型置信度 \(confidence) 低于 \(threshold)，转人工派单"
        } else {
            note = "模型预测 \(prediction.label)（置信度 \(confidence)）"
            let named = rules.labelTarget(prediction.label)
            if let target = named.route?.target, !target.isModel {
                outcome = resolve(target, fields: fields, at: instant, workload: workload, decision: &decision)
            } else if let team = named.team {
                outcome = pick(from: team, strategy: model.strategy, at: instant, workload: workload)
            } else {
                note += "，但没有同名的路由或班组，转人工派单"
            }
            if case let .failure(nobody)? = outcome {
                note += "，但\(nobody.reason)，转人工派单"
                outcome = nil
            }
        }
        decision.prediction = ModelVerdict(path: model.path, label: prediction.label, confidence: prediction.confidence,
                                           threshold: model.threshold, followed: outcome != nil, note: note)
        if let outcome { return outcome }
        return resolve(model.fallback, fields: fields, at: instant, workload: workload, decision: &decision)
    }

    /// A member of a team working at `instant`, by the strategy.
    private func pick(from teamName: String, strategy: TeamStrategy, at instant: Instant,
                      workload: some RouteWorkload) -> Result<Pick, Nobody> {
        guard let team = rules.teams[teamName], !team.members.isEmpty else {
            return .failure(Nobody(reason: "team '\(teamName)' has no members"))
        }
        if let hours = team.hours, let working = workingTimes[hours], working.nextWorkingInstant(from: instant) != instant {
            return .failure(Nobody(reason: "team '\(teamName)' is outside its hours '\(hours)'"))
        }
        switch strategy {
        case .leastOpen:
            var best = team.members[0]
            var fewest = workload.openTickets(of: best)
            for member in team.members.dropFirst() where fewest > 0 {
                let open = workload.openTickets(of: member)
                if open < fewest { best = member; fewest = open }
            }
            return .success(Pick(person: best, team: teamName, how: "team '\(teamName)' by least open (\(fewest) open)"))
        case .roundRobin:
            let last = workload.lastPerson(of: teamName).flatMap { team.members.firstIndex(of: $0) }
            let next = team.members[last.map { ($0 + 1) % team.members.count } ?? 0]
            return .success(Pick(person: next, team: teamName, how: "team '\(teamName)' by round robin"
                                 + (last.map { " (after \(team.members[$0]))" } ?? "")))
        }
    }
}

extension RouteTarget {
    var isModel: Bool { if case .model = self { true } else { false } }
}
