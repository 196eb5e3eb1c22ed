import SLAEngine
import SLARules

/// One plan's last drills side by side: per step the actual time in each drill and whether the latest
/// drill was faster, slower or steady against the one before. Real incidents are left out: they are not
/// rehearsals and their circumstances differ.
public struct PlanTrend: Sendable, Hashable, Codable {
    public enum Direction: String, Sendable, Hashable, Codable {
        case faster, slower, steady
        /// Fewer than two drills with the step confirmed: nothing to compare.
        case unknown
    }

    public struct Drill: Sendable, Hashable, Codable {
        public var incidentID: String
        public var openedAt: Instant
        public var level: IncidentLevel
        public var result: IncidentReport.Result
        public var passed: Int
        public var steps: Int
    }

    public struct StepTrend: Sendable, Hashable, Codable {
        public var name: String
        public var title: String?
        /// Per drill (same order as `drills`): seconds from the declaration to the confirmation; nil when
        /// the step was not part of that drill or was never confirmed.
        public var actuals: [Int?]
        /// Per drill: the target (deadline − declaration); nil when the step was not part of that drill.
        public var targets: [Int?]
        /// Per drill: the step's result; nil when the step was not part of that drill.
        public var results: [IncidentReport.Result?]
        public var direction: Direction
        /// Latest actual − previous actual, in seconds (negative: faster).
        public var change: Int?
    }

    public var plan: String
    public var planTitle: String?
    /// Oldest first; at most `last`.
    public var drills: [Drill]
    public var steps: [StepTrend]
    public var zone: ReportZone

    /// The tolerance under which a change counts as steady: 10 % of the previous time, at least 10 s.
    public static func tolerance(previous: Int) -> Int { max(10, abs(previous) / 10) }

    /// The plan's last `last` drills (by opening time) among `reports`; other plans' reports and real
    /// incidents are ignored.
    public static func make(plan: Plan, reports: [IncidentReport], last: Int = 4) -> PlanTrend {
        let chosen = reports.filter { $0.plan == plan.name && $0.isDrill }
            .sorted { ($0.openedAt, $0.incidentID) < ($1.openedAt, $1.incidentID) }
            .suffix(max(0, last))
        let drills = chosen.map {
            Drill(incidentID: $0.incidentID, openedAt: $0.openedAt, level: $0.level, result: $0.result,
                  passed: $0.count(.pass), steps: $0.steps.count)
        }
        let steps = plan.steps.compactMap { planStep -> StepTrend? in
            let found = chosen.map { report in report.steps.first { $0.name == planStep.name }.map { (report, $0) } }
            guard found.contains(where: { $0 != nil }) else { return nil }
            let actuals = found.map { pair in pair.flatMap { $0.1.actual(from: $0.0.openedAt) } }
            let targets = found.map { pair in pair.map { $0.1.target(from: $0.0.openedAt) } }
            let results = found.map { $0?.1.result }
            let known = actuals.compactMap { $0 }
            var direction = Direction.unknown
            var change: Int?
            if let latest = actuals.last ?? nil, known.count >= 2 {
                let previous = known[known.count - 2]
                change = latest - previous
                direction = abs(latest - previous) <= tolerance(previous: previous) ? .steady : latest < previous ? .faster : .slower
            }
            return StepTrend(name: planStep.name, title: planStep.title, actuals: actuals, targets: targets,
                             results: results, direction: direction, change: change)
        }
        let zone = chosen.last?.zone ?? reports.last?.zone ?? ReportZone(ZoneTable(fixedOffset: 8 * 3600, identifier: "Asia/Shanghai"))
        return PlanTrend(plan: plan.name, planTitle: plan.title, drills: drills, steps: steps, zone: zone)
    }

    /// `2 faster, 1 slower, 3 steady; latest drill D4 PASS 6/6`.
    public var summary: String {
        func n(_ d: Direction) -> Int { steps.filter { $0.direction == d }.count }
        guard let latest = drills.last else { return "no drills of \(plan) yet" }
        var text = drills.count < 2 ? "only one drill: nothing to compare"
            : "\(n(.faster)) faster, \(n(.slower)) slower, \(n(.steady)) steady"
        if drills.count >= 2, n(.unknown) > 0 { text += ", \(n(.unknown)) not comparable" }
        return text + "; latest drill \(latest.incidentID) \(latest.result.rawValue.uppercased()) \(latest.passed)/\(latest.steps)"
    }
}
