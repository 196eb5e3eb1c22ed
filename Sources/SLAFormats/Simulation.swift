import SLAEngine
import SLARules

/// `slad simulate`: replays a history through the rules on virtual time, writes every escalation that would
/// have fired, and sums up each policy. Pure: output goes to the caller's sinks in chunks.
public struct Simulation {
    public enum Format: String, Sendable, CaseIterable {
        case table, csv, jsonl
    }

    public struct Options: Sendable {
        public var format: Format = .table
        /// The last instant to replay; nil means each ticket's last event plus `horizon`.
        public var until: Instant?
        /// Seconds after a ticket's last event that its replay looks ahead, when `until` is nil.
        public var horizon = 30 * 86_400
        /// The zone in which times are shown; nil means the rules' display zone.
        public var zone: ZoneTable?
        /// Write only the summary, not every escalation.
        public var summaryOnly = false
        /// The history file's name, for the summary.
        public var source = ""

        public init() {}
    }

    public let engine: Engine
    public let options: Options
    let zone: ZoneTable
    /// Policies by name, for each fired step's targets and channels.
    let policies: [String: Policy]

    public init(engine: Engine, options: Options) {
        self.engine = engine
        self.options = options
        zone = options.zone ?? engine.displayZone
        policies = Dictionary(engine.rules.policies.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Replays every ticket of `input`: escalations go to `output` (a chunk at a time), the summary to
    /// `output` for a table and JSON Lines and to `summaryOutput` for CSV, so that the CSV stays one table.
    @discardableResult
    public func run(_ input: SimulationInput, output: ([UInt8]) -> Void, summaryOutput: ([UInt8]) -> Void) -> SimulationSummary {
        var writer = SimulationWriter(format: options.format, zone: zone, rules: engine.rules,
                                      ticketWidth: input.tickets.reduce(6) { max($0, $1.ticket.id.utf8.count) })
        var summary = SimulationSummary(rules: engine.rules, input: input, source: options.source)
        if !options.summaryOnly { writer.header() }
        var cache: [RecipientsKey: [UInt8]] = [:]
        // Tickets that arrive without an assignee are routed as the daemon would route them, in creation order.
        let routed = engine.hasRoutes ? RouteLedger.route(input.tickets.map(\.ticket), engine: engine).map(\.ticket) : nil
        for (position, (arrived, line)) in input.tickets.enumerated() {
            let ticket = routed?[position] ?? arrived
            let horizon = options.until ?? (ticket.events.last?.at ?? ticket.createdAt) + options.horizon
            guard ticket.createdAt <= horizon else {
                summary.afterUntil.add("created after --until", line: line)
                continue
            }
            let replay = engine.replay(ticket, until: horizon, withRecipients: false)
            summary.add(replay, line: line)
            guard !options.summaryOnly else { continue }
            for fired in replay.fired {
                let step = fired.step
                let text: [UInt8]
                let assignee = Self.assignee(of: ticket, at: fired.at)
                let key = RecipientsKey(policy: step.firing.policy, step: step.stepIndex, assignee: assignee)
                if let cached = cache[key] {
                    text = cached
                } else {
                    let policy = policies[step.firing.policy]
                    let rung = policy.flatMap { $0.steps.indices.contains(step.stepIndex) ? $0.steps[step.stepIndex] : nil }
                    let recipients = engine.recipients(targets: rung?.targets ?? [], channels: rung?.channels ?? [],
                                                       assignee: assignee, policyTeam: policy?.team, at: fired.at)
                    text = writer.recipientsText(recipients, step: step, rung: rung)
                    // Whoever is on duty in a roster changes with the instant: such steps are not kept.
                    if !(rung?.targets.contains { if case .roster = $0 { return true }; return false } ?? false) {
                        cache[key] = text
                    }
                }
                writer.escalation(at: fired.at, step: step, ticket: ticket.id, recipients: text)
            }
            if writer.buffer.count >= 1 << 16 {
                output(writer.buffer)
                writer.buffer.removeAll(keepingCapacity: true)
            }
        }
        if options.format == .csv {
            output(writer.buffer)
            writer.buffer.removeAll(keepingCapacity: true)
            var text = SimulationWriter(format: .table, zone: zone, rules: engine.rules, ticketWidth: 6)
            text.summary(summary, separated: false)
            summaryOutput(text.buffer)
        } else {
            writer.summary(summary, separated: !options.summaryOnly)
            output(writer.buffer)
        }
        return summary
    }
}

extension Simulation {
    struct RecipientsKey: Hashable {
        let policy: String
        let step: Int
        let assignee: String?
    }

    /// The ticket's assignee at an instant, as the engine replays it: the field, changed by `assigned`
    /// and `regraded` events.
    static func assignee(of ticket: Ticket, at instant: Instant) -> String? {
        var assignee = ticket.fields.assignee
        for event in ticket.events {
            guard event.at <= instant else { break }
            if event.kind == .assigned, let name = event.changes?["assignee"] { assignee = name }
            if event.kind == .regraded, let name = event.changes?["assignee"] { assignee = name.isEmpty ? nil : name }
        }
        return assignee
    }
}

/// What a simulation adds up: per policy, its tickets, escalations and how each clock ended.
public struct SimulationSummary: Sendable {
    public struct ClockCount: Sendable, Equatable {
        public let name: String
        public let title: String?
        /// Tickets whose clock started.
        public var started = 0
        /// Stopped within the limit.
        public var met = 0
        /// Ran out: stopped late, or still running past the deadline at the end.
        public var breached = 0
        /// Still running (or paused) within the limit at the end of the replay.
        public var open = 0

        /// The share of finished clocks kept within the limit; nil when none finished.
        public var kept: Double? { met + breached == 0 ? nil : Double(met) / Double(met + breached) }
    }

    public struct PolicyCount: Sendable, Equatable {
        public let name: String
        public let title: String?
        /// Tickets whose policy at the end of the replay is this one.
        public var tickets = 0
        /// Escalations fired under this policy.
        public var escalations = 0
        public var late = 0
        public var clocks: [ClockCount]
    }

    public let source: String
    public var policies: [PolicyCount]
    /// Tickets that no policy matched.
    public var unmatched = 0
    public var replayed = 0
    public var escalations = 0
    public var late = 0
    public var evaluations = 0
    public let rows: Int
    public let rejected: RowTally
    public let skipped: RowTally
    public let dropped: RowTally
    /// Tickets created after `--until`, and replays cut short by a step repeating without end.
    public var afterUntil = RowTally()
    public var cutShort = RowTally()
    /// With a `repeats` block: how many tickets of the input repeat an earlier one (`RepeatMarker`).
    public let repeats: Int?
    private let policyIndex: [String: Int]

    init(rules: RuleSet, input: SimulationInput, source: String) {
        self.source = source
        policies = rules.policies.map { policy in
            PolicyCount(name: policy.name, title: policy.title,
                        clocks: policy.clocks.map { ClockCount(name: $0.name, title: $0.title) })
        }
        policyIndex = Dictionary(rules.policies.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        rows = input.rows
        rejected = input.rejected
        skipped = input.skipped
        dropped = input.dropped
        repeats = rules.repeats.map { settings in
            RepeatMarker.repeats(in: input.tickets.map(\.ticket), within: settings.withinSeconds).reduce(0) { $0 + ($1 == nil ? 0 : 1) }
        }
    }

    public func policy(_ name: String) -> PolicyCount? { policyIndex[name].map { policies[$0] } }

    mutating func add(_ replay: Replay, line: Int) {
        replayed += 1
        evaluations += replay.evaluations
        if replay.isCutShort { cutShort.add("replay cut short after \(replay.evaluations) evaluations", line: line) }
        let finalIndex = replay.final.policy.flatMap { policyIndex[$0] }
        for fired in replay.fired {
            escalations += 1
            if fired.step.isLate { late += 1 }
            // Nearly always the ticket's final policy: compare before hashing.
            let index = fired.step.firing.policy == replay.final.policy ? finalIndex : policyIndex[fired.step.firing.policy]
            if let index {
                policies[index].escalations += 1
                if fired.step.isLate { policies[index].late += 1 }
            }
        }
        guard let index = finalIndex else {
            unmatched += 1
            return
        }
        policies[index].tickets += 1
        for (clockIndex, clock) in replay.final.clocks.enumerated() where clockIndex < policies[index].clocks.count {
            guard clock.state != .pending else { continue }
            policies[index].clocks[clockIndex].started += 1
            switch clock.state {
            case .met: policies[index].clocks[clockIndex].met += 1
            case .breached: policies[index].clocks[clockIndex].breached += 1
            case .running, .paused: policies[index].clocks[clockIndex].open += 1
            case .pending: break
            }
        }
    }
}
