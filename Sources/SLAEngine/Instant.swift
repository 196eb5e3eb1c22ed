import SLARules

/// A point in time: whole seconds since 1970-01-01T00:00:00Z. The engine never reads the wall clock;
/// every instant comes from the caller (the daemon's clock, a rule test's virtual time, a replayed history).
public struct Instant: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var seconds: Int

    public init(seconds: Int) { self.seconds = seconds }

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.seconds < rhs.seconds }
    public static func + (lhs: Instant, rhs: Int) -> Instant { Instant(seconds: lhs.seconds + rhs) }
    public static func - (lhs: Instant, rhs: Int) -> Instant { Instant(seconds: lhs.seconds - rhs) }
    public static func - (lhs: Instant, rhs: Instant) -> Int { lhs.seconds - rhs.seconds }

    public init(from decoder: any Decoder) throws {
        seconds = try decoder.singleValueContainer().decode(Int.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(seconds)
    }

    /// ISO 8601 in UTC: `2025-09-26T09:00:00Z`.
    public var description: String { LocalTime.format(self, offset: 0) }
}

/// Date and time-of-day arithmetic on local wall time, without Foundation's calendars (they are far too
/// slow for a million evaluations a second). Offsets come from a `ZoneTable`.
public enum LocalTime {
    /// The local calendar day number (days since 1970-01-01) of an instant at a UTC offset.
    @inline(__always)
    public static func dayNumber(_ instant: Instant, offset: Int) -> Int {
        floorDiv(instant.seconds + offset, 86_400)
    }

    @inline(__always)
    static func floorDiv(_ a: Int, _ b: Int) -> Int {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    /// The civil date of a day number (Howard Hinnant's civil_from_days).
    public static func date(dayNumber: Int) -> DayDate {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return DayDate(year: year, month: month, day: day)!
    }

    /// `2025-09-26T17:00:00+08:00` (or `Z` for offset 0).
    public static func format(_ instant: Instant, offset: Int) -> String {
        let local = instant.seconds + offset
        let day = floorDiv(local, 86_400)
        let second = local - day * 86_400
        let time = TimeOfDay(minutes: second / 60).description + ":" + pad(second % 60)
        return "\(date(dayNumber: day))T\(time)\(offsetText(offset))"
    }

    /// `2025-09-26 17:00` in local time, for people.
    public static func formatShort(_ instant: Instant, offset: Int) -> String {
        let local = instant.seconds + offset
        let day = floorDiv(local, 86_400)
        let second = local - day * 86_400
        return "\(date(dayNumber: day)) \(TimeOfDay(minutes: second / 60))"
    }

    static func offsetText(_ offset: Int) -> String {
        if offset == 0 { return "Z" }
        let sign = offset < 0 ? "-" : "+"
        let minutes = abs(offset) / 60
        return "\(sign)\(pad(minutes / 60)):\(pad(minutes % 60))"
    }

    static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
