import SLAEngine

/// A time of day without a date (`18:40`, `18:40:05`), as operators type it for `--created` or `--at`:
/// read in the rules' display zone, on the latest day on which it is not in the future. A time given
/// without an offset is always the rules' zone, never the host's (on a UTC host `18:40` is 18:40 in
/// Asia/Shanghai when the rules say so).
public enum TimeOnlyInput {
    /// The full local date-time (`2026-12-03 18:40`) for a time of day, or nil when `text` is not one.
    public static func resolve(_ text: String, zone: ZoneTable, now: Instant) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count == 5 || bytes.count == 8, bytes[2] == UInt8(ascii: ":"),
              bytes.count == 5 || bytes[5] == UInt8(ascii: ":") else { return nil }
        let today = String(zone.format(now).prefix(10))
        let candidate = "\(today) \(text)"
        guard let instant = LocalTime.parse(candidate, zone: zone) else { return nil }
        // An event cannot be in the future: 23:50 typed at 00:10 means last night.
        if instant > now + 60 { return "\(zone.format(now - 86_400).prefix(10)) \(text)" }
        return candidate
    }

    /// Replaces a time-of-day value under `key` with its full local date-time.
    public static func expand(_ object: inout [String: Any], key: String, zone: ZoneTable, now: Instant) {
        if let text = object[key] as? String, let full = resolve(text, zone: zone, now: now) { object[key] = full }
    }
}
