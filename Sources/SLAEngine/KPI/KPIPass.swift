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

    /// False for the state measures (`open`, `overdue`, `backlog`), which count at instants, not over periods.
    var measureHasInstant: Bool { Self.hasInstant(measure) }

    static func hasInstant(_ measure: KPIMeasure) -> Bool {
        switch measure {
        case .open, .overdue, .backlog: false
        default: true
        }
    }

    // The facts are read through a pointer, field by field: passing a `TicketFacts` by value copies it
    // (retaining each of its strings), which cost more than all the arithmetic.
    @inline(__always)
    func selects(_ fact: UnsafePointer<TicketFacts>) -> Bool {
        matchesAll || program.matches(root, fields: fact.pointee.fields, status: fact.pointee.status)
    }

    @inline(__always)
    func clock(of fact: UnsafePointer<TicketFacts>) -> ClockFact? {
        for clock in fact.pointee.clocks where clock.name == self.clock { return clock }
        return nil
    }

    /// What the ticket counts, and the instant that places it in a period; a nil instant for the measures
    /// of the state at `now` (open, overdue, backlog), which every period counts. Nil when it counts nothing.
    @inline(__always)
    func observe(_ fact: UnsafePointer<TicketFacts>) -> (Instant?, KPIObservation)? {
        switch measure {
        case .onTime:
            guard let clock = clock(of: fact) else { return nil }
            if let stop = clock.stoppedAt { return stop <= now ? (stop, .hit(clock.state == .met)) : nil }
            // Still running past its deadline: breached when the deadline passed — also when the facts were
            // taken before it passed (the daemon keeps facts until the ticket changes).
            guard clock.state == .breached || clock.state == .running, let deadline = clock.deadline, deadline <= now else { return nil }
            return (deadline, .hit(false))
        case .timeTo:
            guard let clock = clock(of: fact), let stop = clock.stoppedAt, let start = clock.startedAt, stop <= now else { return nil }
            if let workingTime { return (stop, .duration(workingTime.elapsed(at: stop) - workingTime.elapsed(at: start))) }
            return (stop, .duration(stop - start))
        case .resolutionRate:
            return (fact.pointee.createdAt, .done(Self.doneAt(fact)))
        case .satisfaction:
            guard let at = fact.pointee.revisitedAt, let score = fact.pointee.score, at <= now else { return nil }
            return (at, .score(score))
        case let .satisfiedShare(atLeast):
            guard let at = fact.pointee.revisitedAt, let score = fact.pointee.score, at <= now else { return nil }
            return (at, .hit(score >= atLeast))
        case .repeatRate:
            return (fact.pointee.createdAt, .hit(fact.pointee.repeatOf != nil))
        case .revisitRate:
            guard let resolved = fact.pointee.resolvedAt, resolved <= now else { return nil }
            return (resolved, .hit(fact.pointee.revisitedAt.map { $0 >= resolved && $0 <= now } ?? false))
        case .per100Households:
            guard let site = fact.pointee.fields.site, households[site] != nil else { return nil }
            return (fact.pointee.createdAt, .ticket)
        case .open, .overdue, .backlog:
            return (nil, .hit(isCounted(fact, at: now)))
        }
    }

    /// For the state measures: whether the ticket counts at `instant` (open; open and overdue; open and older
    /// than the age).
    @inline(__always)
    func isCounted(_ fact: UnsafePointer<TicketFacts>, at instant: Instant) -> Bool {
        guard fact.pointee.createdAt <= instant, Self.doneAt(fact).map({ $0 > instant }) ?? true else { return false }
        switch measure {
        case .overdue:
            return fact.pointee.clocks.contains { clock in
                guard let deadline = clock.deadline, deadline <= instant else { return false }
                return clock.stoppedAt.map { $0 > instant } ?? (clock.state == .running || clock.state == .breached)
            }
        case let .backlog(age):
            return fact.pointee.createdAt < instant - age
        default:
            return true
        }
    }

    /// `TicketFacts.doneAt`, read field by field.
    @inline(__always)
    static func doneAt(_ fact: UnsafePointer<TicketFacts>) -> Instant? {
        let resolved = fact.pointee.resolvedAt, closed = fact.pointee.closedAt
        guard let resolved else { return closed }
        guard let closed else { return resolved }
        return min(resolved, closed)
    }
}
