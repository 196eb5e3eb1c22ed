import SLARules

/// One clock replayed through a ticket's history: when it ran, how much of its budget it used, and the
/// instants at which it used given amounts.
struct ClockRun {
    let clock: Clock
    /// The working time the clock counts in; nil for wall time.
    let measure: WorkingTime?
    private(set) var startedAt: Instant?
    private(set) var stoppedAt: Instant?
    /// The clock was stopped by its own `until` event (not by the ticket being closed).
    private(set) var stoppedByOwnEvent = false
    private(set) var budget = 0
    /// Budget used by the closed segments.
    private(set) var consumed = 0
    /// Closed running segments with the budget used before each.
    private(set) var segments: [(from: Instant, to: Instant, before: Int)] = []
    /// Start of the open running segment.
    private(set) var openSince: Instant?
    /// Budget used at `now`, once observed.
    private(set) var consumedNow = 0

    init(clock: Clock, measure: WorkingTime?) {
        self.clock = clock
        self.measure = measure
    }

    var isStarted: Bool { startedAt != nil }
    var isStopped: Bool { stoppedAt != nil }
    /// Running and not paused: only then do its steps fire.
    var isActive: Bool { isStarted && !isStopped && openSince != nil }

    @inline(__always)
    func used(from: Instant, to: Instant) -> Int {
        guard let measure else { return to - from }
        return measure.elapsed(at: to) - measure.elapsed(at: from)
    }

    @inline(__always)
    func advance(from: Instant, by amount: Int) -> Instant {
        guard let measure else { return from + amount }
        if amount <= 0 { return from }
        return measure.instant(reaching: measure.elapsed(at: from) + amount)
    }

    mutating func handle(_ kind: EventKind, at: Instant, pausedNow: Bool) {
        let event = kind.ruleEvent
        if kind == .reopened {
            if let start = Optional(clock.start), Self.undoneByReopen.contains(start) {
                // A clock that starts at the end of the work (the return visit) starts afresh next time.
                self = ClockRun(clock: clock, measure: measure)
                return
            }
            if isStopped, !(stoppedByOwnEvent && !Self.undoneByReopen.contains(clock.stop)) {
                stoppedAt = nil
                stoppedByOwnEvent = false
                if !pausedNow { openSince = at }
            }
            return
        }
        // Closing the ticket ends the work, so it stops every clock but the return visit's, which
        // follows the closure in the closed loop (接单 → 分派 → 跟进 → 验收 → 回访).
        if isStarted, !isStopped, event == clock.stop || (kind == .closed && clock.stop != .revisited) {
            closeSegment(at: at)
            stoppedAt = at
            stoppedByOwnEvent = event == clock.stop
            return
        }
        if !isStarted, event == clock.start {
            startedAt = at
            budget = Self.budget(of: clock.limit, from: at, measure: measure)
            if !pausedNow { openSince = at }
        }
    }

    /// Events that a reopening takes back.
    static let undoneByReopen: Set<TicketEvent> = [.resolved, .closed, .revisited]

    static func budget(of limit: Limit, from start: Instant, measure: WorkingTime?) -> Int {
        switch limit {
        case let .wall(duration): return duration.seconds
        case let .workingTime(duration, _): return duration.seconds
        case .workingDays, .endOfWorkingDay:
            guard let measure else { return 0 }
            let deadline = measure.deadline(for: limit, from: start)
            return measure.elapsed(at: deadline) - measure.elapsed(at: start)
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
        segments.append((since, at, consumed))
        consumed += amount
        openSince = nil
    }

    mutating func observe(at now: Instant) {
        consumedNow = consumed + (openSince.map { used(from: $0, to: now) } ?? 0)
    }

    /// The instant at which the clock has used `amount` of its budget: in the past when it did, projected
    /// from the open segment when it is running, nil when it is paused or stopped short of it.
    func instant(consuming amount: Int) -> Instant? {
        for segment in segments {
            let length = used(from: segment.from, to: segment.to)
            if amount <= segment.before + length, amount >= segment.before {
                if amount == segment.before + length, length == 0 { continue }
                return advance(from: segment.from, by: amount - segment.before)
            }
        }
        if let since = openSince, amount >= consumed {
            return advance(from: since, by: amount - consumed)
        }
        return nil
    }

    func status(_ clock: Clock, now: Instant) -> ClockStatus {
        let state: ClockState
        var deadline = instant(consuming: budget)
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
        return ClockStatus(name: clock.name, title: clock.title, state: state, isStopped: isStopped,
                           startedAt: startedAt, stoppedAt: stoppedAt, deadline: deadline, budget: budget,
                           consumed: consumedNow, countsWorkingTime: measure != nil)
    }
}
