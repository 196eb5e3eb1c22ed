/// How measures and values are written in rules, for messages, reports and the docs.
extension KPIMeasure {
    /// The measure as written after `measure`: `on-time complete`, `p90 working-time-to feedback`.
    public var syntax: String {
        switch self {
        case let .onTime(clock): "on-time \(clock)"
        case let .timeTo(clock, percentile, workingTime):
            "\(percentile == 50 ? "median" : "p\(percentile)") \(workingTime ? "working-time-to" : "time-to") \(clock)"
        case .resolutionRate: "resolution-rate"
        case .satisfaction: "satisfaction"
        case let .satisfiedShare(atLeast): atLeast == 4 ? "satisfied-share" : "satisfied-share at-least \(atLeast)"
        case .repeatRate: "repeat-rate"
        case .revisitRate: "revisit-rate"
        case .per100Households: "per-100-households"
        case .open: "open"
        case .overdue: "overdue"
        case let .backlog(seconds): "backlog older-than \(Duration(seconds: seconds))"
        }
    }

    /// The clock the measure is about, if any.
    public var clock: String? {
        switch self {
        case let .onTime(clock), let .timeTo(clock, _, _): clock
        default: nil
        }
    }

    /// Whether the measure counts working time (and so needs business hours and a calendar).
    public var isWorkingTime: Bool {
        if case .timeTo(_, _, true) = self { return true }
        return false
    }
}

extension KPIUnit {
    /// A value of this unit as rules write it: `93%`, `93.5%`, `24h`, `4.8`, `5`.
    public func text(_ value: Double) -> String {
        switch self {
        case .share: Self.decimal(value * 100) + "%"
        case .seconds: Duration(seconds: Int(value.rounded())).description
        case .score, .rate, .count: Self.decimal(value)
        }
    }

    /// How a value of this unit is written, for hints.
    public var example: String {
        switch self {
        case .share: "a percentage such as 93% or 93.5%"
        case .seconds: "a duration such as 24h or 90m"
        case .score: "a score from 1 to 5 such as 4.8"
        case .rate: "a number of tickets per 100 households such as 5 or 2.5"
        case .count: "a whole number of tickets such as 20"
        }
    }

    /// Up to two decimals, without trailing zeros: 93, 93.5, 4.75.
    static func decimal(_ value: Double) -> String {
        let hundredths = (value * 100).rounded()
        let whole = Int(hundredths / 100)
        let fraction = Int(abs(hundredths).truncatingRemainder(dividingBy: 100))
        if fraction == 0 { return String(whole) }
        let digits = fraction % 10 == 0 ? String(fraction / 10) : (fraction < 10 ? "0\(fraction)" : String(fraction))
        return (hundredths < 0 && whole == 0 ? "-" : "") + "\(whole).\(digits)"
    }
}
