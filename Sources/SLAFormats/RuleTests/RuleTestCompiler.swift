import SLAEngine
import SLARules

/// A test ready to run: times resolved in the rules' display zone, tickets and incidents built, every
/// name checked against the rules.
public struct CompiledRuleTest: Sendable {
    public let name: String
    public let file: String
    public let line: Int
    public let tickets: [Ticket]
    public let incidents: [Incident]
    public let until: Instant
    public let notifications: [ExpectedNotification]
    public let assertions: [StateAssertion]
    /// The KPIs the test's `expect … kpi` lines name, in rule order: only they are looked at, and every
    /// notice of theirs must be expected.
    public var kpis: [String] = []
}

/// One person on one channel.
public struct Recipient: Sendable, Hashable, Comparable {
    public let person: String
    public let channel: String

    public init(person: String, channel: String) {
        self.person = person
        self.channel = channel
    }

    public static func < (lhs: Recipient, rhs: Recipient) -> Bool { (lhs.channel, lhs.person) < (rhs.channel, rhs.person) }
}

/// An `expect … notify …` line.
public struct ExpectedNotification: Sendable, Hashable {
    public let line: Int
    public let at: Instant
    public let subject: String
    /// The step key (`respond - 30m`) for a ticket, `assigned STEP` / `overdue STEP` for an incident.
    public let label: String
    /// In the order written; nil when the line does not say whom.
    public let recipients: [Recipient]?
}

/// An `expect … clock|policy|step …` line.
public struct StateAssertion: Sendable, Hashable {
    public enum Claim: Sendable, Hashable {
        case clock(name: String, state: ClockState?, deadline: Instant?)
        /// Nil: no policy applies.
        case policy(String?)
        /// Nil: nobody is assigned.
        case assignee(String?)
        case planStep(name: String, state: PlanStepStatus.State)
        /// A KPI's level and/or value (the whole company when `group` is nil).
        case kpi(name: String, group: String?, level: KPILevel?, value: KPIExpectedValue?)
    }
    public let line: Int
    public let at: Instant
    public let subject: String
    public let claim: Claim
}

/// Checks a parsed test file against the rules and resolves its times.
public enum RuleTestCompiler {
    public static func compile(_ file: RuleTestFile, engine: Engine) -> (tests: [CompiledRuleTest], diagnostics: [RuleTestDiagnostic]) {
        var compiler = Compiling(file: file, engine: engine)
        let tests = file.tests.compactMap { compiler.compile($0) }
        return (compiler.diagnostics.isEmpty ? tests : [], compiler.diagnostics)
    }

    struct Compiling {
        let file: RuleTestFile
        let engine: Engine
        var diagnostics: [RuleTestDiagnostic] = []
        /// Every step key of every policy.
        let stepKeys: [String]
        let clockNames: [String]

        init(file: RuleTestFile, engine: Engine) {
            self.file = file
            self.engine = engine
            var keys: [String] = []
            for policy in engine.rules.policies {
                for key in engine.stepKeys(ofPolicy: policy.name) ?? [] where !keys.contains(key) { keys.append(key) }
            }
            stepKeys = keys
            clockNames = Array(Set(engine.rules.policies.flatMap { $0.clocks.map(\.name) })).sorted()
        }

        mutating func report(_ position: TextPosition, _ message: String, hint: String? = nil) {
            diagnostics.append(file.diagnostic(position, message, hint: hint))
        }

        func instant(_ stamp: Stamp) -> Instant {
            LocalTime.parse(stamp.value, zone: engine.displayZone) ?? Instant(seconds: 0)
        }

        mutating func compile(_ test: RuleTest) -> CompiledRuleTest? {
            let before = diagnostics.count
            var created: [String: Instant] = [:]
            var plans: [String: Plan] = [:]
            var tickets: [Ticket] = []
            for ticket in test.tickets {
                let createdAt = instant(ticket.created)
                created[ticket.id.value] = createdAt
                var records = [TicketEventRecord(kind: .created, at: createdAt, actor: ticket.createdBy)]
                for event in ticket.events {
                    let at = instant(event.at)
                    if at < createdAt {
                        report(event.at.position, "this is before \(ticket.id.value) is created (\(ticket.created.value))")
                    }
                    records.append(TicketEventRecord(kind: event.kind, at: at, actor: event.actor, note: event.note, changes: event.changes,
                                                     score: event.score))
                }
                checkValues(ticket.fields.refusableValues) { ticket.valuePositions[$0] ?? ticket.id.position }
                for event in ticket.events {
                    checkValues(TicketEventRecord(kind: event.kind, at: createdAt, changes: event.changes).refusableValues) { _ in event.position }
                }
                tickets.append(Ticket(id: ticket.id.value, fields: ticket.fields, events: records))
            }
            // Routed as the daemon routes them: in creation order, each seeing the tickets before it.
            tickets = RouteLedger.route(tickets, engine: engine).map(\.ticket)
            // Repeats as the daemon marks them (for KPIs over a test's tickets), across the test in creation order.
            if let repeats = engine.rules.repeats { tickets = RepeatMarker.marking(tickets, within: repeats.withinSeconds) }
            var incidents: [Incident] = []
            for incident in test.incidents {
                let openedAt = instant(incident.opened)
                created[incident.id.value] = openedAt
                guard let plan = engine.rules.plans.first(where: { $0.name == incident.plan.value }) else {
                    report(incident.plan.position, "unknown plan '\(incident.plan.value)'",
                           hint: Suggestion.hint(for: incident.plan.value, in: engine.rules.plans.map(\.name))
                               ?? "plans: \(engine.rules.plans.map(\.name).joined(separator: ", "))")
                    continue
                }
                plans[incident.id.value] = plan
                var value = Incident(id: incident.id.value, plan: plan.name, level: incident.level ?? plan.level, openedAt: openedAt,
                                     isDrill: incident.isDrill, site: incident.site, building: incident.building, by: incident.openedBy)
                for event in incident.events {
                    let at = instant(event.at)
                    if at < openedAt {
                        report(event.at.position, "this is before \(incident.id.value) is declared (\(incident.opened.value))")
                    }
                    if let step = event.step { checkStep(step, of: plan) }
                    value.append(IncidentEvent(kind: event.kind, at: at, actor: event.actor, level: event.level, step: event.step?.value, note: event.note))
                }
                incidents.append(value)
            }
            let until = instant(test.until!)
            if let first = created.values.min(), until < first {
                report(test.until!.position, "'run until' is before the first ticket or incident begins")
            }
            var notifications: [ExpectedNotification] = []
            var assertions: [StateAssertion] = []
            var watched: Set<String> = []
            for expectation in test.expectations {
                let at = instant(expectation.at)
                let subject = expectation.subject.value
                if at > until {
                    report(expectation.at.position, "this is after 'run until' (\(test.until!.value)), so the test never gets there",
                           hint: "run the test further, or move the expectation")
                } else if let start = created[subject], at < start {
                    report(expectation.at.position, "this is before \(subject) begins")
                }
                switch expectation.claim {
                case let .notification(words, recipients):
                    let label: String
                    if test.incidents.contains(where: { $0.id.value == subject }) {
                        guard let plan = plans[subject] else { continue }   // the unknown plan is reported above
                        checkStep(words[1], of: plan)
                        label = "\(words[0].value) \(words[1].value)"
                    } else {
                        label = stepKey(words)
                    }
                    notifications.append(ExpectedNotification(line: expectation.position.line, at: at, subject: subject, label: label,
                                                              recipients: recipients.map { self.recipients($0) }))
                case let .clock(name, state, deadline):
                    if !clockNames.contains(name.value) {
                        report(name.position, "no policy has a clock '\(name.value)'",
                               hint: Suggestion.hint(for: name.value, in: clockNames) ?? "clocks: \(clockNames.joined(separator: ", "))")
                    }
                    assertions.append(StateAssertion(line: expectation.position.line, at: at, subject: subject,
                                                     claim: .clock(name: name.value, state: state?.value, deadline: deadline.map(instant))))
                case let .policy(name):
                    let names = engine.rules.policies.map(\.name)
                    if name.value != "none", !names.contains(name.value) {
                        report(name.position, "unknown policy '\(name.value)'",
                               hint: Suggestion.hint(for: name.value, in: names + ["none"]) ?? "policies: \(names.joined(separator: ", ")), or none")
                    }
                    assertions.append(StateAssertion(line: expectation.position.line, at: at, subject: subject,
                                                     claim: .policy(name.value == "none" ? nil : name.value)))
                case let .assignee(name):
                    let people = engine.rules.people.keys.sorted()
                    if name.value != "none", engine.rules.people[name.value] == nil {
                        report(name.position, "unknown person '\(name.value)'",
                               hint: Suggestion.hint(for: name.value, in: people + ["none"]) ?? "name a person of the rules, or none")
                    }
                    assertions.append(StateAssertion(line: expectation.position.line, at: at, subject: subject,
                                                     claim: .assignee(name.value == "none" ? nil : name.value)))
                case let .planStep(name, state):
                    if let plan = plans[subject] { checkStep(name, of: plan) }
                    assertions.append(StateAssertion(line: expectation.position.line, at: at, subject: subject,
                                                     claim: .planStep(name: name.value, state: state.value)))
                case let .kpiNotice(reference, step, recipients):
                    guard let kpi = kpi(reference, in: test) else { continue }
                    checkNotice(step, of: kpi)
                    watched.insert(kpi.name)
                    notifications.append(ExpectedNotification(line: expectation.position.line, at: at, subject: reference.subject,
                                                              label: step.value, recipients: recipients.map { self.recipients($0) }))
                case let .kpiState(reference, level, value):
                    guard let kpi = kpi(reference, in: test) else { continue }
                    let expected = value.flatMap { kpiValue($0, of: kpi) }
                    watched.insert(kpi.name)
                    assertions.append(StateAssertion(line: expectation.position.line, at: at, subject: reference.subject,
                                                     claim: .kpi(name: kpi.name, group: reference.group?.value, level: level?.value, value: expected)))
                }
            }
            guard diagnostics.count == before else { return nil }
            var compiled = CompiledRuleTest(name: test.name, file: file.path, line: test.position.line, tickets: tickets, incidents: incidents,
                                            until: until, notifications: notifications, assertions: assertions)
            compiled.kpis = engine.rules.kpis.map(\.name).filter(watched.contains)
            return compiled
        }

        /// A test uses only values the rules allow: their declared sets and people (as the API does),
        /// else the built-in sets of grade, priority and source.
        mutating func checkValues(_ values: [(field: TicketField, value: String)], at position: (TicketField) -> TextPosition) {
            for (field, value) in values {
                if let refusal = engine.rules.refusals([(field, value)]).first {
                    report(position(field), refusal.reason, hint: refusal.hint)
                } else if engine.rules.fieldSets[field] == nil, let allowed = field.allowedValues, !allowed.contains(value) {
                    report(position(field), "'\(value)' is not a \(field.rawValue)",
                           hint: Suggestion.hint(for: value, in: allowed) ?? "expected one of \(allowed.joined(separator: ", "))")
                }
            }
        }

        mutating func checkStep(_ step: Located<String>, of plan: Plan) {
            let names = plan.steps.map(\.name)
            guard !names.contains(step.value) else { return }
            report(step.position, "plan '\(plan.name)' has no step '\(step.value)'",
                   hint: Suggestion.hint(for: step.value, in: names) ?? "its steps: \(names.joined(separator: ", "))")
        }

        /// The policy step key that the words name, compared without spaces (`respond -30m` is `respond - 30m`).
        mutating func stepKey(_ words: [Located<String>]) -> String {
            let written = words.map(\.value).joined(separator: " ")
            let squeezed = written.filter { !$0.isWhitespace }
            if let key = stepKeys.first(where: { $0.filter { !$0.isWhitespace } == squeezed }) { return key }
            let position = TextPosition(line: words[0].position.line, column: words[0].position.column,
                                        length: words.last!.position.column + words.last!.position.length - words[0].position.column)
            report(position, "no policy has a step '\(written)'",
                   hint: Suggestion.hint(for: written, in: stepKeys) ?? "a step is named as its policy writes it after 'at': respond, \"respond - 30m\", \"75% of feedback\"")
            return written
        }

        mutating func recipients(_ groups: [RecipientGroup]) -> [Recipient] {
            var result: [Recipient] = []
            let people = engine.rules.people.keys.sorted()
            let channels = engine.rules.channels.keys.sorted()
            for group in groups {
                for person in group.people where engine.rules.people[person.value] == nil {
                    report(person.position, "unknown person '\(person.value)'",
                           hint: Suggestion.hint(for: person.value, in: people) ?? "people are defined in the rules with 'person NAME'")
                }
                for channel in group.channels where engine.rules.channels[channel.value] == nil {
                    report(channel.position, "unknown channel '\(channel.value)'",
                           hint: Suggestion.hint(for: channel.value, in: channels) ?? "channels: \(channels.joined(separator: ", "))")
                }
                for channel in group.channels {
                    for person in group.people {
                        let recipient = Recipient(person: person.value, channel: channel.value)
                        if !result.contains(recipient) { result.append(recipient) }
                    }
                }
            }
            return result
        }
    }
}
