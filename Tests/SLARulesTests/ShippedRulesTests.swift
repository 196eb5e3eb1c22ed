import Foundation
import Testing
@testable import SLARules

/// The rules in `rules/` are what a new installation runs: they must check clean and say what DESIGN.md promises.
@Suite struct ShippedRulesTests {
    static func load() throws -> CheckResult {
        let folder = repositoryRoot.appendingPathComponent("rules")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sla") }.sorted()
        let sources = try names.map { SourceFile(path: "rules/" + $0, text: try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)) }
        return RuleLoader.check(sources) { path, _ in
            (try? String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)).map { SourceFile(path: "rules/" + path, text: $0) }
        }
    }

    @Test func checkClean() throws {
        let result = try Self.load()
        let rendered = result.diagnostics.map { DiagnosticRenderer.text($0, in: result) }.joined(separator: "\n")
        #expect(result.diagnostics.isEmpty, "\(rendered)")
        #expect(result.ruleSet != nil)
    }

    /// The shipped templates say where the action links go (the end, where they read best after the
    /// message); none puts them in a title (E126).
    @Test func shippedTemplatesPlaceTheActionLinks() throws {
        let rules = try #require(try Self.load().ruleSet)
        #expect(rules.templates.count >= 3)
        for template in rules.templates.values {
            #expect(template.body.hasSuffix("{actions}"), "\(template.name)")
            #expect(template.title?.contains("{actions}") != true, "\(template.name)")
        }
    }

    @Test func everyPromiseIsExpressed() throws {
        let rules = try #require(try Self.load().ruleSet)
        func policy(_ fields: [TicketField: [String]]) -> Policy? { rules.policy(for: fields) }
        func limit(_ fields: [TicketField: [String]], _ clock: String) -> Limit? { policy(fields)?.clock(named: clock)?.limit }
        let hour = 3600
        #expect(limit([.kind: ["complaint"], .grade: ["A"]], "respond") == .wall(Duration(seconds: 2 * hour)))
        #expect(limit([.kind: ["complaint"], .grade: ["B"]], "respond") == .wall(Duration(seconds: 8 * hour)))
        #expect(limit([.kind: ["complaint"], .grade: ["C"]], "respond") == .wall(Duration(seconds: 24 * hour)))
        for grade in ["A", "B", "C"] {
            let fields: [TicketField: [String]] = [.kind: ["complaint"], .grade: [grade]]
            #expect(limit(fields, "assess") == .wall(Duration(seconds: 24 * hour)))
            #expect(limit(fields, "feedback") == .workingDays(3, hours: "office"))
            #expect(limit(fields, "revisit") == .wall(Duration(seconds: 7 * 24 * hour)))
            #expect(policy(fields)?.clock(named: "revisit")?.start == .resolved)
        }
        #expect(limit([.kind: ["repair"], .priority: ["urgent"]], "respond") == .wall(Duration(seconds: 1800)))
        #expect(limit([.kind: ["repair"], .priority: ["regular"]], "close") == .wall(Duration(seconds: 2 * hour)))
        #expect(limit([.kind: ["repair"], .priority: ["regular"]], "complete") == .wall(Duration(seconds: 24 * hour)))
        #expect(limit([.kind: ["enquiry"]], "answer") == .endOfWorkingDay(hours: "office"))
        #expect(limit([.kind: ["suggestion"]], "summarise") == .wall(Duration(seconds: 7 * 24 * hour)))
        let elevator = try #require(rules.plans.first { $0.name == "elevator-trapped" })
        #expect(elevator.steps.first { $0.name == "arrive" }?.within == Duration(seconds: 1800))
        #expect(Set(rules.plans.map(\.name)) == ["elevator-trapped", "water-outage", "power-outage"])
        for plan in rules.plans {
            #expect(plan.steps.contains { $0.minimumLevel == .I }, "\(plan.name) has level-I steps")
            #expect(plan.steps.contains { $0.minimumLevel == .II }, "\(plan.name) has level-II steps")
        }
    }

    /// Table-driven against the official notices: holidays off, make-up days (调休) on.
    @Test(arguments: [
        ("2025-01-01", false), ("2025-01-26", true), ("2025-02-08", true), ("2025-10-01", false), ("2025-10-08", false),
        ("2025-10-11", true), ("2025-09-28", true), ("2026-01-04", true), ("2026-02-14", true), ("2026-02-16", false),
        ("2026-10-01", false), ("2026-10-07", false), ("2026-10-09", true), ("2026-10-10", true), ("2026-10-12", true), ("2026-12-31", true),
    ])
    func officialCalendar(_ date: String, _ working: Bool) throws {
        let rules = try #require(try Self.load().ruleSet)
        let calendar = try #require(rules.calendars["cn"])
        #expect(calendar.isWorkingDay(DayDate(date)!) == working, "\(date)")
    }

    @Test func everyShippedLimitCitesItsSource() throws {
        let folder = repositoryRoot.appendingPathComponent("rules")
        for name in ["complaints.sla", "repairs.sla", "enquiries.sla", "plans.sla"] {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            for line in text.split(separator: "\n") where !line.hasPrefix("#") && (line.contains(" within ") || line.contains(" by end of ")) {
                #expect(line.contains("# ["), "\(name): a limit without a source comment: \(line)")
            }
        }
    }

    /// rules/kpi.sla holds the manuals' indicators with their figures (DESIGN.md, "Targets the managers
    /// watch"); every kpi says where it comes from and whom it tells.
    @Test func shippedKPIsCarryTheManualsTargets() throws {
        let rules = try #require(try Self.load().ruleSet)
        let kpis = Dictionary(uniqueKeysWithValues: rules.kpis.map { ($0.name, $0) })
        #expect(kpis["repair-24h"]?.measure == .onTime(clock: "complete"))
        #expect(kpis["repair-24h"]?.target == KPILine(value: 0.93, higherIsBetter: true))
        #expect(kpis["resolution-rate"]?.target == KPILine(value: 0.95, higherIsBetter: true))
        #expect(kpis["satisfied-share"]?.measure == .satisfiedShare(atLeast: 4))
        #expect(kpis["satisfied-share"]?.target == KPILine(value: 0.9, higherIsBetter: true))
        #expect(kpis["satisfaction"]?.target == KPILine(value: 4.8, higherIsBetter: true))
        #expect(kpis["complaint-rate"]?.measure == .per100Households)
        #expect(kpis["complaint-rate"]?.target == KPILine(value: 5, higherIsBetter: false))
        #expect(kpis["backlog-3d"]?.measure == .backlog(olderThanSeconds: 3 * 86_400))
        let measures = Set(rules.kpis.map { "\($0.measure.unit)/\($0.measure.syntax.split(separator: " ")[0])" })
        for expected in ["share/on-time", "share/resolution-rate", "score/satisfaction", "share/satisfied-share", "rate/per-100-households",
                         "share/repeat-rate", "share/revisit-rate", "count/open", "count/overdue", "count/backlog"] {
            #expect(measures.contains(expected), "no shipped kpi measures \(expected)")
        }
        for kpi in rules.kpis {
            #expect(kpi.title != nil && kpi.source != nil, "\(kpi.name)")
            #expect(kpi.notice?.channels.isEmpty == false, "\(kpi.name) tells nobody")
            #expect(kpi.target != nil || kpi.warn != nil, "\(kpi.name) has no line to cross")
            #expect(kpi.calendar == "cn", "\(kpi.name)")
        }
    }

    /// rules/kpi.sla's minimums are what its comment says: the smallest sample in which one bad ticket
    /// or visit among good ones does not cross the outermost line by itself (one fewer, and it would).
    @Test func shippedMinimumSamplesLetNoSingleTicketCrossALine() throws {
        let rules = try #require(try Self.load().ruleSet)
        let kpis = Dictionary(uniqueKeysWithValues: rules.kpis.map { ($0.name, $0) })
        for name in ["satisfaction", "satisfied-share", "resolution-rate", "repeat-complaints", "repeat-repairs", "revisit-rate"] {
            #expect(kpis[name]?.minSample != nil, "\(name) has no minimum sample")
        }
        for kpi in rules.kpis {
            guard let minimum = kpi.minSample else {
                #expect(!kpi.measure.hasSample || kpi.measure.unit == .seconds, "\(kpi.name) has a sample but no minimum")
                continue
            }
            let line = try #require(kpi.warn ?? kpi.target, "\(kpi.name)")
            /// The value of `n` observations, one of them bad (score 1, late, unsatisfied, a repeat), the rest good.
            func oneBad(_ n: Int) -> Double {
                switch kpi.measure {
                case .satisfaction: Double(5 * (n - 1) + 1) / Double(n)
                case .repeatRate: 1 / Double(n)
                default: Double(n - 1) / Double(n)
                }
            }
            #expect(!line.isCrossed(by: oneBad(minimum)), "\(kpi.name): one bad in \(minimum) crosses \(line)")
            #expect(line.isCrossed(by: oneBad(minimum - 1)), "\(kpi.name): \(minimum) is not the smallest such sample")
        }
    }

    /// Every line of rules/kpi.sla with a figure says whether the manual or slad chose it.
    @Test func everyShippedKPILineCitesItsSource() throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("rules/kpi.sla"), encoding: .utf8)
        for line in text.split(separator: "\n") where line.contains(" target ") || line.contains(" warn ") || line.contains(" min sample ") {
            #expect(line.contains("# ["), "kpi.sla: a line without a source comment: \(line)")
        }
    }
}
