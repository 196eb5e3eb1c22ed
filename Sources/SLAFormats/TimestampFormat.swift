import SLAEngine
import SLARules

/// How an export writes its times, as a pattern: `M/D/YY H:MM`, `MM/DD/YYYY hh:mm:ss AM`, `YYYY-MM-DD HH:mm`,
/// or `ISO` for ISO 8601 (`2025-09-22T10:00:00+08:00`, or without an offset for local time).
///
/// | token | meaning |
/// |---|---|
/// | `YYYY` | four-digit year |
/// | `YY` | two-digit year: 00–69 are 2000–2069, 70–99 are 1970–1999 |
/// | `M`, `MM` | month, one or two digits |
/// | `D`, `DD` | day of the month, one or two digits |
/// | `H`, `HH` | hour 0–23 |
/// | `h`, `hh` | hour 1–12, with `AM` |
/// | `mm`, `m` | minute; `MM` or `M` after an hour also means minute, as exports often write it |
/// | `ss`, `SS`, `s` | second |
/// | `AM` (or `PM`, `am`, `pm`, `A`) | `AM` or `PM` in either case |
///
/// Every other character must appear as written. Numbers take one or two digits whichever token is used,
/// so `M/D/YY` reads both `1/2/20` and `01/02/20`. A value that stops after the date (`1/2/20`) is midnight.
public struct TimestampFormat: Sendable, Equatable, CustomStringConvertible {
    enum Token: Sendable, Equatable {
        case year4, year2, month, day, hour24, hour12, minute, second, meridiem
        case literal(UInt8)

        var isTime: Bool {
            switch self {
            case .hour24, .hour12, .minute, .second, .meridiem: true
            default: false
            }
        }
    }

    public let pattern: String
    let tokens: [Token]
    let isISO: Bool

    public var description: String { pattern }

    public struct Failure: Error, Equatable, CustomStringConvertible {
        /// Column in the pattern, from 1.
        public let column: Int
        public let message: String
        public var description: String { message }
    }

    public init(_ pattern: String) throws(Failure) {
        self.pattern = pattern
        if pattern.uppercased() == "ISO" || pattern.uppercased() == "ISO 8601" || pattern.uppercased() == "ISO8601" {
            tokens = []
            isISO = true
            return
        }
        isISO = false
        let bytes = Array(pattern.utf8)
        var tokens: [Token] = []
        var index = 0
        var sawHour = false
        func run(of byte: UInt8) -> Int {
            var length = 0
            while index + length < bytes.count, bytes[index + length] == byte { length += 1 }
            return length
        }
        while index < bytes.count {
            let byte = bytes[index]
            let length = run(of: byte)
            let token: Token?
            switch UnicodeScalar(byte) {
            case "Y":
                guard length == 4 || length == 2 else {
                    throw Failure(column: index + 1, message: "a year is YYYY or YY")
                }
                token = length == 4 ? .year4 : .year2
            case "M" where length <= 2:
                token = sawHour ? .minute : .month
            case "D" where length <= 2, "d" where length <= 2:
                token = .day
            case "H" where length <= 2:
                token = .hour24
                sawHour = true
            case "h" where length <= 2:
                token = .hour12
                sawHour = true
            case "m" where length <= 2:
                token = .minute
            case "s" where length <= 2, "S" where length <= 2:
                token = .second
            case "A", "a", "P", "p":
                let next = index + 1 < bytes.count ? bytes[index + 1] : 0
                if next == UInt8(ascii: "M") || next == UInt8(ascii: "m") {
                    tokens.append(.meridiem)
                    index += 2
                    continue
                }
                token = byte == UInt8(ascii: "A") || byte == UInt8(ascii: "a") ? .meridiem : nil
                if token == nil {
                    throw Failure(column: index + 1, message: "'\(UnicodeScalar(byte))' is not a token; write AM for the AM/PM marker")
                }
            case "M", "D", "d", "H", "h", "m", "s", "S":
                throw Failure(column: index + 1, message: "'\(String(repeating: String(UnicodeScalar(byte)), count: length))' is too long; write one or two letters")
            default:
                if (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) {
                    throw Failure(column: index + 1, message: "'\(UnicodeScalar(byte))' is not a token; use YYYY, YY, M, D, H, h, mm, ss, AM or any punctuation")
                }
                tokens.append(.literal(byte))
                index += 1
                continue
            }
            tokens.append(token!)
            index += length
        }
        if tokens.contains(.hour12), !tokens.contains(.meridiem) {
            throw Failure(column: 1, message: "a 12-hour clock (h, hh) needs the AM marker")
        }
        for required in [Token.day] where !tokens.contains(required) {
            throw Failure(column: 1, message: "the pattern has no day (D or DD)")
        }
        if !tokens.contains(.month) { throw Failure(column: 1, message: "the pattern has no month (M or MM)") }
        if !tokens.contains(.year4), !tokens.contains(.year2) { throw Failure(column: 1, message: "the pattern has no year (YYYY or YY)") }
        self.tokens = tokens
    }

    public static func == (lhs: TimestampFormat, rhs: TimestampFormat) -> Bool { lhs.pattern == rhs.pattern }

    /// The instant of a value, with naive local times read in `zone`; nil when it does not fit the pattern or
    /// names a day or time that does not exist.
    public func instant(_ bytes: UnsafeBufferPointer<UInt8>, zone: ZoneTable) -> Instant? {
        if isISO {
            return LocalTime.parse(String(decoding: bytes, as: UTF8.self), zone: zone)
        }
        var year = -1, month = -1, day = -1, hour = 0, minute = 0, second = 0
        var pm: Bool?
        var index = 0
        let count = bytes.count
        var tokenIndex = 0
        while tokenIndex < tokens.count {
            let token = tokens[tokenIndex]
            if index == count {
                // The value stops after the date: midnight, when only time tokens (and separators) remain.
                if tokens[tokenIndex...].allSatisfy({ if case .literal = $0 { return true }; return $0.isTime }) { break }
                return nil
            }
            switch token {
            case let .literal(byte):
                guard bytes[index] == byte else { return nil }
                index += 1
            case .meridiem:
                let first = bytes[index] | 0x20
                guard first == UInt8(ascii: "a") || first == UInt8(ascii: "p") else { return nil }
                pm = first == UInt8(ascii: "p")
                index += 1
                if index < count, bytes[index] | 0x20 == UInt8(ascii: "m") { index += 1 }
            default:
                let maxDigits = token == .year4 ? 4 : 2
                var value = 0, digits = 0
                while index < count, digits < maxDigits, bytes[index] >= 48, bytes[index] <= 57 {
                    value = value * 10 + Int(bytes[index] - 48)
                    digits += 1
                    index += 1
                }
                guard digits > 0, token != .year4 || digits == 4 else { return nil }
                switch token {
                case .year4: year = value
                case .year2: year = value < 70 ? 2000 + value : 1900 + value
                case .month: month = value
                case .day: day = value
                case .hour24, .hour12: hour = value
                case .minute: minute = value
                case .second: second = value
                default: break
                }
            }
            tokenIndex += 1
        }
        guard index == count else { return nil }
        if let pm {
            guard (1...12).contains(hour) else { return nil }
            hour = hour % 12 + (pm ? 12 : 0)
        }
        guard hour < 24, minute < 60, second < 60,
              let date = DayDate(year: year, month: month, day: day) else { return nil }
        return zone.instant(fromLocal: date.dayNumber * 86_400 + hour * 3600 + minute * 60 + second)
    }

    public func instant(_ text: String, zone: ZoneTable) -> Instant? {
        var text = text
        return text.withUTF8 { instant($0, zone: zone) }
    }
}
