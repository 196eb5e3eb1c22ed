/// A calendar date without a time zone, as written in rules: `2026-10-01`.
public struct DayDate: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Nil when the triple is not a real date in the Gregorian calendar.
    public init?(year: Int, month: Int, day: Int) {
        guard (1900...9999).contains(year), (1...12).contains(month),
              (1...DayDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD` exactly.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for arithmetic and weekdays.
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public var weekday: Weekday {
        // 1970-01-01 was a Thursday.
        Weekday.allCases[((dayNumber % 7) + 7 + 3) % 7]
    }

    public static func < (lhs: DayDate, rhs: DayDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public var description: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}

public enum Weekday: String, Sendable, Hashable, CaseIterable, Codable {
    case mon, tue, wed, thu, fri, sat, sun
}

/// A time of day in minutes after midnight: `08:30` is 510. `24:00` is allowed as the end of a range.
public struct TimeOfDay: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public let minutes: Int

    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              let h = Int(parts[0]), let m = Int(parts[1]), (0...59).contains(m),
              (0...23).contains(h) || (h == 24 && m == 0) else { return nil }
        minutes = h * 60 + m
    }

    public init(minutes: Int) { self.minutes = minutes }

    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool { lhs.minutes < rhs.minutes }

    public var description: String {
        let h = minutes / 60, m = minutes % 60
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }
}

/// A span of wall time, in seconds: `30m`, `2h`, `1h30m`, `7d`.
public struct Duration: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public let seconds: Int

    public init(seconds: Int) { self.seconds = seconds }

    /// Parses compact durations: one or more `<number><unit>` with units `s`, `m`, `h`, `d`, `w`, largest first.
    public init?(_ text: String) {
        var total = 0
        var number = 0
        var sawDigit = false
        var lastUnitSize = Int.max
        // Bytes, not Characters: every valid character is ASCII, and any other byte fails the switch
        // below, so the answer is the same without the cost of grapheme breaking.
        for byte in text.utf8 {
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                let (product, overflow) = number.multipliedReportingOverflow(by: 10)
                guard !overflow, product <= 1_000_000_000 else { return nil }
                number = product + Int(byte - UInt8(ascii: "0"))
                sawDigit = true
                continue
            }
            let unit: Int
            switch byte {
            case UInt8(ascii: "s"): unit = 1
            case UInt8(ascii: "m"): unit = 60
            case UInt8(ascii: "h"): unit = 3600
            case UInt8(ascii: "d"): unit = 86_400
            case UInt8(ascii: "w"): unit = 604_800
            default: return nil
            }
            guard sawDigit, unit < lastUnitSize else { return nil }
            total += number * unit
            number = 0
            sawDigit = false
            lastUnitSize = unit
        }
        guard !sawDigit, lastUnitSize != Int.max else { return nil }
        seconds = total
    }

    public static func < (lhs: Duration, rhs: Duration) -> Bool { lhs.seconds < rhs.seconds }

    public var description: String {
        if seconds == 0 { return "0s" }
        var rest = seconds
        var text = ""
        for (size, unit) in [(86_400, "d"), (3600, "h"), (60, "m"), (1, "s")] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }
}
