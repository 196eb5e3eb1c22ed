import SLAEngine

/// The summary after the escalations: per policy and clock, then the rows that were not replayed.
extension SimulationWriter {
    mutating func summary(_ summary: SimulationSummary, separated: Bool) {
        switch format {
        case .table, .csv:
            tableSummary(summary, separated: separated)
        case .jsonl:
            jsonSummary(summary)
        }
    }

    mutating func tableSummary(_ summary: SimulationSummary, separated: Bool) {
        if separated { line("") }
        let source = summary.source.isEmpty ? "" : " from \(summary.source)"
        line("Replayed \(summary.replayed) of \(ReportText.count(summary.rows, "ticket"))\(source): \(ReportText.count(summary.escalations, "escalation"))"
            + " (\(summary.late) late), \(ReportText.count(summary.evaluations, "evaluation")).")
        if let repeats = summary.repeats {
            line("Repeats: \(repeats) ticket\(repeats == 1 ? "" : "s") repeat an earlier one (the rules' repeats block).")
        }
        line("")
        let widths = [max(policyWidth, 9), 7, 11, 4, 9, 7, 5, 8, 5, 6]
        let heads = ["POLICY", "TICKETS", "ESCALATIONS", "LATE", "CLOCK", "STARTED", "MET", "BREACHED", "OPEN", "KEPT"]
        line(zip(heads, widths).enumerated().map { $0.offset == 0 || $0.offset == 4 ? pad($0.element.0, $0.element.1) : padLeft($0.element.0, $0.element.1) }
            .joined(separator: "  ").trailingSpacesRemoved)
        for policy in summary.policies where policy.tickets > 0 || policy.escalations > 0 {
            for (index, clock) in policy.clocks.enumerated() {
                let left = index == 0
                    ? [pad(policy.name, widths[0]), padLeft(String(policy.tickets), widths[1]),
                       padLeft(String(policy.escalations), widths[2]), padLeft(String(policy.late), widths[3])]
                    : [pad("", widths[0]), pad("", widths[1]), pad("", widths[2]), pad("", widths[3])]
                let kept = clock.kept.map { Self.percent($0) } ?? "-"
                let right = [pad(clock.name, widths[4]), padLeft(String(clock.started), widths[5]), padLeft(String(clock.met), widths[6]),
                             padLeft(String(clock.breached), widths[7]), padLeft(String(clock.open), widths[8]), padLeft(kept, widths[9])]
                line((left + right).joined(separator: "  "))
            }
            if policy.clocks.isEmpty {
                line([pad(policy.name, widths[0]), padLeft(String(policy.tickets), widths[1]),
                      padLeft(String(policy.escalations), widths[2]), padLeft(String(policy.late), widths[3])].joined(separator: "  "))
            }
        }
        if summary.unmatched > 0 {
            line(pad("(no policy)", widths[0]) + "  " + padLeft(String(summary.unmatched), widths[1]))
        }
        tally("Rejected rows", summary.rejected, of: summary.rows)
        tally("Skipped rows", summary.skipped, of: summary.rows)
        tally("Dropped events (their rows were kept)", summary.dropped, of: nil)
        tally("Not replayed", summary.afterUntil, of: nil)
        tally("Cut short", summary.cutShort, of: nil)
    }

    mutating func tally(_ title: String, _ tally: RowTally, of rows: Int?) {
        guard tally.total > 0 else { return }
        line("")
        line("\(title): \(tally.total)" + (rows.map { " of \($0)" } ?? ""))
        let width = min(tally.entries.map(\.reason.count).max() ?? 0, 60)
        for entry in tally.byCount {
            let lines = entry.lines.map(String.init).joined(separator: ", ") + (entry.count > entry.lines.count ? ", …" : "")
            line("  \(pad(entry.reason, width))  \(padLeft(String(entry.count), 7))  (line\(entry.lines.count > 1 ? "s" : "") \(lines))")
        }
    }

    mutating func jsonSummary(_ summary: SimulationSummary) {
        for policy in summary.policies where policy.tickets > 0 || policy.escalations > 0 {
            var json = JSONLine()
            json.string("type", "policy")
            json.string("policy", policy.name)
            if let title = policy.title { json.string("title", title) }
            json.number("tickets", policy.tickets)
            json.number("escalations", policy.escalations)
            json.number("late", policy.late)
            json.raw("clocks", "[" + policy.clocks.map { clock in
                var entry = JSONLine()
                entry.string("clock", clock.name)
                entry.number("started", clock.started)
                entry.number("met", clock.met)
                entry.number("breached", clock.breached)
                entry.number("open", clock.open)
                entry.raw("kept", clock.kept.map { String(($0 * 10_000).rounded() / 10_000) } ?? "null")
                return entry.text
            }.joined(separator: ",") + "]")
            line(json.text)
        }
        for (kind, tally) in [("rejected", summary.rejected), ("skipped", summary.skipped), ("dropped", summary.dropped),
                              ("not-replayed", summary.afterUntil), ("cut-short", summary.cutShort)] {
            for entry in tally.byCount {
                var json = JSONLine()
                json.string("type", kind)
                json.string("reason", entry.reason)
                json.number("count", entry.count)
                json.raw("lines", "[" + entry.lines.map(String.init).joined(separator: ",") + "]")
                line(json.text)
            }
        }
        var json = JSONLine()
        json.string("type", "totals")
        if !summary.source.isEmpty { json.string("source", summary.source) }
        json.number("rows", summary.rows)
        json.number("replayed", summary.replayed)
        json.number("unmatched", summary.unmatched)
        json.number("rejected", summary.rejected.total)
        json.number("skipped", summary.skipped.total)
        json.number("escalations", summary.escalations)
        json.number("late", summary.late)
        json.number("evaluations", summary.evaluations)
        if let repeats = summary.repeats { json.number("repeats", repeats) }
        line(json.text)
    }
}
