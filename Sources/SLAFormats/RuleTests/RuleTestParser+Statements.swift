import SLAEngine
import SLARules

extension RuleTestParser {
    /// What may follow the fixed words of a ticket, event or incident statement, in any order.
    struct Options {
        var at: Stamp?
        var by: String?
        var note: String?
        var assignments: [(key: Located<String>, values: [Located<String>])] = []
    }

    /// Reads `at TIME`, `by NAME`, `note "TEXT"` (when `allowsNote`), and `KEY=VALUE` pairs, in any order.
    /// `other` may take a word the statement knows itself (such as `level II`) and returns false otherwise.
    func readOptions(_ cursor: inout Cursor, allowsNote: Bool, expected: String,
                 other: (inout Cursor) throws -> Bool = { _ in false }) throws -> Options {
        var result = Options()
        while let token = cursor.peek() {
            if cursor.isWord("at") {
                guard result.at == nil else { throw LineError(token.position, "'at' is given twice") }
                cursor.index += 1
                result.at = try cursor.stamp("a time after 'at'")
            } else if cursor.isWord("by") {
                guard result.by == nil else { throw LineError(token.position, "'by' is given twice") }
                cursor.index += 1
                result.by = try cursor.name("who did it after 'by'").value
            } else if allowsNote, cursor.isWord("note") {
                guard result.note == nil else { throw LineError(token.position, "'note' is given twice") }
                cursor.index += 1
                guard let text = cursor.peek(), text.kind == .string else {
                    throw LineError(cursor.here, "expected the note in double quotes", hint: "note \"已联系住户\"")
                }
                cursor.index += 1
                result.note = text.text
            } else if cursor.atAssignment {
                let key = cursor.next()!
                cursor.index += 1
                let values = try cursor.list("a value after '\(key.text)='", hint: "\(key.text)=VALUE, or \(key.text)=\"text with spaces\"")
                if result.assignments.contains(where: { $0.key.value == key.text }) {
                    throw LineError(key.position, "'\(key.text)' is given twice")
                }
                result.assignments.append((Located(key.text, at: key.position), values))
            } else if try other(&cursor) {
                continue
            } else {
                throw LineError(token.position, "unexpected '\(token.text)'", hint: "expected \(expected)")
            }
        }
        return result
    }

    static let ticketFieldNames = TicketField.allCases.filter { $0 != .status }.map(\.rawValue) + ["text"]

    /// Checks `KEY=VALUE` against the ticket fields and their closed value sets. Nil field: `text`.
    func field(_ key: Located<String>, _ values: [Located<String>]) throws -> (TicketField?, String) {
        if key.value == "text" {
            guard values.count == 1 else {
                throw LineError(values[1].position, "'text' takes one value", hint: "put text with commas in double quotes")
            }
            return (nil, values[0].value)
        }
        guard let field = TicketField(rawValue: key.value), field != .status else {
            let hint = key.value == "status" ? "a ticket's status follows from its events (event T1 paused waiting-customer …)"
                : Suggestion.hint(for: key.value, in: Self.ticketFieldNames) ?? "fields: \(Self.ticketFieldNames.joined(separator: ", "))"
            throw LineError(key.position, "unknown ticket field '\(key.value)'", hint: hint)
        }
        guard field == .tags || values.count == 1 else {
            throw LineError(values[1].position, "'\(key.value)' takes one value", hint: "put text with commas in double quotes")
        }
        // Fields whose sets the rules may declare are checked against the rules by the compiler.
        if !FieldSet.declarable.contains(field), let allowed = field.allowedValues, let bad = values.first(where: { !allowed.contains($0.value) }) {
            throw LineError(bad.position, "'\(bad.value)' is not a \(key.value)",
                            hint: Suggestion.hint(for: bad.value, in: allowed) ?? "expected one of \(allowed.joined(separator: ", "))")
        }
        return (field, values.map(\.value).joined(separator: ","))
    }

    /// `ticket ID FIELD=VALUE… at TIME [by WHO]`
    mutating func ticketStatement(_ keyword: RuleTestToken, _ cursor: inout Cursor) throws {
        let id = try newName(&cursor, "a ticket name such as T1")
        let options = try readOptions(&cursor, allowsNote: false, expected: "FIELD=VALUE, 'at TIME' or 'by WHO'")
        var fields = TicketFields(kind: "")
        var positions: [TicketField: TextPosition] = [:]
        for (key, values) in options.assignments {
            let (field, value) = try field(key, values)
            if let field { _ = fields.set(field, to: value); positions[field] = values[0].position } else { fields.text = value }
        }
        guard !fields.kind.isEmpty else {
            throw LineError(keyword.position, "a ticket needs kind=…",
                            hint: "kinds: \(TicketKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let at = options.at else {
            throw LineError(cursor.lineEnd, "a ticket needs 'at TIME': when it was created",
                            hint: "ticket \(id.value) kind=\(fields.kind) at 2025-09-22 10:00")
        }
        tickets[id.value] = test!.tickets.count
        test!.tickets.append(TestTicket(id: id, fields: fields, created: at, createdBy: options.by, valuePositions: positions))
    }

    /// A ticket or incident name not yet used in the test.
    func newName(_ cursor: inout Cursor, _ what: String) throws -> Located<String> {
        guard let token = cursor.peek(), token.kind == .word, !cursor.atAssignment, token.text != "at" else {
            throw LineError(cursor.here, "expected \(what)")
        }
        cursor.index += 1
        if token.text == "kpi" {
            throw LineError(token.position, "'kpi' cannot name a ticket or incident: 'expect … kpi' is about a KPI",
                            hint: "call it something else, such as K1")
        }
        if tickets[token.text] != nil || incidents[token.text] != nil {
            throw LineError(token.position, "'\(token.text)' is already used in this test", hint: "give each ticket and incident its own name")
        }
        return Located(token.text, at: token.position)
    }

    static let eventKinds = EventKind.allCases.filter { $0 != .created }.map(\.rawValue)

    /// `event ID KIND [WHAT] [FIELD=VALUE…] [score=N] at TIME [by WHO] [note "TEXT"]`
    mutating func eventStatement(_ keyword: RuleTestToken, _ cursor: inout Cursor) throws {
        let id = try cursor.name("the ticket's name")
        // A ticket whose own line has an error: read this line for its own errors, then drop it.
        let ticketIndex = tickets[id.value]
        if ticketIndex == nil, !brokenNames.contains(id.value) {
            if incidents[id.value] != nil {
                throw LineError(id.position, "'\(id.value)' is an incident", hint: "incidents take 'raise', 'confirm' and 'close'")
            }
            throw LineError(id.position, "unknown ticket '\(id.value)'",
                            hint: Suggestion.hint(for: id.value, in: tickets.keys.sorted()) ?? "declare it above with 'ticket \(id.value) …'")
        }
        let kindToken = try cursor.name("an event such as acknowledged, paused or resolved")
        guard let kind = EventKind(rawValue: kindToken.value), kind != .created else {
            throw LineError(kindToken.position, "unknown event '\(kindToken.value)'",
                            hint: Suggestion.hint(for: kindToken.value, in: Self.eventKinds) ?? "events: \(Self.eventKinds.joined(separator: ", "))")
        }
        var changes: [String: String] = [:]
        var score: Int?
        var statusPosition = kindToken.position
        // `paused waiting-customer`, `assigned li-na`: the one value these events carry, without a key.
        if kind == .paused || kind == .assigned, let token = cursor.peek(), token.kind == .word,
           !cursor.atAssignment, !["at", "by", "note"].contains(token.text) {
            cursor.index += 1
            changes[kind == .paused ? "status" : "assignee"] = token.text
            statusPosition = token.position
        }
        let options = try readOptions(&cursor, allowsNote: true, expected: "'at TIME', 'by WHO' or 'note \"TEXT\"'")
        for (key, values) in options.assignments {
            switch kind {
            case .regraded:
                let (field, value) = try field(key, values)
                guard let field else { throw LineError(key.position, "a regrade changes fields that policies match on, not 'text'") }
                changes[field.rawValue] = value
            case .paused where key.value == "status", .assigned where key.value == "assignee":
                guard changes[key.value] == nil else { throw LineError(key.position, "'\(key.value)' is given twice") }
                changes[key.value] = values[0].value
                statusPosition = values[0].position
            case .revisited where key.value == "score":
                switch RevisitScore.parse(values[0].value, kind: kind) {
                case let .success(value) where values.count == 1: score = value
                case .success: throw LineError(values[1].position, "'score' takes one value", hint: "score=\(RevisitScore.range.upperBound)")
                case let .failure(refusal): throw LineError(values[0].position, refusal.message, hint: "event \(id.value) revisited score=5 at … note \"很满意\"")
                }
            case _ where key.value == "score":
                throw LineError(key.position, "'\(kind.rawValue)' takes no 'score='",
                                hint: "only a return visit carries the owner's satisfaction: event \(id.value) revisited score=5 at …")
            default:
                throw LineError(key.position, "'\(kind.rawValue)' takes no '\(key.value)='",
                                hint: "only 'regraded' changes fields (event T1 regraded grade=A …)")
            }
        }
        if kind == .paused, let status = changes["status"], !TicketStatus.pauseStatuses.contains(status) {
            let statuses = TicketStatus.pauseStatuses.sorted()
            throw LineError(statusPosition, "'\(status)' is not a pause status",
                            hint: Suggestion.hint(for: status, in: statuses) ?? "expected one of \(statuses.joined(separator: ", "))")
        }
        if kind == .assigned, changes["assignee"] == nil {
            throw LineError(kindToken.position, "'assigned' needs the new assignee", hint: "event \(id.value) assigned li-na at 2025-09-22 10:30")
        }
        if kind == .regraded, changes.isEmpty {
            throw LineError(kindToken.position, "'regraded' needs the fields it changes", hint: "event \(id.value) regraded grade=A at 2025-09-22 10:30")
        }
        guard let at = options.at else {
            throw LineError(cursor.lineEnd, "an event needs 'at TIME'", hint: "event \(id.value) \(kind.rawValue) at 2025-09-22 11:00")
        }
        guard let ticketIndex else { throw LineError(id.position, "") }
        test!.tickets[ticketIndex].events.append(TestTicketEvent(kind: kind, at: at, actor: options.by, note: options.note,
                                                                 changes: changes.isEmpty ? nil : changes, position: keyword.position,
                                                                 score: score))
    }

    /// `incident ID PLAN [level L] [site=…] [building=…] at TIME [by WHO]`, or `drill …` for a drill.
    mutating func incidentStatement(_ keyword: RuleTestToken, _ cursor: inout Cursor) throws {
        let id = try newName(&cursor, "an incident name such as I1")
        let plan = try cursor.name("the plan's name")
        var level: IncidentLevel?
        let options = try readOptions(&cursor, allowsNote: false, expected: "'level I|II|III', site=…, building=…, 'at TIME' or 'by WHO'") { cursor in
            guard cursor.isWord("level") else { return false }
            if level != nil { throw LineError(cursor.here, "'level' is given twice") }
            cursor.index += 1
            level = try Self.level(&cursor)
            return true
        }
        var site: String?, building: String?
        for (key, values) in options.assignments {
            switch key.value {
            case "site": site = values.map(\.value).joined(separator: ",")
            case "building": building = values.map(\.value).joined(separator: ",")
            default:
                throw LineError(key.position, "an incident has no field '\(key.value)'",
                                hint: Suggestion.hint(for: key.value, in: ["site", "building"]) ?? "incident fields: site, building")
            }
        }
        guard let at = options.at else {
            throw LineError(cursor.lineEnd, "\(keyword.text == "drill" ? "a drill" : "an incident") needs 'at TIME': when it was declared",
                            hint: "\(keyword.text) \(id.value) \(plan.value) at 2025-09-22 10:00")
        }
        incidents[id.value] = test!.incidents.count
        test!.incidents.append(TestIncident(id: id, plan: plan, level: level, isDrill: keyword.text == "drill", site: site,
                                            building: building, opened: at, openedBy: options.by))
    }

    static func level(_ cursor: inout Cursor) throws -> IncidentLevel {
        let token = try cursor.name("a level: I, II or III")
        guard let level = IncidentLevel(rawValue: token.value) else {
            throw LineError(token.position, "'\(token.value)' is not a level", hint: "levels are I (most serious), II and III")
        }
        return level
    }

    /// `raise ID [to] level L …`, `confirm ID STEP …`, `close ID …`, each `at TIME [by WHO] [note "TEXT"]`.
    mutating func incidentEventStatement(_ keyword: RuleTestToken, _ cursor: inout Cursor) throws {
        let id = try cursor.name("the incident's name")
        let incidentIndex = incidents[id.value]
        if incidentIndex == nil, !brokenNames.contains(id.value) {
            if tickets[id.value] != nil {
                throw LineError(id.position, "'\(id.value)' is a ticket", hint: "tickets take 'event \(id.value) …'")
            }
            throw LineError(id.position, "unknown incident '\(id.value)'",
                            hint: Suggestion.hint(for: id.value, in: incidents.keys.sorted()) ?? "declare it above with 'incident \(id.value) PLAN at …'")
        }
        var level: IncidentLevel?
        var step: Located<String>?
        let kind: IncidentEvent.Kind
        switch keyword.text {
        case "raise":
            kind = .raised
            if cursor.isWord("to") { cursor.index += 1 }
            try cursor.expectWord("level", hint: "raise \(id.value) to level II at 2025-09-22 10:30")
            level = try Self.level(&cursor)
        case "confirm":
            kind = .confirmed
            step = try cursor.name("the step confirmed", hint: "confirm \(id.value) arrive at 2025-09-22 10:25 by wang-qiang")
        default:
            kind = .closed
        }
        let options = try readOptions(&cursor, allowsNote: true, expected: "'at TIME', 'by WHO' or 'note \"TEXT\"'")
        if let first = options.assignments.first {
            throw LineError(first.key.position, "'\(keyword.text)' takes no '\(first.key.value)='")
        }
        guard let at = options.at else {
            throw LineError(cursor.lineEnd, "'\(keyword.text)' needs 'at TIME'", hint: "\(keyword.text) \(id.value)\(step.map { " " + $0.value } ?? "") at 2025-09-22 10:30")
        }
        guard let incidentIndex else { throw LineError(id.position, "") }   // its own line is reported
        test!.incidents[incidentIndex].events.append(TestIncidentEvent(kind: kind, at: at, actor: options.by, level: level, step: step,
                                                                       note: options.note, position: keyword.position))
    }

    /// `run until TIME`
    mutating func runStatement(_ keyword: RuleTestToken, _ cursor: inout Cursor) throws {
        try cursor.expectWord("until", hint: "run until 2025-09-23 00:00")
        let until = try cursor.stamp("the time to run until")
        if let earlier = test!.until {
            throw LineError(keyword.position, "'run until' is given twice", hint: "the first is on line \(earlier.position.line)")
        }
        test!.until = until
    }

    static let clockStates = ["pending", "running", "paused", "met", "breached"]
    static let stepStates = ["open", "overdue", "confirmed"]

    /// `expect TIME ID STEP… [notify …]`, `expect TIME ID clock NAME [STATE] [deadline TIME]`,
    /// `expect TIME ID policy NAME|none`, `expect TIME ID assignee NAME|none`, `expect TIME ID step NAME open|overdue|confirmed`.
    mutating func expectStatement(_ keyword: RuleTestToken, _ cursor: inout Cursor) throws {
        let at = try cursor.stamp("the instant, such as 2025-09-22 11:30,")
        let subject = try cursor.name("the ticket or incident's name, or 'kpi'")
        let claim: Expectation.Claim
        if subject.value == "kpi" {
            claim = try kpiClaim(&cursor)
        } else if cursor.isWord("clock") {
            cursor.index += 1
            let name = try cursor.name("the clock's name", hint: "expect … \(subject.value) clock respond breached")
            var state: Located<ClockState>?
            if let token = cursor.peek(), token.kind == .word, token.text != "deadline" {
                guard let value = ClockState(rawValue: token.text) else {
                    throw LineError(token.position, "'\(token.text)' is not a clock state",
                                    hint: Suggestion.hint(for: token.text, in: Self.clockStates) ?? "states: \(Self.clockStates.joined(separator: ", "))")
                }
                cursor.index += 1
                state = Located(value, at: token.position)
            }
            var deadline: Stamp?
            if cursor.isWord("deadline") {
                cursor.index += 1
                deadline = try cursor.stamp("the deadline")
            }
            guard state != nil || deadline != nil else {
                throw LineError(cursor.lineEnd, "say what to expect of the clock: a state, a deadline, or both",
                                hint: "states: \(Self.clockStates.joined(separator: ", ")); deadline 2025-09-22 12:00")
            }
            claim = .clock(name: name, state: state, deadline: deadline)
        } else if cursor.isWord("policy") {
            cursor.index += 1
            claim = .policy(try cursor.name("the policy's name (or none)"))
        } else if cursor.isWord("assignee") {
            cursor.index += 1
            claim = .assignee(try cursor.name("the person's name (or none)"))
        } else if cursor.isWord("step") {
            cursor.index += 1
            let name = try cursor.name("the step's name")
            let token = try cursor.name("the step's state: open, overdue or confirmed")
            guard let state = PlanStepStatus.State(rawValue: token.value) else {
                throw LineError(token.position, "'\(token.value)' is not a step state",
                                hint: Suggestion.hint(for: token.value, in: Self.stepStates) ?? "states: open, overdue, confirmed")
            }
            claim = .planStep(name: name, state: Located(state, at: token.position))
        } else {
            var words: [Located<String>] = []
            while let token = cursor.peek(), !(token.kind == .word && token.text == "notify") {
                guard token.kind == .word || token.kind == .string else {
                    throw LineError(token.position, "unexpected '\(token.text)'", hint: "expected the step, then 'notify PEOPLE via CHANNELS'")
                }
                words.append(Located(token.text, at: token.position))
                cursor.index += 1
            }
            guard !words.isEmpty else {
                throw LineError(cursor.here, "expected the step that fires, such as respond or \"respond - 30m\"",
                                hint: "expect 2025-09-22 12:00 \(subject.value) respond notify li-na via sms, ops, console")
            }
            var recipients: [RecipientGroup]?
            if cursor.isWord("notify") {
                cursor.index += 1
                recipients = try recipientGroups(&cursor)
            }
            claim = .notification(words: words, recipients: recipients)
        }
        test!.expectations.append(Expectation(at: at, subject: subject, claim: claim, position: keyword.position))
    }

    /// `nobody`, or `PEOPLE via CHANNELS [and PEOPLE via CHANNELS]…`.
    func recipientGroups(_ cursor: inout Cursor) throws -> [RecipientGroup] {
        if cursor.isWord("nobody") {
            cursor.index += 1
            return []
        }
        var groups: [RecipientGroup] = []
        repeat {
            if !groups.isEmpty { cursor.index += 1 }
            let people = try cursor.list("a person's name", hint: "notify li-na, zhou-min via sms, ops")
            try cursor.expectWord("via", hint: "name the channels: notify \(people.map(\.value).joined(separator: ", ")) via sms, console")
            let channels = try cursor.list("a channel's name", hint: "notify \(people.map(\.value).joined(separator: ", ")) via sms, console")
            groups.append(RecipientGroup(people: people, channels: channels))
        } while cursor.isWord("and")
        return groups
    }
}
