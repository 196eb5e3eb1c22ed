import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SLAEngine
import SLAFormats
import SLARules
import SLAStore

/// Reports of incidents and drills (docs/plans.md, "Reading a report"), and a plan's trend across drills.
extension API {
    static let reportRoutes: [(method: String, path: String)] = [
        ("GET", "/v1/incidents/{id}/report"), ("GET", "/v1/plans/{plan}/trend"),
    ]

    func addReportRoutes(to router: Router<BasicRequestContext>) {
        router.get("/v1/incidents/:id/report") { request, context in
            await self.guarded(nil) { try await self.incidentReport(request, id: try context.parameters.require("id")) }
        }
        router.get("/v1/plans/:plan/trend") { request, context in
            await self.guarded(nil) { try await self.planTrend(request, plan: try context.parameters.require("plan")) }
        }
    }

    func incidentReport(_ request: Request, id: String) async throws -> Response {
        let format = try Self.reportFormat(request, known: ["format"])
        guard let stored = try await store.incident(id) else { throw StoreError.unknownIncident(id) }
        let engine = await rules.engine
        let report = try await makeReport(stored, engine: engine, now: clock.now())
        return Self.document(format, markdown: report.markdown(), json: report.json(), html: report.html())
    }

    func planTrend(_ request: Request, plan name: String) async throws -> Response {
        let format = try Self.reportFormat(request, known: ["format", "last"])
        var last = 4
        if let text = request.uri.queryParameters.get("last") {
            guard let value = Int(text), (1...20).contains(value) else {
                throw Failure(status: .badRequest, code: "invalid_parameter", message: "last must be 1 to 20", field: "last")
            }
            last = value
        }
        let engine = await rules.engine
        guard let plan = engine.rules.plans.first(where: { $0.name == name }) else {
            let names = engine.rules.plans.map(\.name).joined(separator: ", ")
            throw Failure(status: .notFound, code: "unknown_plan", message: "no plan '\(name)'; the plans are \(names.isEmpty ? "(none)" : names)")
        }
        let now = clock.now()
        // Finished drills only: an open one has no times to compare yet.
        let drills = try await store.incidents(IncidentFilter(plan: name, status: "closed", drill: true, limit: last))
        var reports: [IncidentReport] = []
        for drill in drills { reports.append(try await makeReport(drill, engine: engine, now: now)) }
        let trend = PlanTrend.make(plan: plan, reports: reports, last: last)
        return Self.document(format, markdown: trend.markdown(), json: trend.json(), html: trend.html())
    }

    /// The report with people's names from the rules where the actors are people of the rules.
    func makeReport(_ stored: StoredIncident, engine: Engine, now: Instant) async throws -> IncidentReport {
        guard let plan = engine.rules.plans.first(where: { $0.name == stored.incident.plan }),
              let evaluation = engine.evaluate(stored.incident, at: now) else {
            throw Failure(status: .conflict, code: "unknown_plan",
                          message: "incident '\(stored.incident.id)' runs plan '\(stored.incident.plan)', which the rules no longer have")
        }
        let notifications = try await store.incidentDeliveries(stored.incident.id).map {
            var record = IncidentNotificationRecord(step: $0.step, kind: $0.kind, channel: $0.channel, recipients: $0.recipients,
                                                    queuedAt: $0.queuedAt, state: $0.state, deliveredAt: $0.deliveredAt, attempts: $0.attempts)
            record.reason = $0.lastError
            return record
        }
        var report = IncidentReport.make(incident: stored.incident, evaluation: evaluation, plan: plan, notifications: notifications,
                                         zone: engine.displayZone, generatedAt: now)
        func name(_ actor: String?) -> String? { actor.map { engine.rules.people[$0]?.displayName ?? $0 } }
        report.openedBy = name(report.openedBy)
        report.closedBy = name(report.closedBy)
        for index in report.steps.indices {
            report.steps[index].confirmedBy = name(report.steps[index].confirmedBy)
            report.steps[index].confirmedInsteadOf = report.steps[index].confirmedInsteadOf.map {
                $0.components(separatedBy: ", ").compactMap(name).joined(separator: "、")
            }
        }
        for index in report.levelChanges.indices { report.levelChanges[index].by = name(report.levelChanges[index].by) }
        return report
    }

    enum ReportFormat: String, CaseIterable { case markdown, json, html }

    static func reportFormat(_ request: Request, known: Set<String>) throws -> ReportFormat {
        let query = request.uri.queryParameters
        for (key, _) in query where !known.contains(String(key)) {
            throw Failure(status: .badRequest, code: "unknown_parameter",
                          message: "unknown query parameter; expected one of \(known.sorted().joined(separator: ", "))", field: String(key))
        }
        guard let text = query.get("format") else { return .markdown }
        guard let format = ReportFormat(rawValue: text) else {
            throw Failure(status: .badRequest, code: "invalid_parameter", message: "format must be markdown, json or html", field: "format")
        }
        return format
    }

    static func document(_ format: ReportFormat, markdown: @autoclosure () -> String, json: @autoclosure () -> String,
                         html: @autoclosure () -> String) -> Response {
        let (text, type) = switch format {
        case .markdown: (markdown(), "text/markdown; charset=utf-8")
        case .json: (json(), "application/json; charset=utf-8")
        case .html: (html(), "text/html; charset=utf-8")
        }
        return Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
