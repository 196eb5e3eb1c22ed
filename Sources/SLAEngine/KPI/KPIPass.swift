import SLARules

/// One KPI prepared for a pass over the facts: its `when` compiled, its clock, its working time. Says for
/// each ticket whether the KPI looks at it, and what it counts (`KPIObservation`) at which instant.
struct KPIPass {
    let measure: KPIMeasure
    let now: Instant
    let program: MatchProgram
    let root: Range<Int32>
    let matchesAll: Bool
    let clock: String
    let workingTime: WorkingTime?
    let households: [String: Int]

    init(kpi: KPI, calculator: KPICalculator, now: Instant) {
        measure = kpi.measure
        self.now = now
        var program = MatchProgram()
        root = program.add(kpi.match)
        self.program = program
        if case .always = kpi.match { matchesAll = true } else { matchesAll = false }
        switch kpi.measure {
        case let .onTime(clock), let .timeTo(clock, _, _): self.clock = clock
        default: clock = ""
        }
        if case .timeTo(_, _, true) = kpi.measure { workingTime = calculator.workingTime(of: kpi) } else { workingTime = nil }
        households = calculator.households
    }

    @inline(__always)
    func selects(_ fact: TicketFacts) -> Bool {
        matchesAll || program.matches(root, fields: fact.fields, status: fact.status)
    }

    /// What the ticket counts, and the instant that places it in a period; a nil instant for the measures
    /// of the state at `now` (open, overdue, backlog), which every period counts. Nil when it counts nothing.
    @inline(__always)
    func observe(_ fact: TicketFacts) -> (Instant?, KPIObservation)? {
        switch measure {
        case .onTime:
            guard let clock = fact.clock(clock) else { return nil }
            if let stop = clock.stoppedAt { return stop <= now ? (stop, .hit(clock.state == .met)) : nil }
            // Still running past its deadline: breached when the deadline passed — also when the facts were
            // taken before it passed (the daemon keeps facts until the ticket changes).
            guard clock.state == .breached || clock.state == .running, let deadline = clock.deadline, deadline <= now else { return nil }
            return (deadline, .hit(false))
        case .timeTo:
            guard let clock = fact.clock(clock), let stop = clock.stoppedAt, let start = clock.startedAt, stop <= now else { return nil }
            if let workingTime { return (stop, .duration(workingTime.elapsed(at: stop) - workingTime.elapsed(at: start))) }
            return (stop, .duration(stop - start))
        case .resolutionRate:
            return (fact.createdAt, .done(fact.doneAt))
        case .satisfaction:
            guard let at = fact.revisitedAt, let score = fact.score, at <= now else { return nil }
            return (at, .score(score))
        case let .satisfiedShare(atLeast):
            guard let at = fact.revisitedAt, let score = fact.score, at <= now else { return nil }
            return (at, .hit(score >= atLeast))
        case .repeatRate:
            return (fact.createdAt, .hit(fact.repeatOf != nil))
        case .revisitRate:
            guard let resolved = fact.resolvedAt, resolved <= now else { return nil }
            return (resolved, .hit(fact.revisitedAt.map { $0 >= resolved && $0 <= now } ?? false))
        case .per100Households:
            guard let site = fact.fields.site, households[site] != nil else { return nil }
            return (fact.createdAt, .ticket)
        case .open, .overdue, .backlog:
            return (nil, .hit(isCounted(fact, at: now)))
        }
    }

    /// For the state measures: whether the ticket counts at `instant` (open; open and overdue; open and older
    /// than the age).
    @inline(__always)
    func isCounted(_ fact: TicketFacts, at instant: Instant) -> Bool {
        guard fact.isOpen(at: instant) else { return false }
        switch measure {
        case .overdue:
            return fact.clocks.contains { clock in
                guard let deadline = clock.deadline, deadline <= instant else { return false }
                return clock.stoppedAt.map { $0 > instant } ?? (clock.state == .running || clock.state == .breached)
            }
        case let .backlog(age):
            return fact.createdAt < instant - age
        default:
            return true
        }
    }
}
