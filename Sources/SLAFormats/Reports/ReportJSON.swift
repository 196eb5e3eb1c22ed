import SLAEngine

/// A JSON value written by hand so that reports come out byte-for-byte stable: two-space indents, keys
/// sorted, Chinese left as is, times as ISO 8601 with the zone's offset.
indirect enum ReportJSON {
    case object([String: ReportJSON])
    case array([ReportJSON])
    case string(String)
    case int(Int)
    /// Written as `KPIReport.number` writes it: an integer without a fraction, else up to six decimals.
    case number(Double)
    case bool(Bool)
    case null

    static func optional(_ text: String?) -> ReportJSON { text.map(ReportJSON.string) ?? .null }
    static func optional(_ number: Int?) -> ReportJSON { number.map(ReportJSON.int) ?? .null }
    static func time(_ instant: Instant?, zone: ZoneTable) -> ReportJSON {
        instant.map { .string(LocalTime.format($0, offset: zone.offset(at: $0))) } ?? .null
    }

    /// The document, ending with a newline.
    var rendered: String {
        var out = ""
        write(to: &out, indent: "")
        return out + "\n"
    }

    private func write(to out: inout String, indent: String) {
        switch self {
        case let .object(members):
            guard !members.isEmpty else { out += "{}"; return }
            out += "{\n"
            let inner = indent + "  "
            for (index, key) in members.keys.sorted().enumerated() {
                out += inner
                Self.quote(key, into: &out)
                out += ": "
                members[key]!.write(to: &out, indent: inner)
                out += index == members.count - 1 ? "\n" : ",\n"
            }
            out += indent + "}"
        case let .array(items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "[\n"
            let inner = indent + "  "
            for (index, item) in items.enumerated() {
                out += inner
                item.write(to: &out, indent: inner)
                out += index == items.count - 1 ? "\n" : ",\n"
            }
            out += indent + "]"
        case let .string(text): Self.quote(text, into: &out)
        case let .int(number): out += String(number)
        case let .number(value): out += KPIReport.number(value)
        case let .bool(flag): out += flag ? "true" : "false"
        case .null: out += "null"
        }
    }

    /// RFC 8259 string escaping; `<`, `>` and `&` too, so the JSON can sit inside an HTML page.
    static func quote(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
