import SLARules

/// The one reader of written times: the API, JSON Lines (simulate, import, explain), CSV mappings with
/// `time format = ISO`, intake mappings, rule tests and the command line's `--at`/`--until` all call it.
extension LocalTime {
    /// Parses RFC 3339 and the local shapes operators type:
    ///
    /// - `2025-09-26T17:00:00+08:00`, `2025-09-26T09:00:00Z`, `2025-09-26T17:00+08:00`, `+0800` too;
    /// - fractional seconds, as JavaScript's `toISOString` writes them (`2026-12-02T20:50:17.940Z`,
    ///   `2026-12-03T04:50:17.940123+08:00`): any number of digits, dropped (instants are whole seconds,
    ///   so `17.940` is second 17 — the time never moves forward past what was written);
    /// - with a zone for naive local times, `2025-09-26 17:00[:00[.fff]]` and `2025-09-26T17:00[:00]`.
    ///
    /// Nil when malformed, or naive without a zone.
    public static func parse(_ text: String, zone: ZoneTable?) -> Instant? {
        var text = text
        return text.withUTF8 { parse($0, zone: zone) }
    }

    /// `parse` on the bytes of a time (the JSON fast path reads them without making a String).
    public static func parse(_ b: UnsafeBufferPointer<UInt8>, zone: ZoneTable?) -> Instant? {
        @inline(__always) func digits(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var value = 0
            for i in from..<from + count {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                value = value * 10 + Int(b[i] - 48)
            }
            return value
        }
        guard b.count >= 16, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " ") || b[10] == UInt8(ascii: "t"),
              b[13] == UInt8(ascii: ":"),
              let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
              let hour = digits(11, 2), let minute = digits(14, 2),
              let date = DayDate(year: year, month: month, day: day), hour < 24, minute < 60 else { return nil }
        var index = 16
        var second = 0
        if index < b.count, b[index] == UInt8(ascii: ":") {
            guard let s = digits(17, 2), s < 60 else { return nil }
            second = s
            index = 19
            if index < b.count, b[index] == UInt8(ascii: ".") || b[index] == UInt8(ascii: ",") {
                index += 1
                let start = index
                while index < b.count, b[index] >= 48, b[index] <= 57 { index += 1 }
                guard index > start else { return nil }
            }
        }
        let local = date.dayNumber * 86_400 + hour * 3600 + minute * 60 + second
        if index == b.count {
            guard let zone else { return nil }
            return zone.instant(fromLocal: local)
        }
        switch b[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == b.count else { return nil }
            return Instant(seconds: local)
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = b[index] == UInt8(ascii: "+") ? 1 : -1
            let colon = b.count == index + 6 && b[index + 3] == UInt8(ascii: ":")
            guard colon || b.count == index + 5, let oh = digits(index + 1, 2),
                  let om = digits(index + (colon ? 4 : 3), 2), oh <= 14, om < 60 else { return nil }
            return Instant(seconds: local - sign * (oh * 3600 + om * 60))
        default:
            return nil
        }
    }
}
