import SLAEngine
import SLARules

extension KPIReport {
    /// The terminal table: one line per KPI, its groups indented under it.
    public func table() -> String {
        var lines = ["KPI report 指标报告 \(periodText) (\(zone.identifier)), \(ReportText.count(tickets, "ticket")) from \(source)", ""]
        let header = ["KPI", "TITLE 指标", "VALUE", "TARGET", "WARN IF", "SAMPLE", "LEVEL"]
        let rows = tableRows()
        let widths = (0..<header.count).map { column in ([header] + rows).map { Self.width($0[column]) }.max() ?? 0 }
        for cells in [header] + rows {
            let padded = cells.enumerated().map { index, cell in
                index == 2 || index == 5 ? Self.padLeft(cell, widths[index]) : Self.pad(cell, widths[index])
            }
            lines.append(padded.joined(separator: "  ").trailingSpacesRemoved)
        }
        if self.rows.isEmpty { lines.append("(the rules define no kpi)") }
        let reasons = noDataReasons()
        if !reasons.isEmpty { lines += [""] + reasons.map { "\($0.kpi): \($0.reason)" } }
        return lines.joined(separator: "\n") + "\n"
    }

    private func tableRows() -> [[String]] {
        var result: [[String]] = []
        for row in rows {
            let unit = row.kpi.measure.unit, value = row.breakdown.overall
            result.append([row.kpi.name, row.kpi.title ?? "", Self.text(value.value, unit: unit), Self.text(target: row.kpi.target, unit: unit),
                           Self.text(warn: row.kpi.warn, unit: unit), String(value.sample), Self.label(value)])
            guard let grouping = grouping(of: row) else { continue }
            for group in row.breakdown.groups {
                result.append(["  \(grouping.rawValue) \(group.group ?? "")", "", Self.text(group.value, unit: unit), "", "",
                               String(group.sample), Self.label(group)])
            }
        }
        return result
    }

    /// CSV for spreadsheets: one row per KPI (group empty) and per group; `value` in the measure's unit
    /// (a share 0…1, seconds), `display` as people read it.
    public func csv() -> String {
        var lines = ["kpi,title,group_by,group,value,display,unit,sample,count,level,target,target_side,warn,warn_side,period_start,period_end"]
        let start = LocalTime.format(period.start, offset: zone.offset(at: period.start))
        let end = LocalTime.format(period.end, offset: zone.offset(at: period.end))
        for row in rows {
            let unit = row.kpi.measure.unit
            let grouping = grouping(of: row)
            for value in [row.breakdown.overall] + row.breakdown.groups {
                let fields: [String] = [
                    row.kpi.name, row.kpi.title ?? "", value.group == nil ? "" : grouping?.rawValue ?? "", value.group ?? "",
                    value.value.map(Self.number) ?? "", Self.text(value.value, unit: unit), unit.rawValue, String(value.sample),
                    value.count.map(String.init) ?? "", value.level.rawValue, row.kpi.target.map { Self.number($0.value) } ?? "",
                    Self.side(target: row.kpi.target), row.kpi.warn.map { Self.number($0.value) } ?? "", Self.side(warn: row.kpi.warn),
                    start, end,
                ]
                lines.append(fields.map(SimulationWriter.csvField).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A number for machines: integers without a fraction, others to six decimals, trailing zeros cut.
    static func number(_ value: Double) -> String {
        let rounded = (value * 1_000_000).rounded() / 1_000_000
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int(rounded)) }
        return KPIText.decimal(rounded, places: 6)
    }

    /// Terminal columns: East Asian wide characters take two.
    static func width(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { sum, scalar in
            let v = scalar.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || v >= 0x20000
            return sum + (wide ? 2 : 1)
        }
    }

    static func pad(_ text: String, _ columns: Int) -> String { text + String(repeating: " ", count: max(0, columns - width(text))) }
    static func padLeft(_ text: String, _ columns: Int) -> String { String(repeating: " ", count: max(0, columns - width(text))) + text }
}
