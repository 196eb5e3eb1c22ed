import SLAEngine
import SLARules

extension KPIReport {
    /// The report for tools: keys sorted, values in the measure's unit (a share 0…1, seconds), times with
    /// the zone's offset.
    public func json() -> String {
        let kpis: [ReportJSON] = rows.map { row in
            let kpi = row.kpi
            var members: [String: ReportJSON] = [
                "kpi": .string(kpi.name),
                "title": .optional(kpi.title),
                "measure": .string(kpi.measure.syntax),
                "unit": .string(kpi.measure.unit.rawValue),
                "higherIsBetter": .bool(kpi.higherIsBetter),
                "target": line(kpi.target, side: Self.side(target: kpi.target)),
                "warn": line(kpi.warn, side: Self.side(warn: kpi.warn)),
                "source": .optional(kpi.source),
                "overall": value(row.breakdown.overall, unit: kpi.measure.unit),
                "noDataReason": .optional(row.breakdown.overall.level == .noData ? Self.noDataReason(kpi, value: row.breakdown.overall) : nil),
                "groups": .array(row.breakdown.groups.map { value($0, unit: kpi.measure.unit) }),
                "weekly": .array(row.weekly.map { point in
                    .object(["start": time(point.start), "end": time(point.end), "value": point.value.map(ReportJSON.number) ?? .null])
                }),
            ]
            members["groupBy"] = .optional(grouping(of: row)?.rawValue)
            // Only with `min sample`: below it a group's level is `no-data` though its value is known.
            if let minimum = kpi.minSample { members["minSample"] = .int(minimum) }
            return .object(members)
        }
        return ReportJSON.object([
            "period": .object(["start": time(period.start), "end": time(period.end)]),
            "zone": .string(zone.identifier),
            "groupBy": .optional(grouping?.rawValue),
            "source": .string(source),
            "tickets": .int(tickets),
            "kpis": .array(kpis),
        ]).rendered
    }

    private func time(_ instant: Instant) -> ReportJSON { ReportJSON.time(instant, zone: zone) }

    private func line(_ line: KPILine?, side: String) -> ReportJSON {
        guard let line else { return .null }
        return .object(["value": .number(line.value), "higherIsBetter": .bool(line.higherIsBetter), "side": .string(side)])
    }

    private func value(_ value: KPIGroupValue, unit: KPIUnit) -> ReportJSON {
        .object([
            "group": .optional(value.group),
            "value": value.value.map(ReportJSON.number) ?? .null,
            "display": .string(Self.text(value.value, unit: unit)),
            "sample": .int(value.sample),
            "count": .optional(value.count),
            "level": .string(value.level.rawValue),
        ])
    }
}
