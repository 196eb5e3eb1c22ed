import SLARules

/// The trend of `open`, `overdue` and `backlog`: per instant (each day's end, ascending), the tickets
/// that existed then (the sample) and those counted then. Each ticket's counted instants form at most a
/// few ranges of the index (open from creation to done; overdue from a clock's deadline to its stop), so
/// a ticket costs a handful of binary searches, not one test per day. Filled ticket by ticket, in the
/// same pass as the KPI's current value (`KPICalculator.tile`); with no instants it counts nothing.
struct KPIStateDays {
    let measure: KPIMeasure
    let instants: [Instant]
    /// Per instant, the change from the previous one (a range adds one at its start, removes it at its end).
    private var samples: [Int]
    private var counted: [Int]
    private var ranges: [(Int, Int)] = []

    init(measure: KPIMeasure, instants: [Instant]) {
        self.measure = measure
        self.instants = instants
        samples = [Int](repeating: 0, count: instants.count + 1)
        counted = [Int](repeating: 0, count: instants.count + 1)
    }

    /// The first index whose instant is at or after `instant` (`count` when none). The instants are a day
    /// apart (give or take a clock change): a guess from the distance, then a step or two to the answer.
    @inline(__always)
    private func firstAtOrAfter(_ instant: Instant) -> Int {
        let count = instants.count
        let distance = instant.seconds - instants[0].seconds
        var index = distance <= 0 ? 0 : min(count, (distance + 86_399) / 86_400)
        while index > 0, instants[index - 1] >= instant { index -= 1 }
        while index < count, instants[index] < instant { index += 1 }
        return index
    }

    /// Counts a ticket the KPI selects.
    @inline(__always)
    mutating func add(_ fact: UnsafePointer<TicketFacts>) {
        let count = instants.count
        guard count > 0 else { return }
        let created = fact.pointee.createdAt
        let exists = firstAtOrAfter(created)
        guard exists < count else { return }
        samples[exists] += 1
        // (Not `.map(firstAtOrAfter)`: the closure would copy `self`, and each count below its arrays.)
        var done = count
        if let at = KPIPass.doneAt(fact) { done = firstAtOrAfter(at) }
        guard exists < done else { return }
        switch measure {
        case let .backlog(age):
            // Created more than `age` before the instant: the instant after created + age.
            let old = max(exists, firstAtOrAfter(created + age + 1))
            if old < done { counted[old] += 1; counted[done] -= 1 }
        case .overdue:
            ranges.removeAll(keepingCapacity: true)
            for clock in fact.pointee.clocks {
                guard let deadline = clock.deadline else { continue }
                if clock.stoppedAt == nil, clock.state != .running, clock.state != .breached { continue }
                let from = max(exists, firstAtOrAfter(deadline))
                var to = done
                if let stopped = clock.stoppedAt { to = min(done, firstAtOrAfter(stopped)) }
                if from < to { ranges.append((from, to)) }
            }
            // The union of the clocks' ranges: a ticket counts once an instant.
            if ranges.count > 1 { ranges.sort { $0.0 < $1.0 } }
            var current: (Int, Int)?
            for range in ranges {
                if let open = current, range.0 <= open.1 {
                    current = (open.0, max(open.1, range.1))
                } else {
                    if let open = current { counted[open.0] += 1; counted[open.1] -= 1 }
                    current = range
                }
            }
            if let open = current { counted[open.0] += 1; counted[open.1] -= 1 }
        default:
            counted[exists] += 1
            counted[done] -= 1
        }
    }

    /// Per instant, the tickets that existed (sample) and those counted (numerator).
    var tallies: [KPITally] {
        var tallies: [KPITally] = []
        tallies.reserveCapacity(instants.count)
        var sample = 0, number = 0
        for index in instants.indices {
            sample += samples[index]
            number += counted[index]
            var tally = KPITally()
            tally.sample = sample
            tally.numerator = number
            tallies.append(tally)
        }
        return tallies
    }
}
