import SLARules

/// What a clock needs while it is replayed, precomputed once per rule set: its events as `EventKind`s and
/// how its budget is set. Cheap to copy (one reference, for the working time), unlike `Clock` with its
/// strings; the engine makes one `ClockRun` per clock per evaluation.
struct ClockPlan: Sendable {
    let start: EventKind
    let stop: EventKind
    /// The clock starts at an event a reopening takes back (the return visit starts at `resolved`).
    let startUndoneByReopen: Bool
    /// The clock stops at an event a reopening takes back.
    let stopUndoneByReopen: Bool
    /// The limit without its strings (a `Limit` names its business hours, and copying the name costs a
    /// retain per clock per evaluation).
    let budgetRule: BudgetRule
    /// The working time the clock counts in; nil for wall time.
    let measure: WorkingTimeBox?

    init(_ clock: Clock, measure: WorkingTime?) {
        start = EventKind(clock.start)
        stop = EventKind(clock.stop)
        startUndoneByReopen = Self.undoneByReopen(clock.start)
        stopUndoneByReopen = Self.undoneByReopen(clock.stop)
        switch clock.limit {
        case let .wall(duration), let .workingTime(duration, _): budgetRule = .fixed(duration.seconds)
        case let .workingDays(days, _): budgetRule = .workingDays(days)
        case .endOfWorkingDay: budgetRule = .endOfWorkingDay
        }
        self.measure = measure.map(WorkingTimeBox.init)
    }

    enum BudgetRule: Sendable {
        /// Seconds of wall time or of working time.
        case fixed(Int)
        /// Up to the same working time of day, so many working days on: the budget depends on the start.
        case workingDays(Int)
        case endOfWorkingDay
    }

    /// Events that a reopening takes back.
    static func undoneByReopen(_ event: TicketEvent) -> Bool {
        event == .resolved || event == .closed || event == .revisited
    }
}

/// A working time held by reference, so that copying a `ClockPlan` costs one retain; its methods forward
/// so that no caller copies the `WorkingTime` (with its arrays) out of the box.
final class WorkingTimeBox: Sendable {
    let value: WorkingTime
    init(_ value: WorkingTime) { self.value = value }

    @inline(__always) func elapsed(at instant: Instant) -> Int { value.elapsed(at: instant) }
    @inline(__always) func instant(reaching target: Int, after hint: Instant) -> Instant { value.instant(reaching: target, after: hint) }
}

/// A closed running piece of a clock: from, to, its length in the clock's measure, and the budget used before it.
struct Segment {
    let from: Instant
    let to: Instant
    let length: Int
    let before: Int
}

/// One clock replayed through a ticket's history: when it ran, how much of its budget it used, and the
/// instants at which it used given amounts.
struct ClockRun {
    let plan: ClockPlan
    private(set) var startedAt: Instant?
    private(set) var stoppedAt: Instant?
    /// The clock was met by its own `until` event or a later state (`LifecycleOrder`), not by the ticket
    /// being closed.
    private(set) var stoppedByOwnEvent = false
    /// The event that stopped the clock.
    private(set) var stoppedBy: EventKind?
    private(set) var budget = 0
    /// Budget used by the closed segments.
    private(set) var consumed = 0
    /// Closed running segments with the budget used before each: the first inline (most clocks run in one
    /// piece, and an array would cost an allocation per clock per evaluation), any later ones in `moreSegments`.
    private(set) var firstSegment: Segment?
    private(set) var moreSegments: [Segment] = []
    /// Start of the open running segment.
    private(set) var openSince: Instant?
    /// Budget used at `now`, once observed.
    private(set) var consumedNow = 0

    init(plan: ClockPlan) {
        self.plan = plan
    }

    var isStarted: Bool { startedAt != nil }
    var isStopped: Bool { stoppedAt != nil }
    /// Running and not paused: only then do its steps fire.
    var isActive: Bool { isStarted && !isStopped && openSince != nil }

    @inline(__always)
    func used(from: Instant, to: Instant) -> Int {
        guard let measure = plan.measure else { return to - from }
        return measure.elapsed(at: to) - measure.elapsed(at: from)
    }

    @inline(__always)
    func advance(from: Instant, by amount: Int) -> Instant {
        guard let measure = plan.measure else { return from + amount }
        if amount <= 0 { return from }
        return measure.instant(reaching: measure.elapsed(at: from) + amount, after: from)
    }

    mutating func handle(_ kind: EventKind, at: Instant, pausedNow: Bool) {
        if kind == .reopened {
            if plan.startUndoneByReopen {
                // A clock that starts at the end of the work (the return visit) starts afresh next time.
                self = ClockRun(plan: plan)
                return
            }
            if isStopped, !(stoppedByOwnEvent && !plan.stopUndoneByReopen) {
                stoppedAt = nil
                stoppedBy = nil
                stoppedByOwnEvent = false
                if !pausedNow { openSince = at }
            }
            return
        }
        // The clock's own `until` event or any later state meets it (`LifecycleOrder`: a ticket resolved
        // without an acknowledgement has had its response). Closing the ticket ends the work, so it stops
        // every clock but the return visit's, which follows the closure in the closed loop
        // (接单 → 分派 → 跟进 → 验收 → 回访).
        if isStarted, !isStopped {
            let met = LifecycleOrder.meets(kind, plan.stop)
            if met || (kind == .closed && plan.stop != .revisited) {
                closeSegment(at: at)
                stoppedAt = at
                stoppedBy = kind
                stoppedByOwnEvent = met
                return
            }
        }
        if !isStarted, kind == plan.start {
            startedAt = at
            budget = Self.budget(of: plan.budgetRule, from: at, measure: plan.measure)
            if !pausedNow { openSince = at }
        }
    }

    static func budget(of rule: ClockPlan.BudgetRule, from start: Instant, measure: WorkingTimeBox?) -> Int {
        switch rule {
        case let .fixed(seconds): return seconds
        case let .workingDays(days): return measure?.value.budget(workingDays: days, from: start) ?? 0
        case .endOfWorkingDay: return measure?.value.budget(workingDays: nil, from: start) ?? 0
        }
    }

    mutating func setPaused(_ paused: Bool, at: Instant) {
        guard isStarted, !isStopped else { return }
        if paused {
            closeSegment(at: at)
        } else if openSince == nil {
            openSince = at
        }
    }

    private mutating func closeSegment(at: Instant) {
        guard let since = openSince else { return }
        let amount = used(from: since, to: at)
        let segment = Segment(from: since, to: at, length: amount, before: consumed)
        if firstSegment == nil { firstSegment = segment } else { moreSegments.append(segment) }
        consumed += amount
        openSince = nil
    }

    /// When the whole budget is (or was) used, as of the last `observe`: the deadline that offset steps and
    /// the status both need, worked out once per evaluation (on working time it takes table searches).
    private(set) var budgetReachedAt: Instant?

    mutating func observe(at now: Instant) {
        consumedNow = consumed + (openSince.map { used(from: $0, to: now) } ?? 0)
        budgetReachedAt = isStarted ? instant(consuming: budget) : nil
    }

    /// The instant at which the clock has used `amount` of its budget: in the past when it did, projected
    /// from the open segment when it is running, nil when it is paused or stopped short of it.
    func instant(consuming amount: Int) -> Instant? {
        if let first = firstSegment {
            if let found = Self.instant(consuming: amount, in: first, advance: advance) { return found }
            for segment in moreSegments {
                if let found = Self.instant(consuming: amount, in: segment, advance: advance) { return found }
            }
        }
        if let since = openSince, amount >= consumed {
            return advance(from: since, by: amount - consumed)
        }
        return nil
    }

    @inline(__always)
    private static func instant(consuming amount: Int, in segment: Segment, advance: (Instant, Int) -> Instant) -> Instant? {
        guard amount <= segment.before + segment.length, amount >= segment.before else { return nil }
        if amount == segment.before + segment.length, segment.length == 0 { return nil }
        return advance(segment.from, amount - segment.before)
    }

    func status(name: String, title: String?, now: Instant) -> ClockStatus {
        let state: ClockState
        var deadline = budgetReachedAt
        if !isStarted {
            state = .pending
            deadline = nil
        } else if let stop = stoppedAt {
            state = consumed > budget ? .breached : .met
            if deadline == nil { deadline = advance(from: stop, by: budget - consumed) }
        } else if openSince == nil {
            state = consumedNow >= budget ? .breached : .paused
        } else {
            state = consumedNow >= budget ? .breached : .running
        }
        var beyond = false
        if let measure = plan.measure, let startedAt, let end = deadline ?? stoppedAt {
            beyond = measure.value.isBeyondData(from: startedAt, to: end)
        }
        return ClockStatus(name: name, title: title, state: state, isStopped: isStopped,
                           startedAt: startedAt, stoppedAt: stoppedAt, stoppedBy: stoppedBy, deadline: deadline, budget: budget,
                           consumed: consumedNow, countsWorkingTime: plan.measure != nil, beyondCalendarData: beyond)
    }
}
