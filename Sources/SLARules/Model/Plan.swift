/// An emergency plan (应急预案): ordered steps, each with an owner and a deadline from the start.
public struct Plan: Sendable, Hashable {
    public let name: String
    public var title: String?
    /// The level the plan opens at unless the operator says otherwise.
    public var level: IncidentLevel = .III
    /// The team whose supervisor and manager `owner supervisor` and `notify manager` reach.
    public var team: String?
    /// Tickets that open an incident of this plan automatically.
    public var trigger: MatchExpression?
    /// Tickets an open incident of this plan explains (`covers CONDITION [in same site|building]`): they
    /// are linked to the incident and their own escalations are held while it is open.
    public var covers: MatchExpression?
    public var coverScope: CoverScope = .site
    /// Where a drill's notices go instead of each step's own channels (`drill via CHANNEL`); empty: their own.
    public var drillChannels: [String] = []
    public var steps: [PlanStep] = []
    /// Who is told when a step's deadline passes unconfirmed.
    public var onOverdue: [PlanNotification] = []
    public let location: SourceRange
}

/// How far an incident's reach goes for `covers`: tickets at its site, or only in its building.
public enum CoverScope: String, Sendable, Hashable, CaseIterable {
    case site, building
}

/// Response levels: I is the most serious.
public enum IncidentLevel: String, Sendable, Hashable, CaseIterable, Comparable {
    case I, II, III

    /// I > II > III in seriousness.
    public static func < (lhs: IncidentLevel, rhs: IncidentLevel) -> Bool {
        let order: [IncidentLevel] = [.III, .II, .I]
        return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
    }
}

public struct PlanStep: Sendable, Hashable {
    public let name: String
    public var title: String?
    /// The deadline, measured from the declaration of the incident.
    public var within: Duration
    public var owner: NotifyTarget
    public var channels: [String] = []
    /// The step belongs to the plan only at this level or a more serious one.
    public var minimumLevel: IncidentLevel?
    public let location: SourceRange
}

public struct PlanNotification: Sendable, Hashable {
    public var targets: [NotifyTarget]
    public var channels: [String]
    public var template: String?
    /// Only while the incident is at this level or a more serious one (`at level I`).
    public var minimumLevel: IncidentLevel?
    public let location: SourceRange
}
