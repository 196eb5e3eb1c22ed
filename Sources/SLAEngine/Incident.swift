import SLARules

/// A running emergency plan (or a drill of one): declared at an instant, at a level, with operators'
/// confirmations of its steps.
public struct Incident: Sendable, Hashable, Codable {
    public var id: String
    public var plan: String
    public var isDrill: Bool
    public var site: String?
    public var building: String?
    public private(set) var events: [IncidentEvent]

    public init(id: String, plan: String, level: IncidentLevel, openedAt: Instant, isDrill: Bool = false,
                site: String? = nil, building: String? = nil, by actor: String? = nil) {
        self.id = id
        self.plan = plan
        self.isDrill = isDrill
        self.site = site
        self.building = building
        events = [IncidentEvent(kind: .opened, at: openedAt, actor: actor, level: level)]
    }

    public var openedAt: Instant { events[0].at }

    public mutating func append(_ event: IncidentEvent) {
        let index = events.firstIndex { $0.at > event.at } ?? events.count
        events.insert(event, at: index)
    }

    public func appending(_ event: IncidentEvent) -> Incident {
        var copy = self
        copy.append(event)
        return copy
    }
}

public struct IncidentEvent: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case opened, raised, confirmed, closed
    }
    public var kind: Kind
    public var at: Instant
    public var actor: String?
    /// For `opened` and `raised`: the level from then on.
    public var level: IncidentLevel?
    /// For `confirmed`: the step.
    public var step: String?
    public var note: String?
    /// `link` when it was done through an action link's button (issue 13); nil for the API and the CLI.
    public var via: String?
    /// For `confirmed` by someone other than the step's owner: the owner (who was told to do it).
    public var owner: String?

    public init(kind: Kind, at: Instant, actor: String? = nil, level: IncidentLevel? = nil, step: String? = nil, note: String? = nil,
                via: String? = nil, owner: String? = nil) {
        self.kind = kind
        self.at = at
        self.actor = actor
        self.level = level
        self.step = step
        self.note = note
        self.via = via
        self.owner = owner
    }
}

extension IncidentLevel: Codable {}

/// An incident at an instant.
public struct IncidentEvaluation: Sendable, Hashable {
    public let incidentID: String
    public let plan: String
    public let level: IncidentLevel
    public let isClosed: Bool
    /// The steps that belong to the plan at its current level, in the plan's order.
    public let steps: [PlanStepStatus]
    /// Notifications due and not yet in `fired`: each step's owner when the step comes into the incident,
    /// and the plan's `on overdue` recipients when a step's deadline passes unconfirmed.
    public let due: [IncidentNotice]
    public let nextDue: Instant?
}

public struct PlanStepStatus: Sendable, Hashable {
    public enum State: String, Sendable, Hashable { case open, overdue, confirmed }
    public let name: String
    public let title: String?
    /// When the step came into the incident: the declaration, or the raise that brought it in.
    public let since: Instant
    public let deadline: Instant
    public let state: State
    public let confirmedAt: Instant?
    public let confirmedBy: String?
    public let note: String?
    /// How it was confirmed when not through the API or CLI: `link` (an action link's button).
    public var confirmedVia: String?
    /// Set when someone other than the step's owner confirmed it: the owner who was told.
    public var owner: String?

    /// Seconds to spare (negative: late), once confirmed.
    public var margin: Int? { confirmedAt.map { deadline - $0 } }
    public var isOnTime: Bool? { confirmedAt.map { $0 <= deadline } }
}

public struct IncidentNotice: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case assigned, overdue }
    public let kind: Kind
    public let step: String
    public let dueAt: Instant
    public let firing: Firing
}

extension Engine {
    /// Evaluates an incident at `now`. A step's deadline runs from the declaration (or, for a step a raise
    /// brings in, from the raise). The incident is closed once every step it has is confirmed. Firings are keyed `Firing.planKey(NAME)` / `assigned:STEP` or `overdue:STEP`.
    public func evaluate(_ incident: Incident, at now: Instant, fired: [Firing] = []) -> IncidentEvaluation? {
        guard let plan = rules.plans.first(where: { $0.name == incident.plan }) else { return nil }
        var level = incident.events[0].level ?? plan.level
        var since: [String: Instant] = [:]
        var confirmations: [String: IncidentEvent] = [:]
        var closedAt: Instant?
        func admit(_ level: IncidentLevel, at instant: Instant) {
            for step in plan.steps where since[step.name] == nil && (step.minimumLevel.map { level >= $0 } ?? true) {
                since[step.name] = instant
            }
        }
        // An incident ends at its `closed` event or when its last step is confirmed (the daemon records a
        // `closed` event then too); nothing after the end counts.
        for event in incident.events where event.at <= now && closedAt == nil {
            switch event.kind {
            case .opened:
                admit(level, at: event.at)
            case .raised:
                if let raised = event.level, raised > level { level = raised }
                admit(level, at: event.at)
            case .confirmed:
                if let step = event.step, since[step] != nil, confirmations[step] == nil { confirmations[step] = event }
                if since.keys.allSatisfy({ confirmations[$0] != nil }) { closedAt = event.at }
            case .closed:
                closedAt = closedAt ?? event.at
            }
        }
        let key = Firing.planKey(plan.name)
        var statuses: [PlanStepStatus] = []
        var due: [IncidentNotice] = []
        var next: Instant?
        for step in plan.steps {
            guard let start = since[step.name] else { continue }
            let deadline = start + step.within.seconds
            let confirmation = confirmations[step.name]
            // A closed incident's steps keep the state they had at the close.
            let asOf = min(now, closedAt ?? now)
            let state: PlanStepStatus.State = confirmation != nil ? .confirmed : (asOf >= deadline ? .overdue : .open)
            var status = PlanStepStatus(name: step.name, title: step.title, since: start, deadline: deadline, state: state,
                                        confirmedAt: confirmation?.at, confirmedBy: confirmation?.actor, note: confirmation?.note)
            status.confirmedVia = confirmation?.via
            status.owner = confirmation?.owner
            statuses.append(status)
            guard closedAt == nil else { continue }
            let assigned = Firing(policy: key, step: Firing.noticeStep(.assigned, step.name), cycle: 0, repeatIndex: 0)
            if !fired.contains(assigned) {
                due.append(IncidentNotice(kind: .assigned, step: step.name, dueAt: start, firing: assigned))
            }
            guard confirmation == nil else { continue }
            let overdue = Firing(policy: key, step: Firing.noticeStep(.overdue, step.name), cycle: 0, repeatIndex: 0)
            if now >= deadline {
                if !fired.contains(overdue) { due.append(IncidentNotice(kind: .overdue, step: step.name, dueAt: deadline, firing: overdue)) }
            } else if next == nil || deadline < next! {
                next = deadline
            }
        }
        return IncidentEvaluation(incidentID: incident.id, plan: plan.name, level: level, isClosed: closedAt != nil,
                                  steps: statuses, due: due, nextDue: next)
    }

    /// Whom an incident notice reaches: the step's owner when it is assigned, the plan's `on overdue`
    /// recipients when it is overdue. Rosters resolve at `instant`.
    public func recipients(for notice: IncidentNotice, of incident: Incident, at instant: Instant) -> StepRecipients {
        guard let plan = rules.plans.first(where: { $0.name == incident.plan }),
              let step = plan.steps.first(where: { $0.name == notice.step }) else { return StepRecipients() }
        switch notice.kind {
        case .assigned:
            return recipients(targets: [step.owner], channels: channels(for: incident, default: step.channels), assignee: nil,
                              policyTeam: plan.team, at: instant)
        case .overdue:
            var result = StepRecipients()
            // `on overdue … at level L` lines count only while the incident is at L or more serious.
            let level = evaluate(incident, at: instant)?.level ?? plan.level
            for rule in plan.onOverdue where rule.minimumLevel.map({ level >= $0 }) ?? true {
                let part = recipients(targets: rule.targets, channels: channels(for: incident, default: rule.channels), assignee: nil,
                                      policyTeam: plan.team, at: instant)
                result.deliveries += part.deliveries
                result.unreached += part.unreached
                result.fallback = result.fallback ?? part.fallback
            }
            return result
        }
    }
}
