import ArgumentParser
import Foundation
import SLAEngine
import SLAFormats
import SLARules

/// `slad report --tickets FILE`: every KPI of the rules over a period of a ticket history; without
/// `--tickets`, the running daemon's report of its own tickets (`GET /v1/reports/kpi`).
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Compute the rules' KPIs over a period of a ticket history (or of the running daemon's tickets), as a table, CSV, JSON, Markdown or HTML.",
        discussion: """
        Reads a ticket history the way 'slad simulate' does — JSON Lines in slad's ticket format, or a CSV \
        export from another system read through a mapping file — evaluates each ticket at the end of the \
        period through the rules, and computes every 'kpi' of the rules over the period: the whole \
        company's value and level (ok, warning, breached, no data), per site, team or assignee when the \
        KPI (or --by) groups it, and the value per week. A value over fewer tickets or visits than the \
        KPI's 'min sample' is shown with its level no data and 'small sample 样本不足 (3/20)'. docs/kpi.md \
        defines each measure exactly.

        The period: --period 2026-11 (a calendar month) or --from 2026-11-01 --to 2026-11-30 (whole days, \
        both included), in local time of --zone; by default the mapping's 'time zone' for a CSV export, \
        else the rules' display zone (the first calendar's). A KPI's own window ('over 30d', 'month') is \
        not used: the report's period replaces it.

        Output (--format): 'table' for people; 'csv' (one row per KPI and per group; values in the \
        measure's unit: a share 0…1, seconds); 'json' for tools; 'markdown'; 'html' (one self-contained \
        page with SVG charts: the value per week, the breakdown per group; no scripts, fonts or links).

        Without --tickets the report comes from the running daemon (--server, $SLAD_SERVER), over its own \
        tickets with the rules it runs (GET /v1/reports/kpi); --rules, --mapping and --zone do not apply \
        (the daemon's display zone is used).

        --output FILE writes the report to FILE instead of standard output, whole or not at all (a \
        temporary file in the same folder, renamed over FILE): the path is checked before any work, and \
        a failed run leaves an earlier FILE as it was.

        Exit status: 0 on success; 1 when the rules have errors or define no kpi, the period is malformed, \
        or the history or mapping is malformed; 2 when a file cannot be read, or --output cannot be written.

        Examples:
          slad report --tickets history.jsonl --period 2026-11
          slad report --tickets ../shared/data/311/la311-2020-01.csv \\
              --mapping rules/mappings/la311-2020.map --period 2020-01
          slad report --tickets history.jsonl --from 2026-11-01 --to 2026-11-15 \\
              --by assignee --format html --output report.html
          slad report --period 2026-11 --output month.txt    # the daemon's tickets
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, csv, json, markdown, html
    }

    @Option(help: "The rules folder (or file) whose KPIs to compute (\(RulesLocation.help)).")
    var rules: String = "rules"

    @Option(help: "The ticket history: JSON Lines, or CSV with --mapping. Without it, the running daemon's tickets.")
    var tickets: String?

    @Option(help: "The daemon's address, when there is no --tickets ($SLAD_SERVER when set, else http://127.0.0.1:8080).")
    var server: String = ProcessInfo.processInfo.environment["SLAD_SERVER"] ?? "http://127.0.0.1:8080"

    @Option(help: "How to read a CSV export (docs/simulate.md; rules/mappings/ has mappings for the city 311 exports).")
    var mapping: String?

    @Option(help: "A calendar month: 2026-11.")
    var period: String?

    @Option(help: "The first day of the period: 2026-11-01 (with --to).")
    var from: String?

    @Option(help: "The last day of the period, included: 2026-11-30 (with --from).")
    var to: String?

    @Option(help: "Group every KPI by site, team or assignee (default: each KPI's own 'by').")
    var by: KPIGrouping?

    @Option(help: "Output format: table, csv, json, markdown or html.")
    var format: Format = .table

    @Option(help: "Write the report to this file (atomically) instead of standard output.")
    var output: String?

    @Option(help: "The IANA time zone the period's days are cut in and times shown in (default: the mapping's, else the rules' display zone).")
    var zone: String?

    func run() async throws {
        guard let tickets else { return try await reportFromServer() }
        let files = HistoryFiles(rules: RulesLocation.resolve(rules), tickets: tickets, mapping: mapping)
        let asked = periodArgument(files)
        if let output, let problem = OutputFile(path: output).problem() { files.fail(2, "--output: cannot write '\(output)': \(problem)") }
        for path in [tickets] + (mapping.map { [$0] } ?? []) where !FileManager.default.isReadableFile(atPath: path) {
            files.fail(2, "cannot read '\(path)': \(FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")")
        }
        let engine = try files.loadEngine()
        guard !engine.rules.kpis.isEmpty else {
            files.fail(1, """
                the rules in '\(rules)' define no kpi, so there is nothing to report; add one to a rule file, for example
                  kpi repair-24h "维修24小时完成率" { measure on-time complete; when kind = repair; target at-least 93% }
                (docs/kpi.md lists the measures)
                """)
        }
        let reportZone = try chooseZone(engine: engine, files: files)
        let span = asked.period(in: reportZone)
        var input = try files.loadInput(zone: engine.displayZone, rules: engine.rules)
        // The rules' `repeats` marks a history's repeats as the daemon marks them at creation.
        input.markRepeats(engine.rules.repeats)
        var facts: [TicketFacts] = []
        facts.reserveCapacity(input.tickets.count)
        // A period still running is judged now: a deadline still ahead is not late yet.
        let at = min(span.end, Instant(seconds: Int(Date().timeIntervalSince1970)))
        for (ticket, _) in input.tickets where ticket.createdAt < span.end {
            facts.append(TicketFacts.make(ticket: ticket, at: at, engine: engine))
        }
        let report = KPIReport.make(calculator: KPICalculator(engine: engine), facts: facts, period: span, zone: reportZone,
                                    grouping: by, source: (tickets as NSString).lastPathComponent, now: at)
        let text: String
        switch format {
        case .table: text = report.table()
        case .csv: text = report.csv()
        case .json: text = report.json()
        case .markdown: text = report.markdown()
        case .html: text = report.html()
        }
        do {
            try emit(text)
        } catch {
            files.fail(2, error.message)
        }
        withExtendedLifetime(input) { Foundation.exit(0) }
    }

    private func chooseZone(engine: Engine, files: HistoryFiles) throws -> ZoneTable {
        if let zone {
            guard let table = ZoneTable(identifier: zone) else { files.fail(1, "--zone: '\(zone)' is not a time zone this system knows; write an IANA name such as Asia/Shanghai") }
            return table
        }
        if let mapping, let data = FileManager.default.contents(atPath: mapping),
           case let .success(parsed) = TicketMapping.parse(String(decoding: data, as: UTF8.self)),
           let identifier = parsed.timeZone, let table = ZoneTable(identifier: identifier) {
            return table
        }
        return engine.displayZone
    }

    /// The daemon's report of its own tickets; the period is checked here first, as for a file.
    private func reportFromServer() async throws {
        for (given, option) in [(mapping != nil, "--mapping"), (zone != nil, "--zone")] where given {
            throw ValidationError("\(option) applies to --tickets only: the daemon reports its own tickets in its display zone")
        }
        let asked = KPIReportPeriod.parse(period: period, from: from, to: to, names: ("--period", "--from", "--to"))
        if case let .failure(refusal) = asked { throw ValidationError(refusal.message) }
        if let output, let problem = OutputFile(path: output).problem() {
            FileHandle.standardError.write(Data("slad: --output: cannot write '\(output)': \(problem)\n".utf8))
            throw ExitCode(2)
        }
        var query = ["format=\(format.rawValue)"]
        if let period { query.append("period=\(period)") }
        if let from, let to { query += ["from=\(from)", "to=\(to)"] }
        if let by { query.append("by=\(by.rawValue)") }
        let client = try DaemonClient(server: server, token: nil)
        let text = try await call { try await client.getText("/v1/reports/kpi?" + query.joined(separator: "&")) }
        do {
            try emit(text)
        } catch {
            FileHandle.standardError.write(Data("slad: \(error.message)\n".utf8))
            throw ExitCode(2)
        }
    }

    /// The report to --output (atomically), or to standard output.
    private func emit(_ text: String) throws(OutputFailure) {
        guard let output else { return FileHandle.standardOutput.write(Data(text.utf8)) }
        try OutputFile(path: output).write(text)
    }

    /// The period as asked: a month, or whole days; checked before any file is read.
    private func periodArgument(_ files: HistoryFiles) -> KPIReportPeriod {
        switch KPIReportPeriod.parse(period: period, from: from, to: to, names: ("--period", "--from", "--to")) {
        case let .success(asked): return asked
        case let .failure(refusal): files.fail(1, refusal.message)
        }
    }
}

extension KPIGrouping: ExpressibleByArgument {
    public static var allValueStrings: [String] { ["site", "team", "assignee"] }
}
