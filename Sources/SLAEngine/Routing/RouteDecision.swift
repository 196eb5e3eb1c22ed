import SLARules

/// What the strategies need to know about the people a route may pick, supplied by whoever creates the
/// ticket: the store inside the create's own transaction, `slad simulate` and `slad test` from the tickets
/// replayed before it. Asked only for the people the matching route can pick.
public protocol RouteWorkload {
    /// The tickets assigned to `person` that are still open (not resolved or closed).
    func openTickets(of person: String) -> Int
    /// The person the team's last routed ticket went to (round robin); nil when none yet.
    func lastPerson(of team: String) -> String?
}

/// A route decision: who takes a ticket that arrived without an assignee, and why — each route tried
/// before, in order, with why it did not take the ticket (`slad explain` renders it).
public struct RouteDecision: Sendable, Hashable {
    /// The route that took the ticket; nil when none did (the ticket stays unassigned).
    public var route: String?
    public var assignee: String?
    /// The team the assignee was picked from, when a team target picked (round robin remembers it).
    public var team: String?
    /// Every route tried, in order, up to and including the one that took the ticket.
    public var trials: [RouteTrial] = []
    /// For a model route: what the model said.
    public var prediction: ModelVerdict?

    /// The actor of the `assigned` event: `route:NAME`.
    public var actor: String? { route.map { "route:\($0)" } }
}

/// One route tried for a ticket.
public struct RouteTrial: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        /// Its `when` does not hold.
        case conditionFailed
        /// It matched but its target reached nobody now: the reason, e.g. "team 'plumbing' is outside its hours 'office'".
        case reachedNobody(String)
        /// It took the ticket: how the person was found ("on duty in roster 'plumbing-oncall'").
        case took(String)
    }

    public let route: String
    public let outcome: Outcome

    public init(route: String, outcome: Outcome) {
        self.route = route
        self.outcome = outcome
    }
}

/// A model route's prediction and what came of it.
public struct ModelVerdict: Sendable, Hashable {
    public let path: String
    public let label: String
    public let confidence: Double
    public let threshold: Double
    /// Whether the prediction was followed (confident enough, and its label reached someone).
    public let followed: Bool
    /// The operator-facing sentence: "模型预测 水电（置信度 0.93）" or "模型置信度 0.62 低于 0.80，转人工派单".
    public let note: String
}
