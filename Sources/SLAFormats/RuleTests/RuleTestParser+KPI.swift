import SLAEngine
import SLARules

extension RuleTestParser {
    static let kpiLevels = ["ok", "warning", "breached", "no-data"]

    /// After `expect TIME kpi`: `NAME[@GROUP] STEP [notify …]` or `NAME[@GROUP] [level LEVEL] [value VALUE]`.
    /// The KPI, its group, the step and the value's form for the KPI's unit are checked by the compiler.
    func kpiClaim(_ cursor: inout Cursor) throws -> Expectation.Claim {
        let example = "expect 2025-09-24 10:00 kpi repair-24h breached notify zhou-min via ops"
        let written = try cursor.name("the KPI's name, such as repair-24h or repair-24h@cuihu", hint: example)
        let reference = try Self.kpiReference(written)
        if cursor.isWord("level") || cursor.isWord("value") {
            var level: Located<KPILevel>?
            var value: Located<String>?
            while let token = cursor.peek(), token.kind == .word, token.text == "level" || token.text == "value" {
                cursor.index += 1
                if token.text == "level" {
                    guard level == nil else { throw LineError(token.position, "'level' is given twice") }
                    let word = try cursor.name("the level: ok, warning, breached or no-data")
                    guard let parsed = KPILevel(rawValue: word.value) else {
                        throw LineError(word.position, "'\(word.value)' is not a KPI level",
                                        hint: Suggestion.hint(for: word.value, in: Self.kpiLevels) ?? "levels: \(Self.kpiLevels.joined(separator: ", "))")
                    }
                    level = Located(parsed, at: word.position)
                } else {
                    guard value == nil else { throw LineError(token.position, "'value' is given twice") }
                    value = try cursor.name("the value, such as 92.5%, 4.6, 2h30m or 3", hint: "expect … kpi repair-24h value 92.5%")
                }
            }
            return .kpiState(kpi: reference, level: level, value: value)
        }
        guard let token = cursor.peek(), token.kind == .word else {
            throw LineError(cursor.here, "expected the notice (\(KPIAlarmNotice.steps.joined(separator: ", "))) or 'level'/'value'",
                            hint: example)
        }
        guard KPIAlarmNotice.steps.contains(token.text) else {
            throw LineError(token.position, "'\(token.text)' is not a KPI notice",
                            hint: Suggestion.hint(for: token.text, in: KPIAlarmNotice.steps + ["level", "value"])
                                ?? "notices: \(KPIAlarmNotice.steps.joined(separator: ", ")); or 'level LEVEL', 'value VALUE' for its state")
        }
        cursor.index += 1
        var recipients: [RecipientGroup]?
        if cursor.isWord("notify") {
            cursor.index += 1
            recipients = try recipientGroups(&cursor)
        }
        return .kpiNotice(kpi: reference, step: Located(token.text, at: token.position), recipients: recipients)
    }

    /// `NAME` or `NAME@GROUP`, each part with its own place on the line.
    static func kpiReference(_ written: Located<String>) throws -> KPIReference {
        guard let at = written.value.firstIndex(of: "@") else { return KPIReference(name: written, group: nil) }
        let name = String(written.value[..<at])
        let group = String(written.value[written.value.index(after: at)...])
        let start = written.position
        guard !name.isEmpty, !group.isEmpty else {
            throw LineError(start, "'\(written.value)' is not a KPI and group", hint: "write the KPI's name, then '@' and the group: repair-24h@cuihu")
        }
        let groupColumn = start.column + name.count + 1
        return KPIReference(name: Located(name, at: TextPosition(line: start.line, column: start.column, length: name.count)),
                            group: Located(group, at: TextPosition(line: start.line, column: groupColumn, length: group.count)))
    }
}
