import SLAEngine
import SLARules

/// Prints test results. Notifications are printed as `expect` lines of the test format, so that what
/// fired reads like what was written and can be compared with it line by line:
/// ```
/// FAIL rules/tests/complaints.slatest:12: test "A级投诉：超时未响应逐级升级"
///   rules/tests/complaints.slatest:16: fired with other recipients
///     - expect 2025-09-22 12:00 T1 respond notify li-na via sms, ops, console
///     + expect 2025-09-22 12:00 T1 respond notify li-na via sms, console
/// ```
public enum RuleTestReport {
    /// `2025-09-22 11:30` in the zone, with seconds only when there are some (`2025-09-24 11:52:30`).
    public static func time(_ instant: Instant, zone: ZoneTable) -> String {
        let short = zone.formatShort(instant)
        let seconds = ((instant.seconds + zone.offset(at: instant)) % 60 + 60) % 60
        return seconds == 0 ? short : short + ":" + (seconds < 10 ? "0\(seconds)" : "\(seconds)")
    }

    /// A ticket's step key, quoted when it is more than one plain word or could be read as a keyword.
    static func label(_ label: String, isIncident: Bool) -> String {
        if isIncident { return label }
        let plain = !label.isEmpty && !label.contains { $0.isWhitespace || ",=#\"".contains($0) }
            && !["clock", "policy", "step", "notify"].contains(label)
        return plain ? label : "\"" + label.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// `notify li-na via sms, ops and zhou-min via mail`: channels that reach the same people share a group.
    public static func recipients(_ recipients: [Recipient]) -> String {
        guard !recipients.isEmpty else { return "notify nobody" }
        var channels: [String] = []
        var people: [String: [String]] = [:]
        for recipient in recipients {
            if people[recipient.channel] == nil { channels.append(recipient.channel) }
            people[recipient.channel, default: []].append(recipient.person)
        }
        var groups: [(people: [String], channels: [String])] = []
        for channel in channels {
            let names = people[channel]!
            if let index = groups.firstIndex(where: { $0.people == names }) {
                groups[index].channels.append(channel)
            } else {
                groups.append((names, [channel]))
            }
        }
        return "notify " + groups.map { "\($0.people.joined(separator: ", ")) via \($0.channels.joined(separator: ", "))" }.joined(separator: " and ")
    }

    public static func line(_ expected: ExpectedNotification, isIncident: Bool, zone: ZoneTable) -> String {
        var text = "expect \(time(expected.at, zone: zone)) \(expected.subject) \(label(expected.label, isIncident: isIncident))"
        if let recipients = expected.recipients { text += " " + Self.recipients(recipients) }
        return text
    }

    /// The notification as an `expect` line, with what else is worth knowing in a comment.
    public static func line(_ fired: FiredNotification, isIncident: Bool, zone: ZoneTable, comment: Bool = true) -> String {
        let text = "expect \(time(fired.at, zone: zone)) \(fired.subject) \(label(fired.label, isIncident: isIncident)) \(recipients(fired.recipients))"
        guard comment else { return text }
        var notes: [String] = []
        if fired.repeatIndex > 0 { notes.append("repeat \(fired.repeatIndex + 1)") }
        if fired.at - fired.dueAt > 60 {
            notes.append("due \(time(fired.dueAt, zone: zone)), \(Duration(seconds: fired.at - fired.dueAt)) late")
        }
        if fired.missedRepeats > 0 { notes.append("stands in for \(fired.missedRepeats) missed repeat\(fired.missedRepeats == 1 ? "" : "s")") }
        if let fallback = fired.fallback { notes.append("nobody else reached: told the \(fallback)") }
        if let detail = fired.detail { notes.append(detail) }
        notes += fired.unreached.map { "unreached: \($0)" }
        return notes.isEmpty ? text : text + "   # " + notes.joined(separator: "; ")
    }

    /// The lines that explain a failed test, indented under its heading.
    public static func failure(_ outcome: RuleTestOutcome, zone: ZoneTable) -> [String] {
        let test = outcome.test
        let incidents = Set(test.incidents.map(\.id))
        func isIncident(_ subject: String) -> Bool { incidents.contains(subject) }
        var lines = ["FAIL \(test.file):\(test.line): test \"\(test.name)\""]
        // Expected lines in file order, each with what went wrong; unexpected firings after them, in time order.
        var items: [(line: Int, text: [String])] = []
        for expected in outcome.missing {
            items.append((expected.line, ["  \(test.file):\(expected.line): expected, did not fire",
                                          "    - " + line(expected, isIncident: isIncident(expected.subject), zone: zone)]))
        }
        for (expected, got) in outcome.differing {
            let what = expected.at == got.at ? "fired with other recipients" : "fired at another time"
            items.append((expected.line, ["  \(test.file):\(expected.line): \(what)",
                                          "    - " + line(expected, isIncident: isIncident(expected.subject), zone: zone),
                                          "    + " + line(got, isIncident: isIncident(got.subject), zone: zone)]))
        }
        for (assertion, got) in outcome.failedAssertions {
            let prefix = "expect \(time(assertion.at, zone: zone)) \(assertion.subject) "
            items.append((assertion.line, ["  \(test.file):\(assertion.line): state differs",
                                           "    - " + prefix + claim(assertion.claim, zone: zone),
                                           "    + " + prefix + got]))
        }
        lines += items.sorted { $0.line < $1.line }.flatMap(\.text)
        if !outcome.unexpected.isEmpty {
            lines.append("  fired, not expected")
            lines += outcome.unexpected.map { "    + " + line($0, isIncident: isIncident($0.subject), zone: zone) }
        }
        if !outcome.missing.isEmpty || !outcome.differing.isEmpty || !outcome.unexpected.isEmpty {
            lines.append("  fired, in full:")
            let fired = timeline(outcome, zone: zone)
            lines += fired.isEmpty ? ["    (nothing)"] : fired.map { "    " + $0 }
        }
        if let runaway = outcome.runaway {
            lines.append("  the run stopped at \(time(runaway, zone: zone)) after \(outcome.steps) evaluations; is a step repeating without end?")
        }
        return lines
    }

    static func claim(_ claim: StateAssertion.Claim, zone: ZoneTable) -> String {
        switch claim {
        case let .clock(name, state, deadline):
            var parts = ["clock", name]
            if let state { parts.append(state.rawValue) }
            if let deadline { parts += ["deadline", time(deadline, zone: zone)] }
            return parts.joined(separator: " ")
        case let .policy(name): return "policy \(name ?? "none")"
        case let .assignee(name): return "assignee \(name ?? "none")"
        case let .planStep(name, state): return "step \(name) \(state.rawValue)"
        case let .kpi(_, _, level, value):
            var words: [String] = []
            if let level { words += ["level", level.rawValue] }
            if let value { words += ["value", value.text] }
            return words.joined(separator: " ")
        }
    }

    /// A note for each deadline the test counted past its calendar's holiday data.
    public static func notes(_ outcome: RuleTestOutcome, zone: ZoneTable) -> [String] {
        outcome.beyondCalendarData.map { item in
            "  note: \(item.ticket) clock \(item.clock): deadline \(time(item.deadline, zone: zone)) lies beyond the holiday data of calendar \(item.calendar)"
                + (item.dataUntil.map { " (it runs to \($0))" } ?? "") + "; holidays there are not counted"
        }
    }

    /// Everything that fired in a test, as `expect` lines.
    public static func timeline(_ outcome: RuleTestOutcome, zone: ZoneTable) -> [String] {
        let incidents = Set(outcome.test.incidents.map(\.id))
        return outcome.fired.map { line($0, isIncident: incidents.contains($0.subject), zone: zone) }
    }
}
