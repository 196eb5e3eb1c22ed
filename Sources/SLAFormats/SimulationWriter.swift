import Foundation
import SLAEngine
import SLARules

/// Renders a simulation's escalations and summary as a table for people, CSV or JSON Lines for tools.
/// Writes bytes into `buffer`; the caller drains it.
struct SimulationWriter {
    let format: Simulation.Format
    let zone: ZoneTable
    var buffer: [UInt8] = []
    let ticketWidth: Int
    let policyWidth: Int
    let stepWidth: Int

    init(format: Simulation.Format, zone: ZoneTable, rules: RuleSet, ticketWidth: Int) {
        self.format = format
        self.zone = zone
        self.ticketWidth = min(ticketWidth, 24)
        policyWidth = rules.policies.map(\.name.count).max() ?? 6
        stepWidth = max(4, rules.policies.flatMap(\.steps).map { $0.at.description.count }.max() ?? 4) + 3
        buffer.reserveCapacity(1 << 17)
    }

    static let csvColumns = ["time", "ticket", "policy", "step", "clock", "repeat", "due", "late", "lateness_seconds",
                             "targets", "recipients", "channels", "fallback", "unreached"]

    mutating func header() {
        switch format {
        case .table:
            line([pad("TIME", 16), pad("TICKET", ticketWidth), pad("POLICY", policyWidth), pad("STEP", stepWidth),
                  pad("LATE", 8), pad("VIA", 18), "TO"].joined(separator: "  ").trailingSpacesRemoved)
        case .csv:
            line(Self.csvColumns.joined(separator: ","))
        case .jsonl:
            break
        }
    }

    /// The part of an escalation line after the step and lateness: whom it reaches and how. The same for
    /// every firing of a step at a given assignee (unless the step names a roster), so the simulation
    /// renders it once and keeps the bytes.
    func recipientsText(_ recipients: StepRecipients, step: DueStep, rung: EscalationStep?) -> [UInt8] {
        let targets = rung?.targets.map(\.description) ?? []
        let people = recipients.people
        let channels = recipients.deliveries.filter { !$0.recipients.isEmpty }.map(\.channel)
        let unreached = recipients.unreached.map(\.description)
        switch format {
        case .table:
            var to = people.isEmpty ? "nobody" : people.joined(separator: ", ")
            if let fallback = recipients.fallback { to += " (fallback: \(fallback))" }
            if !unreached.isEmpty { to += " [unreached: \(unreached.joined(separator: "; "))]" }
            let via = channels.isEmpty ? "-" : channels.joined(separator: ", ")
            return Array((pad(via, 18) + "  " + to).utf8)
        case .csv:
            let fields = [targets.joined(separator: "; "), people.joined(separator: "; "), channels.joined(separator: "; "),
                          recipients.fallback.map(\.description) ?? "", unreached.joined(separator: "; ")]
            return Array(fields.map(Self.csvField).joined(separator: ",").utf8)
        case .jsonl:
            var json = JSONLine()
            json.strings("targets", targets)
            json.strings("recipients", people)
            json.raw("deliveries", "[" + recipients.deliveries.map { delivery in
                var entry = JSONLine()
                entry.string("channel", delivery.channel)
                entry.strings("people", delivery.recipients.map(\.person))
                return entry.text
            }.joined(separator: ",") + "]")
            if let fallback = recipients.fallback { json.string("fallback", fallback.description) } else { json.raw("fallback", "null") }
            json.strings("unreached", unreached)
            var text = json.text
            text.removeFirst()   // spliced after the other keys: drop the opening brace
            return Array(text.utf8)
        }
    }

    /// One escalation line; `recipients` comes from `recipientsText`.
    mutating func escalation(at instant: Instant, step: DueStep, ticket: String, recipients: [UInt8]) {
        switch format {
        case .table:
            appendTime(instant, iso: false)
            append("  ")
            appendPadded(ticket, ticketWidth)
            append("  ")
            appendPadded(step.firing.policy, policyWidth)
            append("  ")
            if step.firing.repeatIndex > 0 {
                appendPadded(step.firing.step + " #\(step.firing.repeatIndex + 1)", stepWidth)
            } else {
                appendPadded(step.firing.step, stepWidth)
            }
            append("  ")
            appendPadded(Self.lateness(step), 8)
            append("  ")
        case .csv:
            appendTime(instant, iso: true)
            buffer.append(UInt8(ascii: ","))
            append(Self.csvField(ticket))
            buffer.append(UInt8(ascii: ","))
            append(Self.csvField(step.firing.policy))
            buffer.append(UInt8(ascii: ","))
            append(Self.csvField(step.firing.step))
            buffer.append(UInt8(ascii: ","))
            append(Self.csvField(step.clock))
            buffer.append(UInt8(ascii: ","))
            appendInt(step.firing.repeatIndex)
            buffer.append(UInt8(ascii: ","))
            appendTime(step.dueAt, iso: true)
            append(step.isLate ? ",yes," : ",no,")
            appendInt(step.lateness)
            buffer.append(UInt8(ascii: ","))
        case .jsonl:
            append("{\"type\":\"escalation\",\"time\":\"")
            appendTime(instant, iso: true)
            append("\",\"ticket\":")
            append(JSONLine.quoted(ticket))
            append(",\"policy\":")
            append(JSONLine.quoted(step.firing.policy))
            append(",\"step\":")
            append(JSONLine.quoted(step.firing.step))
            append(",\"clock\":")
            append(JSONLine.quoted(step.clock))
            append(",\"repeat\":")
            appendInt(step.firing.repeatIndex)
            append(",\"cycle\":")
            appendInt(step.firing.cycle)
            append(",\"due\":\"")
            appendTime(step.dueAt, iso: true)
            append(step.isLate ? "\",\"late\":true,\"lateness\":" : "\",\"late\":false,\"lateness\":")
            appendInt(step.lateness)
            buffer.append(UInt8(ascii: ","))
        }
        buffer.append(contentsOf: recipients)
        buffer.append(UInt8(ascii: "\n"))
    }

    private mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
    }

    private mutating func appendPadded(_ text: String, _ width: Int) {
        var count = 0
        var ascii = true
        var text = text
        text.withUTF8 { bytes in
            buffer.append(contentsOf: bytes)
            for byte in bytes where byte >= 0x80 { ascii = false }
            count = bytes.count
        }
        if !ascii { count = text.count }
        for _ in count..<max(count, width) { buffer.append(UInt8(ascii: " ")) }
    }

    private mutating func appendInt(_ value: Int) {
        if value < 0 {
            buffer.append(UInt8(ascii: "-"))
            appendInt(-value)
            return
        }
        if value >= 10 { appendInt(value / 10) }
        buffer.append(UInt8(48 + value % 10))
    }

    private mutating func appendDigits(_ value: Int, _ width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            buffer.append(UInt8(48 + (rest / divisor) % 10))
            rest %= divisor
            divisor /= 10
        }
    }

    /// `2026-03-02 11:30` for people, `2026-03-02T11:30:00+08:00` for tools, in the writer's zone.
    private mutating func appendTime(_ instant: Instant, iso: Bool) {
        let offset = zone.offset(at: instant)
        let local = instant.seconds + offset
        let day = local >= 0 ? local / 86_400 : -((-local + 86_399) / 86_400)
        let second = local - day * 86_400
        let date = LocalTime.date(dayNumber: day)
        appendDigits(date.year, 4)
        buffer.append(UInt8(ascii: "-"))
        appendDigits(date.month, 2)
        buffer.append(UInt8(ascii: "-"))
        appendDigits(date.day, 2)
        buffer.append(UInt8(ascii: iso ? "T" : " "))
        appendDigits(second / 3600, 2)
        buffer.append(UInt8(ascii: ":"))
        appendDigits(second / 60 % 60, 2)
        guard iso else { return }
        buffer.append(UInt8(ascii: ":"))
        appendDigits(second % 60, 2)
        if offset == 0 {
            buffer.append(UInt8(ascii: "Z"))
        } else {
            buffer.append(UInt8(ascii: offset < 0 ? "-" : "+"))
            appendDigits(abs(offset) / 3600, 2)
            buffer.append(UInt8(ascii: ":"))
            appendDigits(abs(offset) / 60 % 60, 2)
        }
    }

    mutating func line(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(UInt8(ascii: "\n"))
    }

    func pad(_ text: String, _ width: Int) -> String {
        let count = text.count
        return count >= width ? text : text + String(repeating: " ", count: width - count)
    }

    func padLeft(_ text: String, _ width: Int) -> String {
        let count = text.count
        return count >= width ? text : String(repeating: " ", count: width - count) + text
    }

    static func percent(_ share: Double) -> String {
        let tenths = Int((share * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// The LATE column: `late 2h30m` for a step that fired after its time, `missed 2` for a repeat that
    /// stands in for repeats nobody sent, empty for a step on time.
    static func lateness(_ step: DueStep) -> String {
        if step.lateness > 60 { return "late \(short(step.lateness))" }
        if step.missedRepeats > 0 { return "missed \(step.missedRepeats)" }
        return ""
    }

    /// `1h30m`, `45m`, `2d3h`: a lateness for people.
    static func short(_ seconds: Int) -> String {
        if seconds < 60 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 60 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 24 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h\(minutes % 60)m" }
        return hours % 24 == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(hours % 24)h"
    }

    /// A CSV field, quoted when it holds a comma, quote or line break (RFC 4180).
    static func csvField(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension String {
    var trailingSpacesRemoved: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
