import SLAEngine
import SLARules

/// A rule test file (`*.slatest`) as written: tickets and incidents with their histories at virtual
/// instants, and what the rules are expected to do. `docs/testing-rules.md` describes the format.
///
/// Times stay as written until the rules are known (`RuleTestCompiler`): a local time such as
/// `2025-09-22 10:00` means the wall time of the rules' display zone.
public struct RuleTestFile: Sendable {
    /// The name used in messages (usually the path as the operator typed it).
    public let path: String
    /// The `rules PATH` statement: the rules folder, relative to the test file's folder.
    public var rules: Located<String>?
    public var tests: [RuleTest] = []
    /// The file's lines, for excerpts in messages.
    public internal(set) var lines: [String] = []

    public init(path: String) { self.path = path }

    /// A problem at a place in this file.
    func diagnostic(_ position: TextPosition, _ message: String, hint: String? = nil) -> RuleTestDiagnostic {
        let lineText = position.line >= 1 && position.line <= lines.count ? lines[position.line - 1] : ""
        return RuleTestDiagnostic(file: path, position: position, message: message, hint: hint, lineText: lineText)
    }
}

/// A place on one line of a test file: 1-based line and column, counted in characters.
public struct TextPosition: Sendable, Hashable {
    public let line: Int
    public let column: Int
    /// Characters covered, for the caret line (at least 1).
    public let length: Int

    public init(line: Int, column: Int, length: Int) {
        self.line = line
        self.column = column
        self.length = max(1, length)
    }
}

/// A value with the place it was written.
public struct Located<Value: Sendable & Hashable>: Sendable, Hashable {
    public let value: Value
    public let position: TextPosition

    public init(_ value: Value, at position: TextPosition) {
        self.value = value
        self.position = position
    }
}

/// A time as written (`2025-09-22 10:00` or `2025-09-22T10:00:00+08:00`), checked for form only.
public typealias Stamp = Located<String>

/// One `test "…"` block.
public struct RuleTest: Sendable {
    public let name: String
    public let position: TextPosition
    public var tickets: [TestTicket] = []
    public var incidents: [TestIncident] = []
    public var until: Stamp?
    public var expectations: [Expectation] = []

    public init(name: String, position: TextPosition) {
        self.name = name
        self.position = position
    }
}

public struct TestTicket: Sendable {
    public let id: Located<String>
    public var fields: TicketFields
    public var created: Stamp
    public var createdBy: String?
    public var events: [TestTicketEvent] = []
    /// Where each field's value is written, for reporting a value the rules refuse.
    public var valuePositions: [TicketField: TextPosition] = [:]
}

public struct TestTicketEvent: Sendable {
    public let kind: EventKind
    public let at: Stamp
    public let actor: String?
    public let note: String?
    public let changes: [String: String]?
    /// The whole statement, for messages about it.
    public let position: TextPosition
    /// `revisited score=N`: the owner's satisfaction, 1–5.
    public var score: Int? = nil
}

public struct TestIncident: Sendable {
    public let id: Located<String>
    public let plan: Located<String>
    /// Nil: the plan's own level.
    public let level: IncidentLevel?
    public let isDrill: Bool
    public let site: String?
    public let building: String?
    public let opened: Stamp
    public let openedBy: String?
    public var events: [TestIncidentEvent] = []
}

public struct TestIncidentEvent: Sendable {
    public let kind: IncidentEvent.Kind
    public let at: Stamp
    public let actor: String?
    public let level: IncidentLevel?
    public let step: Located<String>?
    public let note: String?
    public let position: TextPosition
}

/// One `expect` line.
public struct Expectation: Sendable {
    public let at: Stamp
    /// The ticket or incident it is about.
    public let subject: Located<String>
    public let claim: Claim
    /// The statement's first word, for messages.
    public let position: TextPosition

    public enum Claim: Sendable {
        /// A notification fires at the instant. `words` name the step as written: a ticket's step key
        /// (`respond - 30m`, `"75% of feedback"`) or an incident's `assigned STEP` / `overdue STEP`.
        /// Recipients nil: not checked.
        case notification(words: [Located<String>], recipients: [RecipientGroup]?)
        /// A clock's state and/or deadline at the instant.
        case clock(name: Located<String>, state: Located<ClockState>?, deadline: Stamp?)
        /// The policy that applies at the instant (`none` for no policy).
        case policy(Located<String>)
        /// The ticket's assignee at the instant (`none` for nobody): a route's pick, or a hand assignment.
        case assignee(Located<String>)
        /// An incident step's state at the instant.
        case planStep(name: Located<String>, state: Located<PlanStepStatus.State>)
        /// `kpi NAME[@GROUP] STEP [notify …]`: a KPI's notice (`warning`, `breached`, `repeat-warning`,
        /// `repeat-breached`, `cleared`) fires at the instant.
        case kpiNotice(kpi: KPIReference, step: Located<String>, recipients: [RecipientGroup]?)
        /// `kpi NAME[@GROUP] [level LEVEL] [value VALUE]`: a KPI's level and/or value at the instant.
        case kpiState(kpi: KPIReference, level: Located<KPILevel>?, value: Located<String>?)
    }
}

/// `repair-24h` or `repair-24h@cuihu`: a KPI, and one of its groups (a site, team or person) when it
/// is grouped.
public struct KPIReference: Sendable, Hashable {
    public let name: Located<String>
    public let group: Located<String>?

    /// `kpi repair-24h@cuihu`, as the test output writes the subject.
    public var subject: String { KPIWatch.subject(name.value, group: group?.value) }
}

/// `li-na, zhou-min via sms, ops`: people reached on each of the channels. No people: `nobody`.
public struct RecipientGroup: Sendable, Hashable {
    public let people: [Located<String>]
    public let channels: [Located<String>]
}
