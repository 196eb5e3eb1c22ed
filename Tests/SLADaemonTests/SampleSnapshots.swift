import SLAEngine
import SLARules

/// KPI snapshots built by hand, as the daemon's KPI service would hand them out: one tile per unit and
/// per level, a KPI grouped by 500 sites, trends with a gap, a KPI without data.
enum SampleSnapshots {
    static let now = DashboardServer.now
    static let period = KPIPeriod(start: now - 30 * 86_400, end: now)

    static func trend(_ base: Double, step: Double, gapAt gap: Int? = nil) -> [KPITrendPoint] {
        (0..<30).map { day in
            let end = now - (29 - day) * 86_400
            return KPITrendPoint(start: end - 30 * 86_400, end: end, value: day == gap ? nil : base + step * Double(day % 7))
        }
    }

    static func tile(_ kpi: String, _ title: String, unit: KPIUnit, higherIsBetter: Bool, target: Double?, warn: Double?,
                     value: Double?, level: KPILevel, sample: Int = 240, groups: [KPIGroupValue] = [], grouping: KPIGrouping? = nil,
                     trend: [KPITrendPoint]) -> KPITile {
        var tile = KPITile(kpi: kpi, title: title, unit: unit, higherIsBetter: higherIsBetter, target: target, warn: warn, period: period,
                           overall: KPIGroupValue(kpi: kpi, group: nil, value: value, sample: sample, level: level), groups: groups, trend: trend)
        tile.grouping = grouping
        return tile
    }

    /// 500 sites, worst first: three breached, twelve warning, the rest ok.
    static func sites(_ kpi: String) -> [KPIGroupValue] {
        (1...500).map { index in
            let level: KPILevel = index <= 3 ? .breached : index <= 15 ? .warning : .ok
            let value = 0.80 + Double(index) * 0.0004
            return KPIGroupValue(kpi: kpi, group: String(format: "site-%03d", index), value: value, sample: 40, level: level)
        }
    }

    static func first(repair24h value: Double = 0.912, level: KPILevel = .breached) -> KPISnapshot {
        KPISnapshot(computedAt: now - 60, tiles: [
            tile("repair-24h", "维修24小时完成率", unit: .share, higherIsBetter: true, target: 0.93, warn: 0.95, value: value, level: level,
                 groups: sites("repair-24h"), grouping: .site, trend: trend(0.90, step: 0.01, gapAt: 12)),
            tile("resolution-rate", "投诉处理率", unit: .share, higherIsBetter: true, target: 0.95, warn: 0.96, value: 0.962, level: .ok,
                 trend: trend(0.95, step: 0.003)),
            tile("satisfaction", "业主满意度", unit: .score, higherIsBetter: true, target: 4.5, warn: 4.8, value: 4.62, level: .warning,
                 sample: 88, trend: trend(4.5, step: 0.05)),
            tile("response-median", "报修响应时间（中位数）", unit: .seconds, higherIsBetter: false, target: 1800, warn: 1500, value: 5400,
                 level: .breached, trend: trend(1200, step: 600)),
            tile("complaints-per-100", "每百户投诉", unit: .rate, higherIsBetter: false, target: 5, warn: 4, value: 2.35, level: .ok,
                 trend: trend(2, step: 0.1)),
            tile("overdue", "超时工单", unit: .count, higherIsBetter: false, target: 5, warn: 3, value: 7, level: .breached,
                 trend: trend(3, step: 1)),
            tile("revisit-rate", "回访率", unit: .share, higherIsBetter: true, target: 0.9, warn: nil, value: nil, level: .noData, sample: 0,
                 trend: (0..<30).map { KPITrendPoint(start: now - (60 - $0) * 86_400, end: now - (29 - $0) * 86_400, value: nil) }),
        ])
    }

    /// What each tile of `first()` must show: its value text and level class.
    static let expected: [(kpi: String, value: String, level: String)] = [
        ("repair-24h", "91.2%", "breached"), ("resolution-rate", "96.2%", "ok"), ("satisfaction", "4.62", "warning"),
        ("response-median", "1小时30分", "breached"), ("complaints-per-100", "2.35件/百户", "ok"), ("overdue", "7", "breached"),
        ("revisit-rate", "—", "no-data"),
    ]
}
