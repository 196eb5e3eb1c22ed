import SLARules

/// Everything the engine says about one ticket at one instant.
public struct Evaluation: Sendable, Hashable {
    public let ticketID: String
    public let now: Instant
    /// The policy that applies, nil when no policy matches the ticket.
    public let policy: String?
    /// The ticket's status at `now`, derived from its history.
    public let status: String
    /// How many times the ticket has been reopened; part of each firing's identity, so that a reopened
    /// ticket is escalated afresh while a firing is never repeated within one cycle.
    public let cycle: Int
    public let clocks: [ClockStatus]
    /// Escalation steps that are due and have not fired, each once (missed repeats are folded into one).
    public let due: [DueStep]
    /// Steps held by a quiet window at `now`; released when it ends.
    public let held: [DueStep]
    /// The next instant after `now` at which anything about this ticket changes: a step falls due, a
    /// clock runs out, a quiet window ends. Nil when nothing will happen without a new event.
    public let nextDue: Instant?
}

public enum ClockState: String, Sendable, Hashable, Codable {
    /// Its start event has not happened.
    case pending
    case running
    case paused
    /// Stopped within its limit.
    case met
    /// Ran out: still running past its deadline, or stopped late.
    case breached
}

public struct ClockStatus: Sendable, Hashable {
    public let name: String
    public let title: String?
    public let state: ClockState
    /// True once stopped (met, or breached and stopped).
    public let isStopped: Bool
    public let startedAt: Instant?
    public let stoppedAt: Instant?
    /// The event that stopped it: its own `until` event, a later state of the closed loop
    /// (`LifecycleOrder`), or `closed`.
    public let stoppedBy: EventKind?
    /// When the limit runs out (or ran out); nil while pending or paused before running out.
    public let deadline: Instant?
    /// The limit in the clock's own measure (seconds of wall time, or of working time).
    public let budget: Int
    /// How much of the budget has been used at `now` (or at the stop).
    public let consumed: Int
    /// Whether the budget counts working time rather than wall time.
    public let countsWorkingTime: Bool
    /// Whether the deadline was counted through a year its calendar holds no holiday data for, so that
    /// holidays and make-up working days there were not counted (`WorkingTime.isBeyondData`).
    public var beyondCalendarData: Bool = false

    /// Seconds of the clock's measure left (negative when overdue).
    public var remaining: Int { budget - consumed }

    /// Seconds of wall time from `now` to the deadline (negative when overdue), when there is a deadline.
    public func wallRemaining(at now: Instant) -> Int? { deadline.map { $0 - now } }
}

/// The identity of one firing: unique per ticket, as the store records it.
public struct Firing: Sendable, Hashable, Codable {
    public let policy: String
    /// The step's stable key within its policy (`respond + 1h`).
    public let step: String
    public let cycle: Int
    public let repeatIndex: Int

    public init(policy: String, step: String, cycle: Int, repeatIndex: Int) {
        self.policy = policy
        self.step = step
        self.cycle = cycle
        self.repeatIndex = repeatIndex
    }
}

/// What a firing (and its outbox jobs) is about. The store's `subject` column holds the raw value.
public enum FiringSubject: String, Sendable, Hashable, Codable {
    /// A ticket's escalation step; the firing's policy is the policy's name.
    case ticket
    /// An incident's (or drill's) notice; the firing's policy is `Firing.planKey(plan)`.
    case incident
    /// A KPI warning; the firing's policy is the KPI's.
    case kpi
}

extension Firing {
    /// The policy key an incident's firings carry (`plan:NAME`): the stored text, kept so that firings
    /// written by older versions keep their unique keys. Make and read it only here.
    public static func planKey(_ plan: String) -> String { "plan:" + plan }

    /// The plan's name when this is an incident's firing, else nil.
    public var plan: String? { policy.hasPrefix("plan:") ? String(policy.dropFirst(5)) : nil }

    /// The step key an incident's notice carries (`assigned:STEP`, `overdue:STEP`): the stored text.
    public static func noticeStep(_ kind: IncidentNotice.Kind, _ step: String) -> String { kind.rawValue + ":" + step }

    /// An incident's notice as its step key says: the kind and the plan step; nil for any other step key.
    public var notice: (kind: IncidentNotice.Kind, step: String)? { Self.notice(inStep: step) }

    /// `notice`, from a stored step key alone.
    public static func notice(inStep key: String) -> (kind: IncidentNotice.Kind, step: String)? {
        guard let colon = key.firstIndex(of: ":"), let kind = IncidentNotice.Kind(rawValue: String(key[..<colon])) else { return nil }
        return (kind, String(key[key.index(after: colon)...]))
    }
}

/// A step that is due now.
public struct DueStep: Sendable, Hashable {
    public let firing: Firing
    /// The step's index in the policy's ladder.
    public let stepIndex: Int
    public let clock: String
    /// When this repeat fell due.
    public let dueAt: Instant
    /// Seconds between `dueAt` and the evaluation.
    public let lateness: Int
    /// Repeats that fell due while nothing evaluated the ticket and are folded into this firing.
    public let missedRepeats: Int
    /// Whether a quiet window held the step back (it is released now, or held still).
    public let wasHeld: Bool

    /// Late when it fires more than a minute after its time, or stands in for missed repeats.
    public var isLate: Bool { lateness > 60 || missedRepeats > 0 }
}
