import ArgumentParser
import SLADaemon
import Foundation
import SLAEngine
import SLAFormats
import SLARules

/// `slad simulate`: replay a ticket history through the rules on virtual time.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Replay a ticket history through the rules and print every escalation that would have fired.",
        discussion: """
        Reads a history of tickets — JSON Lines in slad's ticket format, or a CSV export from another \
        system read through a mapping file — and replays each ticket on virtual time: it is evaluated at \
        its creation, at each of its events and at each instant a step falls due, and every due step is \
        recorded as fired. A ticket's replay ends when nothing more is due, or at the horizon: --until if \
        given, else the ticket's last event plus --horizon (30 days).

        Prints each escalation (time in the rules' display zone, ticket, policy, step, lateness, the \
        channels it goes out on and the people it reaches; an unreachable target and the supervisor \
        fallback are shown), then a summary per policy: tickets, escalations, and per clock how many \
        started, were met, breached or still open, and the share kept within the limit. Rows with \
        missing or impossible times (closed before created, unreadable) are counted in the summary with \
        example line numbers, never fatal.

        Input: a file ending in .csv needs --mapping (docs/simulate.md describes the mapping format; \
        rules/mappings/ has mappings for the city 311 exports). Any other file is read as JSON Lines, \
        one ticket per line: {"id", "kind", "created", fields…, "events": [{"kind", "at"}, …]}; times \
        without an offset are local time in the rules' display zone.

        Output (--format): 'table' for people; 'csv' for spreadsheets (one row per escalation; the \
        summary goes to standard error); 'jsonl' for tools (one object per line: "type": "escalation", \
        then "policy", "rejected", "skipped", "dropped" and "totals" records).

        Exit status: 0 on success; 1 when the rules have errors or the history or mapping is malformed \
        (the message names the file, line and column or field); 2 when a file cannot be read.

        Examples:
          slad simulate --rules rules --tickets docs/examples/month.jsonl
          slad simulate --tickets ../shared/data/311/la311-2020-01.csv --mapping rules/mappings/la311-2020.map --summary-only
        """
    )

    @Option(help: "The rules folder (or file) to replay through (\(RulesLocation.help)).")
    var rules: String = "rules"

    @Option(help: "The ticket history: JSON Lines, or CSV with --mapping.")
    var tickets: String

    @Option(help: "How to read a CSV export: which columns hold the id, times and category, and what each category is (docs/simulate.md).")
    var mapping: String?

    @Option(help: "Output format: table, csv or jsonl.")
    var format: Simulation.Format = .table

    @Option(help: "Replay no further than this time: local time in the display zone (2026-03-31 18:00) or ISO 8601 with an offset. Default: each ticket's last event plus --horizon.")
    var until: String?

    @Option(help: "How far past a ticket's last event to look when --until is not given, as a duration (30d, 72h).")
    var horizon: String = "30d"

    @Option(help: "Show times in this IANA time zone instead of the rules' display zone (the first calendar's).")
    var zone: String?

    @Flag(help: "Print only the summary, not every escalation.")
    var summaryOnly = false

    func run() throws {
        let engine = try loadEngine()
        var options = Simulation.Options()
        options.format = format
        options.summaryOnly = summaryOnly
        options.source = tickets
        if let zone {
            guard let table = ZoneTable(identifier: zone) else { fail(1, "--zone: '\(zone)' is not a time zone this system knows") }
            options.zone = table
        }
        let displayZone = options.zone ?? engine.displayZone
        if let until {
            guard let instant = LocalTime.parse(until, zone: displayZone) else {
                fail(1, "--until: '\(until)' is not a time; write 2026-03-31T18:00:00+08:00 or 2026-03-31 18:00 (local)")
            }
            options.until = instant
        }
        guard let horizonDuration = SLARules.Duration(horizon) else {
            fail(1, "--horizon: '\(horizon)' is not a duration; write 30d, 72h or 1w")
        }
        options.horizon = horizonDuration.seconds
        let input = try loadInput(zone: engine.displayZone, rules: engine.rules)
        let out = FileHandle.standardOutput
        let err = FileHandle.standardError
        for warning in input.refusedValueWarnings(rules: engine.rules, source: tickets) { err.write(Data((warning + "\n").utf8)) }
        Simulation(engine: engine, options: options).run(input, output: { out.write(Data($0)) }, summaryOutput: { err.write(Data($0)) })
        // A million replayed tickets take a second to free one by one; the process is done with them.
        withExtendedLifetime(input) { Foundation.exit(0) }
    }

    private var files: HistoryFiles { HistoryFiles(rules: RulesLocation.resolve(rules), tickets: tickets, mapping: mapping) }
    private func loadEngine() throws -> Engine { try files.loadEngine() }
    private func loadInput(zone: ZoneTable, rules: RuleSet) throws -> SimulationInput { try files.loadInput(zone: zone, rules: rules) }
    private func fail(_ status: Int32, _ message: String) -> Never { files.fail(status, message) }
}

extension Simulation.Format: ExpressibleByArgument {}
