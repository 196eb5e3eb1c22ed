import SLARules

extension KPICalculator {
    /// The trend of `open`, `overdue` and `backlog`: per instant (each day's end, ascending), the tickets
    /// that existed then (the sample) and those counted then. Each ticket's counted instants form at most
    /// a few ranges of the index (open from creation to done; overdue from a clock's deadline to its stop),
    /// so a ticket costs a handful of binary searches, not one test per day.
    func stateTrend(_ pass: KPIPass, over facts: UnsafeBufferPointer<TicketFacts>, at instants: [Instant]) -> [KPITally] {
        let count = instants.count
        var samples = [Int](repeating: 0, count: count + 1)
        var counted = [Int](repeating: 0, count: count + 1)
        /// The first index whose instant is at or after `instant` (`count` when none).
        func firstAtOrAfter(_ instant: Instant) -> Int {
            var low = 0, high = count
            while low < high {
                let mid = (low + high) / 2
                if instants[mid] >= instant { high = mid } else { low = mid + 1 }
            }
            return low
        }
        var ranges: [(Int, Int)] = []
        guard let base = facts.baseAddress else { return [KPITally](repeating: KPITally(), count: count) }
        for position in facts.indices where pass.selects(base + position) {
            let fact = base + position
            let created = fact.pointee.createdAt
            let exists = firstAtOrAfter(created)
            guard exists < count else { continue }
            samples[exists] += 1
            let done = KPIPass.doneAt(fact).map(firstAtOrAfter) ?? count
            guard exists < done else { continue }
            switch pass.measure {
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
                    let to = min(done, clock.stoppedAt.map(firstAtOrAfter) ?? count)
                    if from < to { ranges.append((from, to)) }
                }
                // The union of the clocks' ranges: a ticket counts once an instant.
                ranges.sort { $0.0 < $1.0 }
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
        var tallies: [KPITally] = []
        tallies.reserveCapacity(count)
        var sample = 0, number = 0
        for index in 0..<count {
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
