/// A service promise: which tickets it covers, the clocks that run on them, and who is told when.
public struct Policy: Sendable, Hashable {
    public let name: String
    public var title: String?
    public var match: MatchExpression = .always
    /// The team answerable for tickets of this policy: its supervisor and manager are the escalation
    /// targets when the assignee's own team is unknown.
    public var team: String?
    public var clocks: [Clock] = []
    /// While this holds, every clock of the policy is paused.
    public var pause: MatchExpression?
    public var steps: [EscalationStep] = []
    public let location: SourceRange
    public var matchLocation: SourceRange?

    public func clock(named name: String) -> Clock? { clocks.first { $0.name == name } }
}

/// One promised time limit: starts at an event, stops at another, runs out after its limit.
public struct Clock: Sendable, Hashable {
    public let name: String
    public var title: String?
    public var limit: Limit
    public var start: TicketEvent = .created
    public var stop: TicketEvent
    public let location: SourceRange
}

/// How long a clock runs: wall time, or time counted only during business hours.
public enum Limit: Sendable, Hashable, CustomStringConvertible {
    case wall(Duration)
    /// `3 working days using office`: whole working days of the hours' calendar.
    case workingDays(Int, hours: String)
    /// `16 working hours using office`: time inside the business hours.
    case workingTime(Duration, hours: String)
    /// `by end of working day using office`: the close of business on the day the clock starts
    /// (the next working day when it starts after hours).
    case endOfWorkingDay(hours: String)

    public var description: String {
        switch self {
        case let .wall(duration): "\(duration)"
        case let .workingDays(days, hours): "\(days) working day\(days == 1 ? "" : "s") using \(hours)"
        case let .workingTime(duration, hours): "\(duration) of working time using \(hours)"
        case let .endOfWorkingDay(hours): "end of working day using \(hours)"
        }
    }

    /// The limit in wall time, when it has one.
    public var wallDuration: Duration? {
        if case let .wall(duration) = self { return duration }
        return nil
    }
}

/// One rung of an escalation ladder.
public struct EscalationStep: Sendable, Hashable {
    public var at: StepTime
    public var targets: [NotifyTarget]
    public var channels: [String]
    public var template: String?
    public var repeating: Repeat?
    public let location: SourceRange
    /// Where the step names its clock (for diagnostics).
    public let clockLocation: SourceRange
    /// `urgent`: a quiet window never holds this step.
    public var isUrgent: Bool = false
}

/// When a step fires, relative to a clock.
public enum StepTime: Sendable, Hashable, CustomStringConvertible {
    /// `at respond - 30m`: the deadline plus a signed offset.
    case offset(clock: String, seconds: Int)
    /// `at 75% of respond`: a share of the limit after the clock starts.
    case share(clock: String, percent: Int)

    public var clock: String {
        switch self {
        case let .offset(clock, _), let .share(clock, _): clock
        }
    }

    public var description: String {
        switch self {
        case let .offset(clock, seconds) where seconds == 0: clock
        case let .offset(clock, seconds): "\(clock) \(seconds < 0 ? "-" : "+") \(Duration(seconds: abs(seconds)))"
        case let .share(clock, percent): "\(percent)% of \(clock)"
        }
    }
}

/// Whom a step or plan step notifies.
public enum NotifyTarget: Sendable, Hashable, CustomStringConvertible {
    case assignee, supervisor, manager
    case person(String)
    case team(String)
    /// Whoever is on duty in the roster when the step fires.
    case roster(String)

    public var description: String {
        switch self {
        case .assignee: "assignee"
        case .supervisor: "supervisor"
        case .manager: "manager"
        case let .person(name): "person \(name)"
        case let .team(name): "team \(name)"
        case let .roster(name): "roster \(name)"
        }
    }
}

/// `repeat every 1h until acknowledged max 5`.
public struct Repeat: Sendable, Hashable {
    public var every: Duration
    public var until: TicketEvent = .acknowledged
    /// The most times the step fires in all, the first included; nil means until the event.
    public var limit: Int?
}
