import SLAEngine
import SLARules

/// The period a KPI report covers, as people ask for it: a calendar month (`2026-11`) or whole days
/// (`2026-11-01` through `2026-11-30`). One parser for `slad report` and `/v1/reports/kpi`; the messages
/// name the option or parameter as the caller spells it.
public enum KPIReportPeriod: Sendable, Hashable {
    case month(year: Int, month: Int)
    case days(DayDate, DayDate)

    /// `names` spells the three inputs: `("--period", "--from", "--to")` or `("period", "from", "to")`.
    public static func parse(period: String?, from: String?, to: String?,
                             names: (period: String, from: String, to: String)) -> Result<KPIReportPeriod, Refusal> {
        switch (period, from, to) {
        case let (month?, nil, nil):
            let parts = month.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let number = Int(parts[1]),
                  (1...12).contains(number) else {
                return .failure(Refusal(field: names.period, message: "\(names.period): '\(month)' is not a month; write YYYY-MM, for example 2026-11 (or use \(names.from) and \(names.to) for days)"))
            }
            // Days are 1900-01-01 to 9999-12-31 (DayDate); a month's period runs to the next month's first day.
            guard DayDate(year: year, month: number, day: 1) != nil,
                  DayDate(year: number == 12 ? year + 1 : year, month: number == 12 ? 1 : number + 1, day: 1) != nil else {
                return .failure(Refusal(field: names.period, message: "\(names.period): '\(month)' is outside the months slad reports, 1900-01 to 9999-11"))
            }
            return .success(.month(year: year, month: number))
        case let (nil, first?, last?):
            guard let start = DayDate(first) else {
                return .failure(Refusal(field: names.from, message: "\(names.from): '\(first)' is not a date; write YYYY-MM-DD, for example 2026-11-01"))
            }
            guard let end = DayDate(last) else {
                return .failure(Refusal(field: names.to, message: "\(names.to): '\(last)' is not a date; write YYYY-MM-DD, for example 2026-11-30"))
            }
            guard start <= end else {
                return .failure(Refusal(field: names.to, message: "\(names.to) \(last) is before \(names.from) \(first); the period runs from \(names.from) through \(names.to), both included"))
            }
            return .success(.days(start, end))
        case (nil, nil, nil):
            return .failure(Refusal(field: names.period, message: "say which period to report: \(names.period) 2026-11 (a month) or \(names.from) 2026-11-01 \(names.to) 2026-11-30"))
        case (_?, _, _):
            return .failure(Refusal(field: names.period, message: "\(names.period) and \(names.from)/\(names.to) exclude each other: give a month with \(names.period), or days with \(names.from) and \(names.to)"))
        default:
            return .failure(Refusal(field: from == nil ? names.from : names.to, message: "\(names.from) and \(names.to) go together: \(names.from) 2026-11-01 \(names.to) 2026-11-30 (both days included)"))
        }
    }

    public func period(in zone: ZoneTable) -> KPIPeriod {
        switch self {
        case let .month(year, month): KPIPeriod.month(year: year, month: month, zone: zone)!
        case let .days(first, last): KPIPeriod.days(from: first, through: last, zone: zone)!
        }
    }

    public struct Refusal: Error, Sendable, Hashable {
        public let field: String
        public let message: String
    }
}
