import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SLAEngine
import SLAFormats
import SLARules
import SLAStore

/// `GET /v1/reports/kpi`: the rules' KPIs over a period of the daemon's own tickets, in the formats of
/// `slad report --tickets` (docs/kpi.md). The tickets are read from the store and evaluated at the
/// period's end (or now, for a period still running).
extension API {
    /// The longest period of days `GET /v1/reports/kpi` computes: a year, a leap day included.
    static let longestReportDays = 366

    static let kpiReportRoutes: [(method: String, path: String)] = [("GET", "/v1/reports/kpi")]

    func addKPIReportRoutes(to router: Router<BasicRequestContext>) {
        router.get("/v1/reports/kpi") { request, _ in
            await self.guarded(nil) { try await self.kpiReport(request) }
        }
    }

    enum KPIReportFormat: String, CaseIterable { case table, csv, json, markdown, html }

    func kpiReport(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let known: Set<String> = ["period", "from", "to", "by", "format"]
        for (key, _) in query where !known.contains(String(key)) {
            throw Failure(status: .badRequest, code: "unknown_parameter",
                          message: "unknown query parameter; expected one of \(known.sorted().joined(separator: ", "))", field: String(key))
        }
        let engine = await rules.engine
        let now = clock.now()
        // Without a period: the current month.
        let month = String(engine.displayZone.format(now).prefix(7))
        let (period, from, to) = (query.get("period"), query.get("from"), query.get("to"))
        let asked: KPIReportPeriod
        switch KPIReportPeriod.parse(period: period ?? (from == nil && to == nil ? month : nil), from: from, to: to,
                                     names: ("period", "from", "to")) {
        case let .success(value): asked = value
        case let .failure(refusal): throw Failure(status: .badRequest, code: "invalid_parameter", message: refusal.message, field: refusal.field)
        }
        // The daemon computes a report on its own CPU for any reader: a period of centuries (schemathesis
        // asked for 1900-01-01 to 9999-12-31) held a core for minutes. `slad report --tickets` has no limit.
        if case let .days(first, last) = asked, last.dayNumber - first.dayNumber + 1 > Self.longestReportDays {
            throw Failure(status: .badRequest, code: "invalid_parameter",
                          message: "a report covers at most \(Self.longestReportDays) days (a year); from \(first) to \(last) is \(last.dayNumber - first.dayNumber + 1): ask for it in parts",
                          field: "to")
        }
        var grouping: KPIGrouping?
        if let text = query.get("by") {
            guard let value = KPIGrouping(rawValue: text) else {
                throw Failure(status: .badRequest, code: "invalid_parameter", message: "by must be site, team or assignee", field: "by")
            }
            grouping = value
        }
        var format = KPIReportFormat.json
        if let text = query.get("format") {
            guard let value = KPIReportFormat(rawValue: text) else {
                throw Failure(status: .badRequest, code: "invalid_parameter",
                              message: "format must be \(KPIReportFormat.allCases.map(\.rawValue).joined(separator: ", "))", field: "format")
            }
            format = value
        }
        guard !engine.rules.kpis.isEmpty else {
            throw Failure(status: .conflict, code: "no_kpis", message: "the running rules define no kpi; add one (docs/kpi.md) and reload")
        }
        guard let store = store as? SQLiteTicketStore else {
            throw Failure(status: .notImplemented, code: "not_supported", message: "this store keeps no KPI history")
        }
        let span = asked.period(in: engine.displayZone)
        let at = min(now, span.end)
        // A ticket created up to the longest window before the period can still count in it (a clock
        // that stops in the period); one created after it cannot.
        let since = span.start - KPIService.lookbackDays(engine.rules.kpis) * 86_400
        let loaded = try await store.kpiTickets(updatedSince: nil, createdSince: since.seconds, createdBefore: span.end.seconds)
        let facts = loaded.tickets.map { TicketFacts.make(ticket: $0, at: at, engine: engine) }
        let report = KPIReport.make(calculator: KPICalculator(engine: engine), facts: facts, period: span, zone: engine.displayZone,
                                    grouping: grouping, source: "slad serve", now: at)
        let (text, type): (String, String) = switch format {
        case .table: (report.table(), "text/plain; charset=utf-8")
        case .csv: (report.csv(), "text/csv; charset=utf-8")
        case .json: (report.json(), "application/json; charset=utf-8")
        case .markdown: (report.markdown(), "text/markdown; charset=utf-8")
        case .html: (report.html(), "text/html; charset=utf-8")
        }
        return Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
