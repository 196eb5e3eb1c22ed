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

    /// Parses `2025-09-26T17:00:00+08:00`, `2025-09-26T09:00:00Z`, `2025-09-26T17:00+08:00`, or, with a
    /// zone for naive local times, `2025-09-26 17:00[:00]` / `2025-09-26T17:00[:00]`. Nil when malformed.
    public static func parse(_ text: String, zone: ZoneTable?) -> Instant? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 16, let date = DayDate(String(decoding: bytes[0..<10], as: UTF8.self)),
              bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " ") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for b in bytes[range] {
                guard b >= 48, b <= 57 else { return nil }
                value = value * 10 + Int(b - 48)
            }
            return value
        }
        guard let hour = number(11..<13), bytes[13] == UInt8(ascii: ":"), let minute = number(14..<16),
              hour < 24, minute < 60 else { return nil }
        var index = 16
        var second = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
            guard let s = number(17..<19), s < 60 else { return nil }
            second = s
            index = 19
        }
        let local = date.dayNumber * 86_400 + hour * 3600 + minute * 60 + second
        if index == bytes.count {
            guard let zone else { return nil }
            return zone.instant(fromLocal: local)
        }
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return nil }
            return Instant(seconds: local)
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = bytes[index] == UInt8(ascii: "+") ? 1 : -1
            guard bytes.count == index + 6, bytes[index + 3] == UInt8(ascii: ":"),
                  let oh = number(index + 1..<index + 3), let om = number(index + 4..<index + 6),
                  oh <= 14, om < 60 else { return nil }
            return Instant(seconds: local - sign * (oh * 3600 + om * 60))
        default:
            return nil
        }
    }
}
