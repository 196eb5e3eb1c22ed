import SLAEngine
import SLAFormats
import SLARules

/// A month of hand-built facts at three sites and the manuals' KPIs built in code: the golden KPI report.
enum KPIReportFixtures {
    static let zone = ZoneTable(identifier: "Asia/Shanghai")!
    static let here = SourceRange(file: 0, start: 0, end: 0)

    static func at(_ text: String) -> Instant { LocalTime.parse(text, zone: zone)! }

    static func kpi(_ name: String, _ title: String, _ measure: KPIMeasure, match: MatchExpression = .always,
                    by grouping: KPIGrouping? = nil, target: KPILine? = nil, warn: KPILine? = nil, source: String? = nil) -> KPI {
        var kpi = KPI(name: name, title: title, measure: measure, location: here)
        kpi.match = match
        kpi.window = .month
        kpi.grouping = grouping
        kpi.target = target
        kpi.warn = warn
        kpi.source = source
        return kpi
    }

    static let kpis: [KPI] = [
        kpi("repair-24h", "维修24小时完成率", .onTime(clock: "complete"),
            match: .comparison(field: .kind, isNegated: false, values: ["repair"]), by: .site,
            target: KPILine(value: 0.93, higherIsBetter: true), warn: KPILine(value: 0.95, higherIsBetter: true),
            source: "《物业服务标准》5.2"),
        kpi("resolution", "投诉解决率", .resolutionRate, by: .assignee, target: KPILine(value: 0.95, higherIsBetter: true)),
        kpi("satisfaction", "业主满意度", .satisfaction, target: KPILine(value: 4.0, higherIsBetter: true),
            warn: KPILine(value: 4.5, higherIsBetter: true)),
        kpi("median-complete", "维修用时中位数", .timeTo(clock: "complete", percentile: 50, workingTime: false),
            target: KPILine(value: 86_400, higherIsBetter: false)),
        kpi("repeat-rate", "重复报修率", .repeatRate, target: KPILine(value: 0.05, higherIsBetter: false)),
        kpi("open", "未完成工单", .open),
        kpi("per-100", "每百户投诉", .per100Households),
    ]

    /// 36 repairs and complaints in September 2025 at 翠湖 (cuihu), 枫林 (fenglin) and 海岸 (haian).
    static let facts: [TicketFacts] = (0..<36).map { index in
        let sites = ["cuihu", "fenglin", "haian"], people = ["zhang-wei", "li-na", "wang-qiang"]
        let day = 1 + index * 29 / 36, hour = 8 + index % 10
        let created = at("2025-09-\(day < 10 ? "0" : "")\(day) \(hour < 10 ? "0" : "")\(hour):00")
        let hours = [3, 20, 30, 12, 6, 50][index % 6]
        let done = index % 7 == 6 ? nil : created + hours * 3600
        let clock = ClockFact(name: "complete", state: done == nil ? (created + 86_400 <= at("2025-10-01 00:00") ? .breached : .running)
                                : (hours <= 24 ? .met : .breached),
                              startedAt: created, stoppedAt: done, deadline: created + 86_400, consumed: min(hours, 24) * 3600,
                              countsWorkingTime: false)
        let revisited = done.flatMap { index % 3 == 0 ? nil : $0 + 86_400 }
        return TicketFacts(id: "T\(index)", fields: TicketFields(kind: index % 4 == 3 ? "complaint" : "repair", site: sites[index % 3],
                                                                 assignee: people[index % 3 == 2 ? 2 : index % 2]),
                           policy: "repairs", team: "engineering", createdAt: created, status: done == nil ? "open" : "resolved",
                           resolvedAt: done, revisitedAt: revisited, score: revisited == nil ? nil : [5, 4, 5, 3, 5][index % 5],
                           repeatOf: index % 11 == 10 ? "T\(index - 5)" : nil, clocks: [clock])
    }

    static let september = KPIPeriod.month(year: 2025, month: 9, zone: zone)!

    static func report(grouping: KPIGrouping? = nil) -> KPIReport {
        KPIReport.make(calculator: KPICalculator(engine: testEngine), kpis: kpis, facts: facts, period: september, zone: zone,
                       grouping: grouping, source: "september.jsonl")
    }
}
