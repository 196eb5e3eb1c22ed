import SLAEngine
import SLARules

/// A mix of tickets for the shipped rules, each with the instants a daemon would evaluate it at.
func sampleTickets(count: Int) -> [(Ticket, [Instant])] {
    let zone = ZoneTable(identifier: "Asia/Shanghai")!
    let start = LocalTime.parse("2026-03-02 08:00", zone: zone)!
    let shapes: [(String, String?, String?)] = [
        ("complaint", "A", nil), ("complaint", "B", nil), ("complaint", "C", nil), ("complaint", nil, nil),
        ("repair", nil, "urgent"), ("repair", nil, "regular"), ("repair", nil, "regular"), ("enquiry", nil, nil),
    ]
    var generator = SplitMix(seed: 42)
    var result: [(Ticket, [Instant])] = []
    result.reserveCapacity(count)
    for index in 0..<count {
        let shape = shapes[index % shapes.count]
        let created = start + Int(generator.next() % (30 * 86_400))
        let fields = TicketFields(kind: shape.0, grade: shape.1, priority: shape.2,
                                  assignee: index % 3 == 0 ? nil : (shape.0 == "repair" ? "wang-qiang" : "zhang-wei"))
        var ticket = Ticket(id: "T\(index)", fields: fields, createdAt: created)
        var at = created
        let steps = Int(generator.next() % 5)
        let kinds: [EventKind] = [.acknowledged, .assessed, .paused, .resumed, .resolved, .closed]
        for step in 0..<steps {
            at = at + 600 + Int(generator.next() % 14_400)
            let kind = kinds[min(step, kinds.count - 1)]
            ticket.append(TicketEventRecord(kind: kind, at: at, changes: kind == .paused ? ["status": "waiting-customer"] : nil))
        }
        result.append((ticket, [created + 60, created + 5400, created + 86_400 + 3600]))
    }
    return result
}

/// A small deterministic random generator, so that every run measures the same tickets.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Ticket evaluations per second of `engine.evaluate` on the shipped rules.
func evaluateBenchmark(runs runCount: Int = 5) {
    let engine = shippedEngine()
    let tickets = sampleTickets(count: 10_000)
    var runs: [Double] = []
    var cpuRuns: [Double] = []
    var checksum = 0
    var evaluations = 0
    for _ in 0..<runCount {
        let clock = ContinuousClock()
        let start = clock.now
        let cpuStart = cpuSeconds()
        evaluations = 0
        for _ in 0..<10 {
            for (ticket, instants) in tickets {
                for instant in instants {
                    let result = engine.evaluate(ticket, at: instant)
                    checksum &+= result.due.count &+ (result.nextDue?.seconds ?? 0) &+ result.clocks.count
                    evaluations += 1
                }
            }
        }
        runs.append(Double(evaluations) / (milliseconds(clock.now - start) / 1000))
        cpuRuns.append(Double(evaluations) / (cpuSeconds() - cpuStart))
    }
    runs.sort()
    cpuRuns.sort()
    print("evaluate: shipped rules, \(tickets.count) tickets (complaints, repairs, enquiries; 0-4 events), \(evaluations) evaluations per run")
    print("  evaluations per second (\(runCount) runs): min \(Int(runs[0])), median \(Int(runs[runCount / 2])), max \(Int(runs[runCount - 1]))  [checksum \(checksum % 1000)]")
    print("  per second of CPU time (the same runs):   min \(Int(cpuRuns[0])), median \(Int(cpuRuns[runCount / 2])), max \(Int(cpuRuns[runCount - 1]))")
}
