import SLARules

/// A KPI group that is across its line: what the daemon stores per (kpi, group) between refreshes.
public struct KPIAlarmState: Sendable, Hashable {
    /// `warning` or `breached`: the worst level reached since the alarm opened (it never steps down
    /// until the all-clear, so a value hovering between the lines does not send notice after notice).
    public var level: KPILevel
    /// Which alarm of this group this is (1, 2, …): part of each notice's identity, so that a notice is
    /// sent once per alarm however often the daemon restarts.
    public var sequence: Int
    public var since: Instant
    public var lastSent: Instant
    /// Notices sent in this alarm: the first, escalations and repeats.
    public var sent: Int
    public var lastValue: Double?

    public init(level: KPILevel, sequence: Int, since: Instant, lastSent: Instant, sent: Int, lastValue: Double?) {
        self.level = level
        self.sequence = sequence
        self.since = since
        self.lastSent = lastSent
        self.sent = sent
        self.lastValue = lastValue
    }
}

/// What to tell people about a KPI group.
public enum KPIAlarmNotice: Sendable, Hashable {
    /// Crossed a line: first into `warning` or `breached`, or on from warning to breached.
    case entered(KPILevel)
    /// Still across after the notice's `every`.
    case repeated(KPILevel)
    /// Back on the good side, past the clear line.
    case cleared
}

/// The warning rules for one KPI group, pure: given the stored alarm (nil: none open) and the group's
/// value now, the alarm to store and the notice to send, if any.
///
/// - A notice on opening (value across `warn` or `target`), one on getting worse (warning → breached),
///   repeats every `notice.repeatEvery` while open, and the all-clear once the value is past the clear
///   line: `clearAt`, or the line it crossed first moved one unit to the good side (hysteresis).
/// - No data (no ticket in the window) changes nothing: an open alarm stays open, silent.
public enum KPIAlarm {
    public static func next(kpi: KPI, value: KPIGroupValue, state: KPIAlarmState?, previousSequence: Int = 0,
                            now: Instant) -> (state: KPIAlarmState?, notice: KPIAlarmNotice?) {
        guard let observed = value.value, value.level != .noData else { return (state, nil) }
        let level = self.level(kpi: kpi, observed)
        guard var alarm = state else {
            guard level == .warning || level == .breached else { return (nil, nil) }
            return (KPIAlarmState(level: level, sequence: previousSequence + 1, since: now, lastSent: now, sent: 1, lastValue: observed),
                    .entered(level))
        }
        alarm.lastValue = observed
        if level == .breached, alarm.level == .warning {
            alarm.level = .breached
            alarm.lastSent = now
            alarm.sent += 1
            return (alarm, .entered(.breached))
        }
        if level == .ok, isClear(kpi: kpi, observed) { return (nil, .cleared) }
        if let every = kpi.notice?.repeatEvery, now - alarm.lastSent >= every.seconds {
            alarm.lastSent = now
            alarm.sent += 1
            return (alarm, .repeated(alarm.level))
        }
        return (alarm, nil)
    }

    /// The values a KPI's warnings watch: the whole company and each group, or only the groups when
    /// its lines are per group (`KPI.linesApplyToGroups`). None without a line.
    public static func watched(_ kpi: KPI, overall: KPIGroupValue, groups: [KPIGroupValue]) -> [KPIGroupValue] {
        guard kpi.target != nil || kpi.warn != nil else { return [] }
        return kpi.linesApplyToGroups ? groups : [overall] + groups
    }

    /// The level of a value against the KPI's lines: breached past the target, warning past the warning
    /// line, else ok.
    public static func level(kpi: KPI, _ observed: Double) -> KPILevel {
        if let target = kpi.target, target.isCrossed(by: observed) { return .breached }
        if let warn = kpi.warn, warn.isCrossed(by: observed) { return .warning }
        return .ok
    }

    /// Past the clear line: `clearAt`, or the outermost line (warn, else target) one unit to the good side.
    public static func isClear(kpi: KPI, _ observed: Double) -> Bool {
        let higherIsBetter = kpi.higherIsBetter
        let line: Double
        if let clearAt = kpi.clearAt {
            line = clearAt
        } else if let crossed = kpi.warn ?? kpi.target {
            line = crossed.value + (higherIsBetter ? margin(kpi.measure.unit) : -margin(kpi.measure.unit))
        } else {
            return true
        }
        return higherIsBetter ? observed >= line : observed <= line
    }

    /// One unit of a measure: a percentage point, a minute, a tenth of a score or rate, one ticket.
    public static func margin(_ unit: KPIUnit) -> Double {
        switch unit {
        case .share: 0.01
        case .seconds: 60
        case .score, .rate: 0.1
        case .count: 1
        }
    }
}

extension KPIAlarmNotice {
    /// The notice's name as a step in the firing log, the outbox and rule tests: `warning`, `breached`,
    /// `repeat-warning`, `repeat-breached` or `cleared`.
    public var step: String {
        switch self {
        case let .entered(level): level.rawValue
        case let .repeated(level): "repeat-\(level.rawValue)"
        case .cleared: "cleared"
        }
    }

    /// Every step name a notice can have.
    public static let steps = ["warning", "breached", "repeat-warning", "repeat-breached", "cleared"]
}

extension Engine {
    /// Who a KPI's notice about `group` reaches at `instant`: the `notify` targets, with "manager" and
    /// "supervisor" those of the group's team (`by team`), else of the KPI's `team`; with `by assignee`,
    /// "assignee" is the group's person. Nil when the KPI has no `notify`.
    public func recipients(forKPI kpi: KPI, group: String?, at instant: Instant) -> StepRecipients? {
        guard let notice = kpi.notice else { return nil }
        return recipients(targets: notice.targets, channels: notice.channels,
                          assignee: kpi.grouping == .assignee ? group : nil,
                          policyTeam: kpi.grouping == .team ? group ?? kpi.team : kpi.team, at: instant)
    }
}
