import SLAEngine
import SLARules

/// A notification that fired during a test run.
public struct FiredNotification: Sendable, Hashable {
    public let at: Instant
    public let subject: String
    /// The step key for a ticket, `assigned STEP` / `overdue STEP` for an incident.
    public let label: String
    /// The policy or plan it came from.
    public let source: String
    /// People per channel, in the order the rules name the channels.
    public let recipients: [Recipient]
    public let dueAt: Instant
    public let repeatIndex: Int
    public let missedRepeats: Int
    /// Targets that reached nobody, with the reason.
    public let unreached: [String]
    /// Set when no target reached anyone and the team's supervisor or manager was told instead.
    public let fallback: String?
    /// What else the output says about it (a KPI's value and sample).
    public var detail: String? = nil
}

/// What a test run found.
public struct RuleTestOutcome: Sendable {
    public let test: CompiledRuleTest
    /// Everything that fired, in order.
    public let fired: [FiredNotification]
    /// Expected, and nothing like it fired.
    public let missing: [ExpectedNotification]
    /// Fired, and nothing like it was expected.
    public let unexpected: [FiredNotification]
    /// Expected and fired, but at another instant or to other recipients.
    public let differing: [(expected: ExpectedNotification, got: FiredNotification)]
    /// State expectations that did not hold, with what was found instead.
    public let failedAssertions: [(assertion: StateAssertion, got: String)]
    /// Set when the run did not come to an end (a runaway repeat); the test fails.
    public let runaway: Instant?
    /// The bound on evaluation instants the run had.
    let steps: Int
    /// Deadlines counted past their calendar's holiday data, once per ticket and clock: the test may pass
    /// on a calendar that does not yet know that year's holidays.
    public var beyondCalendarData: [BeyondCalendarData] = []

    public var passed: Bool {
        missing.isEmpty && unexpected.isEmpty && differing.isEmpty && failedAssertions.isEmpty && runaway == nil
    }
}

/// A deadline a test counted through a year its calendar holds no holiday data for.
public struct BeyondCalendarData: Sendable, Hashable {
    public let ticket: String
    public let clock: String
    public let deadline: Instant
    public let calendar: String
    public let dataUntil: DayDate?
}

/// Runs a test on virtual time, the way the daemon would run the same tickets: it steps through every
/// event instant and every instant the engine says something falls due, and at each one records what
/// fires, so that each step fires once. Events at an instant happen before the evaluation at that instant.
public enum RuleTestRunner {
    /// A bound on evaluation instants per test, so that a rule repeating every minute for years cannot hang.
    public static let maximumSteps = 100_000

    public static func run(_ test: CompiledRuleTest, engine: Engine, maximumSteps: Int = maximumSteps) -> RuleTestOutcome {
        var fired: [FiredNotification] = []
        // Per ticket, the latest firing of each step in each cycle: the engine only looks for the highest
        // repeat, and passing every repeat would make a long run quadratic.
        var ticketFirings = [[String: Firing]](repeating: [:], count: test.tickets.count)
        var incidentFirings = [[Firing]](repeating: [], count: test.incidents.count)
        var checkpoints = Set<Instant>()
        for ticket in test.tickets { checkpoints.formUnion(ticket.events.map(\.at)) }
        for incident in test.incidents { checkpoints.formUnion(incident.events.map(\.at)) }
        let sortedCheckpoints = checkpoints.filter { $0 <= test.until }.sorted()
        var runaway: Instant?
        var links = IncidentLinks(tickets: test.tickets.count)
        var beyond: [BeyondCalendarData] = []
        if var now = sortedCheckpoints.first {
            var steps = 0
            while true {
                var next = sortedCheckpoints.first { $0 > now }
                func consider(_ instant: Instant?) {
                    guard let instant, instant > now else { return }
                    if next == nil || instant < next! { next = instant }
                }
                links.update(test, engine: engine, at: now)
                for (index, ticket) in test.tickets.enumerated() where ticket.createdAt <= now {
                    let evaluation = engine.evaluate(ticket, at: now, fired: Array(ticketFirings[index].values))
                    // While an open incident explains the ticket, its due steps are held: recorded, never sent.
                    let held = links.incident[index].map { engine.isOpen(test.incidents[$0], at: now) } ?? false
                    for step in evaluation.due {
                        let firing = step.firing
                        ticketFirings[index]["\(firing.policy)\u{0}\(firing.step)\u{0}\(firing.cycle)"] = firing
                        guard !held else { continue }
                        let reach = engine.recipients(for: step, of: ticket, at: now)
                        fired.append(notification(at: now, subject: ticket.id, label: step.firing.step, source: step.firing.policy,
                                                  reach: reach, dueAt: step.dueAt, repeatIndex: step.firing.repeatIndex,
                                                  missedRepeats: step.missedRepeats))
                    }
                    consider(evaluation.nextDue)
                    for clock in evaluation.clocks where clock.beyondCalendarData && !beyond.contains(where: { $0.ticket == ticket.id && $0.clock == clock.name }) {
                        let measure = evaluation.policy.flatMap { engine.workingTime(ofClock: clock.name, policy: $0) }
                        beyond.append(BeyondCalendarData(ticket: ticket.id, clock: clock.name, deadline: clock.deadline ?? now,
                                                         calendar: measure?.calendarName ?? "?", dataUntil: measure?.dataUntil))
                    }
                }
                for (index, incident) in test.incidents.enumerated() where incident.openedAt <= now {
                    guard let evaluation = engine.evaluate(incident, at: now, fired: incidentFirings[index]) else { continue }
                    for notice in evaluation.due {
                        incidentFirings[index].append(notice.firing)
                        let reach = engine.recipients(for: notice, of: incident, at: now)
                        fired.append(notification(at: now, subject: incident.id, label: "\(notice.kind.rawValue) \(notice.step)",
                                                  source: incident.plan, reach: reach, dueAt: notice.dueAt, repeatIndex: 0, missedRepeats: 0))
                    }
                    consider(evaluation.nextDue)
                }
                steps += 1
                guard let upcoming = next, upcoming <= test.until else { break }
                guard steps < maximumSteps else {
                    runaway = upcoming
                    break
                }
                now = upcoming
            }
        }
        // KPI notices join the others in time order (at one instant, after the tickets' and incidents').
        fired = (fired + KPIWatch.run(test, engine: engine)).enumerated()
            .sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
        let failed = test.assertions.compactMap { assertion in check(assertion, in: test, engine: engine).map { (assertion, $0) } }
        let comparison = compare(expected: test.notifications, got: fired)
        return RuleTestOutcome(test: test, fired: fired, missing: comparison.missing, unexpected: comparison.unexpected,
                               differing: comparison.differing, failedAssertions: failed, runaway: runaway, steps: maximumSteps,
                               beyondCalendarData: beyond)
    }

    static func notification(at: Instant, subject: String, label: String, source: String, reach: StepRecipients,
                             dueAt: Instant, repeatIndex: Int, missedRepeats: Int) -> FiredNotification {
        var recipients: [Recipient] = []
        for delivery in reach.deliveries {
            for person in delivery.recipients { recipients.append(Recipient(person: person.person, channel: delivery.channel)) }
        }
        return FiredNotification(at: at, subject: subject, label: label, source: source, recipients: recipients, dueAt: dueAt,
                                 repeatIndex: repeatIndex, missedRepeats: missedRepeats,
                                 unreached: reach.unreached.map(\.description), fallback: reach.fallback.map { "\($0)" })
    }

    /// Nil when the assertion holds; otherwise what was found, in the words of the test format.
    static func check(_ assertion: StateAssertion, in test: CompiledRuleTest, engine: Engine) -> String? {
        let zone = engine.displayZone
        switch assertion.claim {
        case let .clock(name, state, deadline):
            guard let ticket = test.tickets.first(where: { $0.id == assertion.subject }) else { return "no such ticket" }
            let evaluation = engine.evaluate(ticket, at: assertion.at)
            guard let clock = evaluation.clocks.first(where: { $0.name == name }) else {
                return evaluation.policy.map { "policy \($0) has no clock '\(name)'" } ?? "no policy applies to \(ticket.id)"
            }
            let stateOK = state.map { $0 == clock.state } ?? true
            let deadlineOK = deadline.map { $0 == clock.deadline } ?? true
            guard !(stateOK && deadlineOK) else { return nil }
            var found = ["clock", name]
            if state != nil { found.append(clock.state.rawValue) }
            if deadline != nil { found.append("deadline " + (clock.deadline.map { RuleTestReport.time($0, zone: zone) } ?? "none")) }
            return found.joined(separator: " ")
        case let .policy(name):
            guard let ticket = test.tickets.first(where: { $0.id == assertion.subject }) else { return "no such ticket" }
            let policy = engine.evaluate(ticket, at: assertion.at).policy
            return policy == name ? nil : "policy " + (policy ?? "none")
        case let .assignee(name):
            guard let ticket = test.tickets.first(where: { $0.id == assertion.subject }) else { return "no such ticket" }
            let assignee = engine.fields(of: ticket, at: assertion.at).fields.assignee
            return assignee == name ? nil : "assignee " + (assignee ?? "none")
        case let .planStep(name, state):
            guard let incident = test.incidents.first(where: { $0.id == assertion.subject }),
                  let evaluation = engine.evaluate(incident, at: assertion.at) else { return "no such incident" }
            guard let step = evaluation.steps.first(where: { $0.name == name }) else {
                return "not part of the incident at level \(evaluation.level.rawValue)"
            }
            return step.state == state ? nil : "step \(name) \(step.state.rawValue)"
        case let .kpi(name, group, level, value):
            return KPIWatch.check(kpi: name, group: group, level: level, value: value, at: assertion.at, in: test, engine: engine)
        }
    }

    /// Pairs expectations with firings: first exact matches; then the same instant, subject and step with
    /// other recipients; then the same subject and step at another instant, in order. The rest are missing
    /// or unexpected.
    static func compare(expected: [ExpectedNotification], got: [FiredNotification])
        -> (missing: [ExpectedNotification], unexpected: [FiredNotification], differing: [(expected: ExpectedNotification, got: FiredNotification)]) {
        var openExpected = Array(expected.indices)
        var openGot = Array(got.indices)
        var differing: [(Int, Int)] = []
        func pass(_ matches: (ExpectedNotification, FiredNotification) -> Bool, differs: Bool) {
            for e in openExpected {
                guard let g = openGot.first(where: { matches(expected[e], got[$0]) }) else { continue }
                openExpected.removeAll { $0 == e }
                openGot.removeAll { $0 == g }
                if differs { differing.append((e, g)) }
            }
        }
        pass({ e, g in e.at == g.at && e.subject == g.subject && e.label == g.label
                && (e.recipients.map { Set($0) == Set(g.recipients) } ?? true) }, differs: false)
        pass({ e, g in e.at == g.at && e.subject == g.subject && e.label == g.label }, differs: true)
        pass({ e, g in e.subject == g.subject && e.label == g.label }, differs: true)
        return (openExpected.map { expected[$0] }, openGot.map { got[$0] },
                differing.sorted { $0.0 < $1.0 }.map { (expected[$0.0], got[$0.1]) })
    }
}

/// Which incident explains which ticket, decided as the daemon's store decides it: when a ticket arrives
/// (the first open incident that covers it) and when an incident is declared (the open tickets it covers).
struct IncidentLinks {
    /// Per ticket, the index of the incident that explains it.
    var incident: [Int?]
    private var ticketsSeen: Set<Int> = []
    private var incidentsSeen: Set<Int> = []

    init(tickets: Int) { incident = Array(repeating: nil, count: tickets) }

    mutating func update(_ test: CompiledRuleTest, engine: Engine, at now: Instant) {
        let declared = test.incidents.indices.filter { test.incidents[$0].openedAt <= now }
            .sorted { test.incidents[$0].openedAt < test.incidents[$1].openedAt }
        for index in declared where !incidentsSeen.contains(index) {
            incidentsSeen.insert(index)
            for (ticketIndex, ticket) in test.tickets.enumerated() where ticketsSeen.contains(ticketIndex) && incident[ticketIndex] == nil {
                guard engine.fields(of: ticket, at: now).status != "closed",
                      engine.explainingIncident(for: ticket, among: [test.incidents[index]], at: now) != nil else { continue }
                incident[ticketIndex] = index
            }
        }
        for (index, ticket) in test.tickets.enumerated() where ticket.createdAt <= now && !ticketsSeen.contains(index) {
            ticketsSeen.insert(index)
            let open = declared.map { test.incidents[$0] }
            if let explaining = engine.explainingIncident(for: ticket, among: open, at: now) {
                incident[index] = test.incidents.firstIndex { $0.id == explaining.id }
            }
        }
    }
}
