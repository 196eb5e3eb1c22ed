import Foundation
import SLAEngine

/// Text helpers shared by the reports: durations for people, and escaping for HTML/XML and Markdown.
public enum ReportText {
    /// A duration for people: `45s`, `4m`, `2m30s`, `1h05m`, `24h`, `-2m30s` (late). Seconds stay only
    /// when there are any, so minute-scale plans read `4m` and second-scale drills read `12s`.
    public static func duration(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : ""
        let total = abs(seconds)
        let hours = total / 3600, minutes = total % 3600 / 60, rest = total % 60
        func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        if total == 0 { return "0s" }
        if hours > 0 {
            if minutes == 0, rest == 0 { return "\(sign)\(hours)h" }
            return "\(sign)\(hours)h\(pad(minutes))m" + (rest > 0 ? "\(pad(rest))s" : "")
        }
        if minutes > 0 { return "\(sign)\(minutes)m" + (rest > 0 ? "\(pad(rest))s" : "") }
        return "\(sign)\(rest)s"
    }

    /// A count and its noun in English: `1 ticket`, `36 tickets` (`plural` for irregular nouns).
    public static func count(_ count: Int, _ singular: String, plural: String? = nil) -> String {
        "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
    }

    /// A margin with its sign: `+3m` to spare, `-10m` late.
    public static func signedDuration(_ seconds: Int) -> String {
        seconds > 0 ? "+" + duration(seconds) : duration(seconds)
    }

    /// Escapes text for HTML/XML content and double-quoted attribute values.
    public static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            default:
                // Other control characters are not allowed in XML (the SVG): a space keeps the layout.
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { out += " " } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// Text for one Markdown table cell: pipes escaped, line breaks turned into `<br>`, and HTML
    /// special characters escaped so that a note cannot open a tag in a renderer that allows HTML.
    public static func markdownCell(_ text: String) -> String {
        var out = ""
        var lastWasCR = false
        for scalar in text.unicodeScalars {
            defer { lastWasCR = scalar == "\r" }
            switch scalar {
            case "|": out += "\\|"
            case "\\": out += "\\\\"
            case "\r": out += "<br>"
            case "\n": if !lastWasCR { out += "<br>" }
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "`": out += "\\`"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { out += " " } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out.isEmpty ? " " : out
    }

    /// Text on one Markdown line outside a table (a heading or a list item): as a cell, pipes aside.
    public static func markdownInline(_ text: String) -> String {
        markdownCell(text).replacingOccurrences(of: "\\|", with: "|")
    }

    /// `2026-03-08 20:00` in the report's zone, or `2026-03-08 20:00:15` when the seconds matter.
    public static func time(_ instant: Instant, zone: ZoneTable) -> String {
        let text = zone.formatShort(instant)
        let second = (instant.seconds + zone.offset(at: instant)) % 60
        guard second != 0 else { return text }
        return text + ":" + (second < 10 ? "0\(second)" : "\(second)")
    }
}
