import SLAClassify
import SLARules

/// The SLA engine: a pure function of the rule set, a ticket with its history, what has already fired,
/// and `now`. The daemon, `slad simulate`, `slad test` and `slad explain` all call `evaluate`.
public struct Engine: Sendable {
    public let rules: RuleSet
    let policies: [CompiledPolicy]
    /// Every policy's `when` and `pause while`, compiled.
    let matchProgram: MatchProgram
    /// Each policy's `when` in `matchProgram`, in policy order.
    let policyRoots: [Range<Int32>]
    /// Which policies can match a ticket of each kind.
    let kindDispatch: KindDispatch
    let workingTimes: [String: WorkingTime]
    let zones: [String: ZoneTable]
    /// The zone used to show instants to people: the first calendar's, or Asia/Shanghai.
    public let displayZone: ZoneTable
    let quietWindows: [QuietSchedule]
    /// Policy indexes by name, for finding a fired step's policy.
    let policyIndexByName: [String: Int]
    /// The team each person belongs to (the first by name when several), for supervisors and managers.
    let teamOfMember: [String: String]
    /// The routes, compiled (Routing/).
    let router: Router

    public enum Failure: Error, CustomStringConvertible {
        case unknownTimeZone(String, owner: String)

        public var description: String {
            switch self {
            case let .unknownTimeZone(zone, owner): "\(owner): time zone '\(zone)' is not in this system's zone data"
            }
        }
    }

    public init(rules: RuleSet) throws(Failure) {
        self.rules = rules
        var zones: [String: ZoneTable] = [:]
        func zone(_ identifier: String, owner: String) throws(Failure) -> ZoneTable {
            if let table = zones[identifier] { return table }
            guard let table = ZoneTable(identifier: identifier) else { throw .unknownTimeZone(identifier, owner: owner) }
            zones[identifier] = table
            return table
        }
        var workingTimes: [String: WorkingTime] = [:]
        for (name, hours) in rules.hours.sorted(by: { $0.key < $1.key }) {
            guard let calendar = rules.calendars[hours.calendar] else { continue }
            let table = try zone(calendar.timeZone, owner: "calendar \(calendar.name)")
            workingTimes[name] = WorkingTime(hours: hours, calendar: calendar, zone: table)
        }
        for roster in rules.rosters.values.sorted(by: { $0.name < $1.name }) {
            _ = try zone(roster.timeZone, owner: "roster \(roster.name)")
        }
        for window in rules.quietWindows {
            _ = try zone(window.timeZone, owner: "quiet window \(window.name)")
        }
        let firstCalendar = rules.calendars.values.sorted { $0.location.file == $1.location.file ? $0.location.start < $1.location.start : $0.location.file < $1.location.file }.first
        displayZone = try zone(firstCalendar?.timeZone ?? "Asia/Shanghai", owner: "display")
        self.zones = zones
        self.workingTimes = workingTimes
        let quiet = Self.compileQuiet(rules, zones: zones)
        quietWindows = quiet
        var program = MatchProgram()
        policyRoots = rules.policies.map { program.add($0.match) }
        kindDispatch = KindDispatch(rules.policies.map(\.match))
        policies = rules.policies.map { policy in
            CompiledPolicy(policy, workingTimes: workingTimes, quiet: quiet.filter { $0.policies.contains(policy.name) },
                           pauseRoot: policy.pause.map { program.add($0) })
        }
        matchProgram = program
        policyIndexByName = Dictionary(rules.policies.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        var teamOfMember: [String: String] = [:]
        for team in rules.teams.values.sorted(by: { $0.name < $1.name }) {
            for member in team.members where teamOfMember[member] == nil { teamOfMember[member] = team.name }
        }
        self.teamOfMember = teamOfMember
        router = Router(rules.routes)
    }

    /// The working time of a business-hours definition, by name.
    public func workingTime(_ hours: String) -> WorkingTime? { workingTimes[hours] }

    /// The keys of a policy's escalation steps in ladder order, as `Firing.step` holds them
    /// (`respond - 30m`, `75% of feedback`); nil for an unknown policy.
    public func stepKeys(ofPolicy name: String) -> [String]? {
        policies.first { $0.policy.name == name }?.stepKeys
    }

    /// The zone table of an IANA identifier used by the rules.
    public func zone(_ identifier: String) -> ZoneTable? { zones[identifier] }

    /// The index of the first policy that matches, given the ticket's fields and status.
    func policyIndex(fields: TicketFields, status: String) -> Int? {
        matchProgram.firstMatch(policyRoots, among: kindDispatch.candidates(for: fields.kind), fields: fields, status: status)
    }

    /// Whether the policy's clocks stand still: while its `pause while` condition holds, and during an
    /// operator's plain pause (a `paused` event without a reason). A pause with a reason the policy does
    /// not name (or a policy with no `pause while`) leaves the clocks running.
    @inline(__always)
    func isPaused(_ compiled: CompiledPolicy, fields: TicketFields, status: String) -> Bool {
        if status == "paused" { return true }
        guard let code = compiled.pauseRoot else { return false }
        return matchProgram.matches(code, fields: fields, status: status)
    }
}

/// A policy with what the engine needs precomputed: each clock's measure and each step's key. A class, so
/// that handing it around an evaluation costs one retain rather than a copy of every array.
final class CompiledPolicy: Sendable {
    let policy: Policy
    /// Per clock: the working time it counts in, or nil for wall time.
    let measures: [WorkingTime?]
    /// The policy's `pause while`, compiled in the engine's `matchProgram`.
    let pauseRoot: Range<Int32>?
    /// Whether `pause while` looks at any field but the status (then the clocks replay the fields too).
    let pauseUsesFields: Bool
    /// Per clock: what replaying it needs.
    let plans: [ClockPlan]
    let clockNames: [String]
    let clockTitles: [String?]
    /// Per step: the event that ends its repeats, when it repeats.
    let stepRepeatUntil: [EventKind?]
    /// Per step: the index of its clock.
    let stepClocks: [Int]
    /// Per step: a key stable across rule edits that do not touch the step.
    let stepKeys: [String]
    /// Per step: whether a quiet window may hold it.
    let stepHoldable: [Bool]
    /// Per step: when it falls due, relative to its clock.
    let stepTimes: [CompiledStep]
    /// Per step: the clock's name as the step names it.
    let stepClockNames: [String]

    /// The quiet windows that name this policy (usually none), found once rather than per evaluation.
    let quiet: [QuietSchedule]

    init(_ policy: Policy, workingTimes: [String: WorkingTime], quiet: [QuietSchedule] = [], pauseRoot: Range<Int32>?) {
        self.policy = policy
        self.pauseRoot = pauseRoot
        self.quiet = quiet
        measures = policy.clocks.map { clock in
            switch clock.limit {
            case .wall: nil
            case let .workingTime(_, hours), let .workingDays(_, hours), let .endOfWorkingDay(hours): workingTimes[hours]
            }
        }
        pauseUsesFields = policy.pause.map(Self.usesFields) ?? false
        plans = zip(policy.clocks, measures).map { ClockPlan($0, measure: $1) }
        clockNames = policy.clocks.map(\.name)
        clockTitles = policy.clocks.map(\.title)
        stepRepeatUntil = policy.steps.map { $0.repeating.map { EventKind($0.until) } }
        stepClocks = policy.steps.map { step in policy.clocks.firstIndex { $0.name == step.at.clock } ?? 0 }
        var seen: [String: Int] = [:]
        stepKeys = policy.steps.map { step in
            let base = step.at.description
            let count = seen[base, default: 0]
            seen[base] = count + 1
            return count == 0 ? base : "\(base) #\(count + 1)"
        }
        stepHoldable = policy.steps.map { !$0.isUrgent }
        stepTimes = policy.steps.map(CompiledStep.init)
        stepClockNames = policy.steps.map(\.at.clock)
    }
}

extension CompiledPolicy {
    static func usesFields(_ expression: MatchExpression) -> Bool {
        switch expression {
        case .always: false
        case let .comparison(field, _, _): field != .status
        case .textContains: true
        case let .and(left, right), let .or(left, right): usesFields(left) || usesFields(right)
        case let .not(inner): usesFields(inner)
        }
    }
}

/// When a step falls due and how it repeats, without the strings of `EscalationStep`.
struct CompiledStep: Sendable {
    /// Seconds after the deadline (`at respond - 30m` is -1800); used when `percent` is nil.
    let offset: Int
    /// `at 75% of feedback`.
    let percent: Int?
    /// Seconds between repeats; 0 when the step does not repeat.
    let every: Int
    /// The highest repeat index (the first firing is 0).
    let maxRepeat: Int

    init(_ step: EscalationStep) {
        switch step.at {
        case let .offset(_, seconds): offset = seconds; percent = nil
        case let .share(_, share): offset = 0; percent = share
        }
        if let repeating = step.repeating {
            every = max(repeating.every.seconds, 1)
            maxRepeat = (repeating.limit ?? Int.max) - 1
        } else {
            every = 0
            maxRepeat = 0
        }
    }
}

/// Evaluates match expressions straight against a ticket's fields, without building a dictionary.
enum FieldMatcher {
    static func matches(_ expression: MatchExpression, fields: TicketFields, status: String) -> Bool {
        switch expression {
        case .always:
            return true
        case let .comparison(field, isNegated, values):
            let hit: Bool
            switch field {
            case .tags: hit = fields.tags.contains { values.contains($0) }
            case .status: hit = values.contains(status)
            default:
                if let value = fields.value(of: field) { hit = values.contains(value) } else { hit = false }
            }
            return hit != isNegated
        case let .textContains(keywords):
            let text = TextNormalizer.normalize(fields.text ?? "")
            return keywords.contains { text.contains($0) }
        case let .and(left, right):
            return matches(left, fields: fields, status: status) && matches(right, fields: fields, status: status)
        case let .or(left, right):
            return matches(left, fields: fields, status: status) || matches(right, fields: fields, status: status)
        case let .not(inner):
            return !matches(inner, fields: fields, status: status)
        }
    }
}
