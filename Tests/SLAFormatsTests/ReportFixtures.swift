import Foundation
import SLAEngine
import SLAFormats
import SLARules

/// Incidents and drills of the shipped plans, run through the engine, for the report tests.
enum ReportFixtures {
    /// The shipped `rules/` folder, loaded once.
    static let engine: Engine = {
        let folder = repositoryRoot.appendingPathComponent("rules")
        let names = (FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".sla") }.sorted()
        let sources = names.map { SourceFile(path: $0, text: (try? String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)) ?? "") }
        let result = RuleLoader.check(sources) { path, _ in
            (try? String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)).map { SourceFile(path: path, text: $0) }
        }
        return try! Engine(rules: result.ruleSet!)
    }()

    static let zone = ZoneTable(identifier: "Asia/Shanghai")!

    static func at(_ text: String) -> Instant { LocalTime.parse(text, zone: zone)! }

    static func plan(_ name: String) -> Plan { engine.rules.plans.first { $0.name == name }! }

    /// Runs the engine over the incident from its declaration to `until`, the way the daemon does
    /// (evaluate, fire what is due, wake at the next deadline or event), and records each notice on each
    /// channel as sent two seconds after it was queued.
    static func notifications(_ incident: Incident, until: Instant) -> [IncidentNotificationRecord] {
        var fired: [Firing] = []
        var records: [IncidentNotificationRecord] = []
        var now = incident.openedAt
        while now <= until {
            guard let evaluation = engine.evaluate(incident, at: now, fired: fired) else { break }
            for notice in evaluation.due {
                fired.append(notice.firing)
                let reached = engine.recipients(for: notice, of: incident, at: notice.dueAt)
                for delivery in reached.deliveries {
                    records.append(IncidentNotificationRecord(
                        step: notice.step, kind: notice.kind.rawValue, channel: delivery.channel,
                        recipients: delivery.recipients.map { $0.displayName ?? $0.person }, queuedAt: notice.dueAt,
                        state: "sent", deliveredAt: notice.dueAt + 2, attempts: 1))
                }
            }
            let nextEvent = incident.events.map(\.at).filter { $0 > now }.min()
            guard let next = [evaluation.nextDue, nextEvent].compactMap({ $0 }).filter({ $0 > now }).min() else { break }
            now = next
        }
        return records
    }

    static func report(_ incident: Incident, at generated: Instant) -> IncidentReport {
        let evaluation = engine.evaluate(incident, at: generated)!
        return IncidentReport.make(incident: incident, evaluation: evaluation, plan: plan(incident.plan),
                                   notifications: notifications(incident, until: generated), zone: zone, generatedAt: generated)
    }

    /// A quarterly drill of elevator-trapped: every step confirmed on time, closed at the end.
    /// `minutes` shifts each confirmation (positive: slower).
    static func elevatorDrill(id: String, on day: String, slower minutes: Int = 0) -> Incident {
        let start = at("\(day) 20:00")
        var drill = Incident(id: id, plan: "elevator-trapped", level: .I, openedAt: start, isDrill: true,
                             site: "阳光花园", building: "7栋", by: "chen-gang")
        let confirmations: [(String, Int, String)] = [
            ("comfort", 2, "liu-yang"), ("dispatch", 4, "chen-gang"), ("arrive", 25, "chen-gang"),
            ("supervise", 30, "chen-gang"), ("release", 40, "chen-gang"), ("report", 50, "zhou-min"),
        ]
        for (step, minute, who) in confirmations {
            let when = start + (minute + (step == "arrive" || step == "release" ? minutes : 0)) * 60
            drill.append(IncidentEvent(kind: .confirmed, at: when, actor: who, step: step, note: step == "arrive" ? "模拟到场" : nil))
        }
        drill.append(IncidentEvent(kind: .closed, at: start + 3600, actor: "chen-gang", note: "演练结束"))
        return drill
    }

    /// The drill report of the golden files: the second quarter's, 7 June 2026.
    static var drillReport: IncidentReport {
        report(elevatorDrill(id: "D-2026Q2", on: "2026-06-07"), at: at("2026-06-07 21:05"))
    }

    /// A real elevator incident opened at level II and raised to I; the crew arrives 10 minutes late.
    static var lateIncident: Incident {
        let start = at("2026-03-03 14:00")
        return Incident(id: "E-20260303-01", plan: "elevator-trapped", level: .II, openedAt: start,
                        site: "阳光花园", building: "3栋", by: "liu-yang")
            .appending(IncidentEvent(kind: .confirmed, at: start + 180, actor: "liu-yang", step: "comfort", note: "已通过对讲安抚"))
            .appending(IncidentEvent(kind: .confirmed, at: start + 240, actor: "wang-qiang", step: "dispatch"))
            .appending(IncidentEvent(kind: .raised, at: start + 600, actor: "chen-gang", level: .I, note: "被困人员中有老人"))
            .appending(IncidentEvent(kind: .confirmed, at: start + 2100, actor: "chen-gang", step: "supervise"))
            .appending(IncidentEvent(kind: .confirmed, at: start + 2400, actor: "wang-qiang", step: "arrive", note: "维保人员堵车迟到"))
            .appending(IncidentEvent(kind: .confirmed, at: start + 3000, actor: "wang-qiang", step: "release"))
            .appending(IncidentEvent(kind: .confirmed, at: start + 3900, actor: "zhou-min", step: "report"))
            .appending(IncidentEvent(kind: .closed, at: start + 4200, actor: "zhou-min", note: "人员已解救，电梯停用待修"))
    }

    /// The late incident's report, with one SMS that the gateway never accepted and one still queued.
    static var lateReport: IncidentReport {
        var report = report(lateIncident, at: at("2026-03-03 15:30"))
        if let index = report.notifications.firstIndex(where: { $0.kind == "overdue" && $0.channel == "sms" }) {
            report.notifications[index].state = "dead"
            report.notifications[index].deliveredAt = nil
            report.notifications[index].attempts = 5
        }
        if let index = report.notifications.firstIndex(where: { $0.step == "report" && $0.channel == "mail" }) {
            report.notifications[index].state = "pending"
            report.notifications[index].deliveredAt = nil
            report.notifications[index].attempts = 2
        }
        return report
    }

    /// Five quarterly drills (the oldest falls out of the last four), a real incident and another
    /// plan's drill in between (both left out of the trend).
    static var trendReports: [IncidentReport] {
        let drills = [
            ("D-2025Q4", "2025-12-07", 12), ("D-2026Q1", "2026-03-08", 8), ("D-2026Q2", "2026-06-07", 0),
            ("D-2026Q3", "2026-09-06", 3), ("D-2026Q4", "2026-11-29", -4),
        ].map { id, day, slower in
            report(elevatorDrill(id: id, on: day, slower: slower), at: at(day + " 21:05"))
        }
        let water = Incident(id: "W-D1", plan: "water-outage", level: .III, openedAt: at("2026-10-10 09:00"), isDrill: true)
        return drills + [lateReport, report(water, at: at("2026-10-10 10:00"))]
    }
}
