/// A service indicator the company measures itself by (`kpi NAME "标题" { … }`, docs/kpi.md): one
/// measure from a fixed set, over the tickets a `when` selects, over a window, per group, with the line
/// that warns and the promise that is breached, and who is told.
///
///     kpi repair-24h "维修24小时完成率" {
///       measure on-time complete          # share of clock `complete` met (see KPIMeasure)
///       when kind = repair                # the same conditions as a policy's `when`; optional
///       over 30d                          # 7d | 30d | …: rolling; `month` | `week`: calendar; default 30d
///       by site                           # site | team | assignee; optional: the whole company only
///       target at-least 93%               # the promise: worse than it is breached (red)
///       warn below 95%                    # optional early warning (amber), on the safe side of the target
///       clear at 96%                      # optional hysteresis for the all-clear
///       min sample 20                     # optional: fewer tickets or visits than this is `no-data`
///       notify manager via ops every 1d   # who is told when it crosses, and how often it repeats
///       team desk                         # whose manager/supervisor `notify` means (default: the group's team)
///       calendar cn                       # for `month`/`week` and working-time measures (default: the only one)
///       source "《物业服务标准》5.2"        # where the indicator and its target come from
///     }
public struct KPI: Sendable, Hashable {
    public let name: String
    public var title: String?
    public var measure: KPIMeasure
    public var match: MatchExpression = .always
    public var window: KPIWindow = .rolling(days: 30)
    public var grouping: KPIGrouping?
    /// The promise; worse than it is `breached`.
    public var target: KPILine?
    /// The early-warning line; worse than it (and not past the target) is `warning`.
    public var warn: KPILine?
    /// The all-clear needs the value back past this (hysteresis); nil: the crossed line itself, by one
    /// unit of its measure (one percentage point, one minute, 0.1 of a score, one ticket).
    public var clearAt: Double?
    /// `min sample N`: a group (or the whole company) whose sample is below N is `no-data`, so it never
    /// warns; its value is still computed and shown. Nil: any sample of one or more is judged.
    public var minSample: Int?
    public var notice: KPINotice?
    public var team: String?
    /// Filled in by the checker when the rules have exactly one calendar (or the working-time hours name one).
    public var calendar: String?
    /// The business hours a working-time measure counts in (`… working-time-to CLOCK using HOURS`, or
    /// the only hours of the KPI's calendar); nil for every other measure.
    public var hours: String?
    public var source: String?
    public let location: SourceRange

    public init(name: String, title: String? = nil, measure: KPIMeasure, location: SourceRange) {
        self.name = name
        self.title = title
        self.measure = measure
        self.location = location
    }

    /// Whether the lines hold for each group only: a count (`open`, `overdue`, `backlog`) grouped `by`
    /// something, whose line is per site, team or person. The whole company's total is shown but neither
    /// judged against the line nor warned about.
    public var linesApplyToGroups: Bool { grouping != nil && measure.unit == .count }

    /// Whether a higher value is better: from the target's or warning line's direction.
    public var higherIsBetter: Bool { (target ?? warn)?.higherIsBetter ?? measure.higherIsBetter }
}

/// The fixed set of measures (docs/kpi.md lists each with its exact definition).
public enum KPIMeasure: Sendable, Hashable {
    /// `on-time CLOCK`: of the tickets whose CLOCK stopped or ran out in the window, the share that met it.
    case onTime(clock: String)
    /// `median time-to CLOCK`, `p90 working-time-to CLOCK`: the percentile (50 or 90) of the time from
    /// the clock's start to its stop, for clocks stopped in the window; wall time, or working time of
    /// the KPI's calendar (调休 included).
    case timeTo(clock: String, percentile: Int, workingTime: Bool)
    /// `resolution-rate`: of the tickets created in the window, the share resolved (or closed) by now.
    case resolutionRate
    /// `satisfaction`: the average return-visit score (1–5) of visits in the window.
    case satisfaction
    /// `satisfied-share [at-least N]`: the share of return-visit scores of at least N (default 4).
    case satisfiedShare(atLeast: Int)
    /// `repeat-rate`: of the tickets created in the window, the share that repeat an earlier one.
    case repeatRate
    /// `revisit-rate`: of the tickets resolved in the window, the share that had a return visit.
    case revisitRate
    /// `per-100-households`: tickets created in the window per 100 households of their sites.
    case per100Households
    /// `open`: tickets open now.
    case open
    /// `overdue`: tickets open now with a clock past its deadline.
    case overdue
    /// `backlog older-than 3d`: tickets open now created longer ago than the age.
    case backlog(olderThanSeconds: Int)

    /// Whether the sample is a count of observations the value is a share or an average of (tickets,
    /// clocks, visits), so that a small one makes the value unreliable (`min sample`). Not for `open`,
    /// `overdue` and `backlog`, whose value is the count itself, nor `per-100-households`, whose sample is
    /// its numerator (few complaints is the good news, not a doubt).
    public var hasSample: Bool {
        switch self {
        case .onTime, .timeTo, .resolutionRate, .satisfaction, .satisfiedShare, .repeatRate, .revisitRate: true
        case .per100Households, .open, .overdue, .backlog: false
        }
    }

    /// The natural direction when no line states one.
    public var higherIsBetter: Bool {
        switch self {
        case .onTime, .resolutionRate, .satisfaction, .satisfiedShare, .revisitRate: true
        case .timeTo, .repeatRate, .per100Households, .open, .overdue, .backlog: false
        }
    }

    public var unit: KPIUnit {
        switch self {
        case .onTime, .resolutionRate, .satisfiedShare, .repeatRate, .revisitRate: .share
        case .timeTo: .seconds
        case .satisfaction: .score
        case .per100Households: .rate
        case .open, .overdue, .backlog: .count
        }
    }
}

/// How a value is written and shown: a share 0…1 as `93%`, seconds as `24h`, a score `4.8`, a count.
public enum KPIUnit: String, Sendable, Hashable, Codable {
    case share, seconds, score, rate, count
}

public enum KPIWindow: Sendable, Hashable {
    /// The last N days up to now.
    case rolling(days: Int)
    /// The calendar month (or ISO week, Monday first) containing now, in the KPI's calendar's time zone.
    case month, week
}

public enum KPIGrouping: String, Sendable, Hashable, Codable {
    case site, team, assignee
}

/// `at-least 93%` / `below 95%` and their mirror images: a value and its good side.
public struct KPILine: Sendable, Hashable {
    /// In the measure's unit: a share as 0…1, a time in seconds.
    public var value: Double
    /// `target at-least` / `warn below`: higher is better. `target at-most` / `warn above`: lower is.
    public var higherIsBetter: Bool

    public init(value: Double, higherIsBetter: Bool) {
        self.value = value
        self.higherIsBetter = higherIsBetter
    }

    /// Whether `value` lies on the bad side of the line.
    public func isCrossed(by observed: Double) -> Bool { higherIsBetter ? observed < value : observed > value }
}

/// `notify manager via ops every 1d`.
public struct KPINotice: Sendable, Hashable {
    public var targets: [NotifyTarget]
    public var channels: [String]
    /// How often the warning repeats while the group stays across; nil: once.
    public var repeatEvery: Duration?

    public init(targets: [NotifyTarget], channels: [String], repeatEvery: Duration? = nil) {
        self.targets = targets
        self.channels = channels
        self.repeatEvery = repeatEvery
    }
}
