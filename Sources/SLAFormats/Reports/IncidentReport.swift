import SLAEngine
import SLARules

/// The report of one incident or drill: per step the target, the actual time, the margin and the result;
/// the notifications and their delivery; the totals. A value: `make` builds it, `markdown()`, `json()`
/// and `html()` render it. Times are instants; the zone says how to show them.
public struct IncidentReport: Sendable, Hashable, Codable {
    /// A step's (and the whole report's) result.
    public enum Result: String, Sendable, Hashable, Codable {
        /// Confirmed by its deadline (for the report: every step did).
        case pass
        /// Confirmed late, or never confirmed by the deadline or the close.
        case fail
        /// Not confirmed yet and not due yet, while the incident is open.
        case open
    }

    /// The level the incident opened at (the first entry) and each raise after it.
    public struct LevelChange: Sendable, Hashable, Codable {
        public var level: IncidentLevel
        public var at: Instant
        public var by: String?
    }

    public struct Step: Sendable, Hashable, Codable {
        public var name: String
        public var title: String?
        /// The owner as the plan writes it: `roster engineering-oncall`, `manager`.
        public var owner: String
        /// When the step's clock started: the declaration, or the raise that brought the step in.
        public var since: Instant
        /// The step's own limit (`within`): deadline − since.
        public var within: Int
        public var deadline: Instant
        public var confirmedAt: Instant?
        public var confirmedBy: String?
        public var note: String?
        public var result: Result
        /// `link` when confirmed with an action link's button.
        public var confirmedVia: String?
        /// When someone other than the step's owner confirmed it: the people its assignment reached.
        public var confirmedInsteadOf: String?

        /// Who confirmed it, as the Markdown and HTML reports say it: `zhang-wei（经链接）`,
        /// `li-na（非负责人；负责人 zhang-wei）`.
        public var confirmer: String? {
            confirmedBy.map { actor in
                var text = actor
                if confirmedVia == "link" { text += "（经链接）" }
                if let owner = confirmedInsteadOf { text += "（非负责人；负责人 \(owner)）" }
                return text
            }
        }
    }

    /// How `duration` was measured.
    public enum DurationEnd: String, Sendable, Hashable, Codable {
        /// Declaration to the close.
        case closed
        /// Open still, but every step is confirmed: declaration to the last confirmation.
        case lastConfirmation
        /// Open, with steps outstanding: declaration to the report's generation.
        case stillOpen
    }

    public var incidentID: String
    public var plan: String
    public var planTitle: String?
    public var isDrill: Bool
    public var site: String?
    public var building: String?
    /// The level at report time.
    public var level: IncidentLevel
    public var levelChanges: [LevelChange]
    public var openedAt: Instant
    public var openedBy: String?
    public var closedAt: Instant?
    public var closedBy: String?
    /// The note of the `closed` event.
    public var closeReason: String?
    /// Seconds, measured as `durationEnd` says.
    public var duration: Int
    public var durationEnd: DurationEnd
    /// The steps that belong to the plan at the final level, in the plan's order.
    public var steps: [Step]
    /// Ordered by queueing time, then by the step's place in the plan.
    public var notifications: [IncidentNotificationRecord]
    public var generatedAt: Instant
    public var zone: ReportZone

    /// `pass` only when every step passed; `fail` when any failed; `open` otherwise.
    public var result: Result {
        if steps.contains(where: { $0.result == .fail }) { return .fail }
        if steps.contains(where: { $0.result == .open }) || steps.isEmpty { return .open }
        return .pass
    }

    public func count(_ result: Result) -> Int { steps.filter { $0.result == result }.count }
}

extension IncidentReport.Step {
    /// Seconds from the incident's declaration to the deadline: the target the supervisor reads.
    public func target(from openedAt: Instant) -> Int { deadline - openedAt }
    /// Seconds from the declaration to the confirmation.
    public func actual(from openedAt: Instant) -> Int? { confirmedAt.map { $0 - openedAt } }
    /// Seconds to spare at the confirmation; negative when late.
    public var margin: Int? { confirmedAt.map { deadline - $0 } }
}

extension IncidentReport {
    /// `evaluation` is `Engine.evaluate(incident, at: generatedAt)`; the close reason is the `closed`
    /// event's note. Steps come from the evaluation (the final level's), owners from the plan.
    public static func make(incident: Incident, evaluation: IncidentEvaluation, plan: Plan,
                            notifications: [IncidentNotificationRecord], zone: ZoneTable,
                            generatedAt: Instant) -> IncidentReport {
        let opened = incident.events[0]
        var levels = [LevelChange(level: opened.level ?? plan.level, at: opened.at, by: opened.actor)]
        for event in incident.events.dropFirst() where event.kind == .raised && event.at <= generatedAt {
            guard let level = event.level, level > levels.last!.level else { continue }
            levels.append(LevelChange(level: level, at: event.at, by: event.actor))
        }
        let closed = incident.events.first { $0.kind == .closed && $0.at <= generatedAt }
        let steps = evaluation.steps.map { status -> Step in
            let result: Result
            switch status.state {
            case .confirmed: result = status.isOnTime == true ? .pass : .fail
            case .overdue: result = .fail
            case .open: result = evaluation.isClosed || closed != nil ? .fail : .open
            }
            let owner = plan.steps.first { $0.name == status.name }.map { $0.owner.description } ?? ""
            return Step(name: status.name, title: status.title, owner: owner, since: status.since,
                        within: status.deadline - status.since, deadline: status.deadline,
                        confirmedAt: status.confirmedAt, confirmedBy: status.confirmedBy, note: status.note, result: result,
                        confirmedVia: status.confirmedVia, confirmedInsteadOf: status.owner)
        }
        let duration: Int
        let end: DurationEnd
        if let closed {
            (duration, end) = (closed.at - opened.at, .closed)
        } else if !steps.isEmpty, steps.allSatisfy({ $0.confirmedAt != nil }) {
            (duration, end) = (steps.compactMap(\.confirmedAt).max()! - opened.at, .lastConfirmation)
        } else {
            (duration, end) = (generatedAt - opened.at, .stillOpen)
        }
        let order = Dictionary(plan.steps.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        let sorted = notifications.enumerated().sorted { a, b in
            let l = a.element, r = b.element
            if l.queuedAt != r.queuedAt { return l.queuedAt < r.queuedAt }
            let lo = order[l.step] ?? Int.max, ro = order[r.step] ?? Int.max
            if lo != ro { return lo < ro }
            if l.kind != r.kind { return l.kind < r.kind }
            return a.offset < b.offset
        }.map(\.element)
        return IncidentReport(
            incidentID: incident.id, plan: plan.name, planTitle: plan.title, isDrill: incident.isDrill,
            site: incident.site, building: incident.building, level: evaluation.level, levelChanges: levels,
            openedAt: opened.at, openedBy: opened.actor, closedAt: closed?.at, closedBy: closed?.actor,
            closeReason: closed?.note, duration: duration, durationEnd: end, steps: steps, notifications: sorted,
            generatedAt: generatedAt, zone: ReportZone(zone))
    }

    /// Notifications counted by state: `sent`, `pending`, `dead` (and any other state the store writes).
    public var notificationCounts: [String: Int] {
        var counts = ["sent": 0, "pending": 0, "dead": 0]
        for record in notifications { counts[record.state, default: 0] += 1 }
        return counts
    }

    func time(_ instant: Instant) -> String { ReportText.time(instant, zone: zone.table) }

}
