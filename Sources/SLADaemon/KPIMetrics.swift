import SLAEngine

/// The KPIs in Prometheus text format, appended to /metrics from the same snapshot the 看板 shows
/// (docs/api.md lists the series). Written at each scrape rather than kept as swift-metrics gauges, so a
/// group or KPI that is gone (a reload, a site with no tickets left in the window) leaves no stale series.
///
///     slad_kpi{kpi="repair-24h"} 0.935                 the whole company
///     slad_kpi{kpi="repair-24h",site="cuihu"} 0.91     per group; the label is the KPI's `by`
///     slad_kpi_level{kpi="repair-24h"} 0               0 ok, 1 warning, 2 breached, -1 no data
///     slad_kpi_target{kpi="repair-24h"} 0.93
enum KPIMetrics {
    /// The daemon's own metrics followed by the KPIs.
    static func appending(_ snapshot: KPISnapshot, to base: String) -> String {
        let kpis = text(snapshot)
        return base.isEmpty || base.hasSuffix("\n") || kpis.isEmpty ? base + kpis : base + "\n" + kpis
    }

    static func text(_ snapshot: KPISnapshot) -> String {
        guard !snapshot.tiles.isEmpty else { return "" }
        var values = """
        # HELP slad_kpi A KPI's value in its unit: shares 0-1, seconds, scores 1-5, rates per 100 households, counts (no sample: absent).
        # TYPE slad_kpi gauge

        """
        var levels = """
        # HELP slad_kpi_level Where a KPI stands against its lines: 0 ok, 1 warning, 2 breached, -1 no data.
        # TYPE slad_kpi_level gauge

        """
        var targets = """
        # HELP slad_kpi_target A KPI's target (its promise), in the KPI's unit.
        # TYPE slad_kpi_target gauge

        """
        for tile in snapshot.tiles {
            let kpi = "kpi=\"\(escape(tile.kpi))\""
            let label = tile.grouping?.rawValue ?? "group"
            for value in [tile.overall] + tile.groups {
                let labels = value.group.map { "{\(kpi),\(label)=\"\(escape($0))\"}" } ?? "{\(kpi)}"
                if let number = value.value, number.isFinite { values += "slad_kpi\(labels) \(number)\n" }
                levels += "slad_kpi_level\(labels) \(level(value.level))\n"
            }
            if let target = tile.target { targets += "slad_kpi_target{\(kpi)} \(target)\n" }
        }
        return values + levels + targets
    }

    static func level(_ level: KPILevel) -> Int {
        switch level {
        case .ok: 0
        case .warning: 1
        case .breached: 2
        case .noData: -1
        }
    }

    /// Prometheus label values: backslash, double quote and newline escaped.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}
