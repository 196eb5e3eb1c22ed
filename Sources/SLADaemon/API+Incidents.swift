import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SLAEngine
import SLAFormats
import SLARules
import SLAStore

/// /v1/incidents: declaring incidents and drills, confirming steps, raising, closing, and the reports.
extension API {
    static let incidentRoutes: [(method: String, path: String)] = [
        ("POST", "/v1/incidents"), ("GET", "/v1/incidents"), ("GET", "/v1/incidents/{id}"),
        ("POST", "/v1/incidents/{id}/confirm"), ("POST", "/v1/incidents/{id}/raise"), ("POST", "/v1/incidents/{id}/close"),
    ]

    func addIncidentRoutes(to router: Router<BasicRequestContext>) {
        router.post("/v1/incidents") { request, _ in await self.guarded(request) { try await self.openIncident(request) } }
        router.get("/v1/incidents") { request, _ in await self.guarded(nil) { try await self.listIncidents(request) } }
        router.get("/v1/incidents/:id") { _, context in
            await self.guarded(nil) { try await self.showIncident(try context.parameters.require("id")) }
        }
        for action in ["confirm", "raise", "close"] {
            router.post("/v1/incidents/:id/\(action)") { request, context in
                await self.guarded(request) { try await self.changeIncident(request, id: try context.parameters.require("id"), action: action) }
            }
        }
    }

    func openIncident(_ request: Request) async throws -> Response {
        let object = try await readObject(request)
        let known: Set<String> = ["plan", "id", "level", "site", "building", "drill", "by"]
        for key in object.keys where !known.contains(key) {
            let hint = Suggestion.closest(to: key, in: known).map { "did you mean '\($0)'? " } ?? ""
            throw Failure(status: .unprocessableContent, code: "invalid_incident",
                          message: "unknown field '\(key)'; \(hint)expected \(known.sorted().joined(separator: ", "))", field: key)
        }
        let engine = await rules.engine
        let now = clock.now()
        guard let planName = object["plan"] as? String, !planName.isEmpty else {
            throw Failure(status: .unprocessableContent, code: "invalid_incident", message: "'plan' is required: the name of a plan", field: "plan")
        }
        guard let plan = engine.rules.plans.first(where: { $0.name == planName }) else {
            let names = engine.rules.plans.map(\.name).joined(separator: ", ")
            throw Failure(status: .unprocessableContent, code: "invalid_incident",
                          message: "no plan '\(planName)'; the plans are \(names.isEmpty ? "(none)" : names)", field: "plan")
        }
        var level = plan.level
        if let text = object["level"] {
            guard let name = text as? String, let value = IncidentLevel(rawValue: name) else {
                throw Failure(status: .unprocessableContent, code: "invalid_incident",
                              message: "level must be III, II or I (the most serious), in Roman numerals", field: "level")
            }
            level = value
        }
        let isDrill = try Self.optionalBool(object, "drill") ?? false
        let site = try Self.optionalString(object, "site"), building = try Self.optionalString(object, "building")
        let actor = try Self.optionalString(object, "by") ?? request.headers[HTTPField.Name("X-Slad-Actor")!]
        var id = try Self.optionalString(object, "id") ?? ""
        if id.isEmpty {
            // D-/I-YYYYMMDD-HHMMSS-PLAN in the rules' zone: sortable and readable on a phone.
            let stamp = engine.displayZone.format(now).prefix(19).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
            id = "\(isDrill ? "D" : "I")-\(stamp.replacingOccurrences(of: "T", with: "-"))-\(plan.name)"
        }
        let incident = Incident(id: id, plan: plan.name, level: level, openedAt: now, isDrill: isDrill, site: site, building: building, by: actor)
        let stored = try await store.openIncident(incident, actor: actor, engine: engine, now: now)
        loop.poke()
        return Self.json(answer: IncidentAnswer(stored, engine: engine, now: now, deliveries: []), status: .created)
    }

    func listIncidents(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let known: Set<String> = ["plan", "state", "drill", "limit"]
        for (key, _) in query where !known.contains(String(key)) {
            throw Failure(status: .badRequest, code: "unknown_parameter",
                          message: "unknown query parameter; expected one of \(known.sorted().joined(separator: ", "))", field: String(key))
        }
        var filter = IncidentFilter(plan: query.get("plan"))
        if let state = query.get("state") {
            guard ["open", "closed"].contains(state) else {
                throw Failure(status: .badRequest, code: "invalid_parameter", message: "state must be open or closed", field: "state")
            }
            filter.status = state
        }
        if let drill = query.get("drill") {
            guard let value = Bool(drill) else {
                throw Failure(status: .badRequest, code: "invalid_parameter", message: "drill must be true or false", field: "drill")
            }
            filter.drill = value
        }
        filter.limit = try Self.limit(query.get("limit")) ?? filter.limit
        let engine = await rules.engine
        let now = clock.now()
        return Self.json(answer: IncidentListAnswer(incidents: try await store.incidents(filter).map { IncidentAnswer($0, engine: engine, now: now, deliveries: []) }))
    }

    func showIncident(_ id: String) async throws -> Response {
        guard let stored = try await store.incident(id) else { throw StoreError.unknownIncident(id) }
        let deliveries = try await store.incidentDeliveries(id)
        return Self.json(answer: IncidentAnswer(stored, engine: await rules.engine, now: clock.now(), deliveries: deliveries))
    }

    func changeIncident(_ request: Request, id: String, action: String) async throws -> Response {
        let object = try await readObject(request)
        let engine = await rules.engine
        let now = clock.now()
        let actor = try Self.optionalString(object, "by") ?? request.headers[HTTPField.Name("X-Slad-Actor")!]
        let note = try Self.optionalString(object, action == "close" ? "reason" : "note")
        let event: IncidentEvent
        switch action {
        case "confirm":
            guard let step = try Self.optionalString(object, "step"), !step.isEmpty else {
                throw Failure(status: .unprocessableContent, code: "invalid_event", message: "'step' is required: the step confirmed", field: "step")
            }
            event = IncidentEvent(kind: .confirmed, at: now, actor: actor, step: step, note: note)
        case "raise":
            guard let name = try Self.optionalString(object, "level") else {
                throw Failure(status: .unprocessableContent, code: "invalid_event", message: "'level' is required: II or I", field: "level")
            }
            guard let level = IncidentLevel(rawValue: name) else {
                throw Failure(status: .unprocessableContent, code: "invalid_event",
                              message: "'\(name)' is not a level; levels are III, II and I (the most serious), written in Roman numerals",
                              field: "level")
            }
            event = IncidentEvent(kind: .raised, at: now, actor: actor, level: level, note: note)
        default:
            guard let note, !note.isEmpty else {
                throw Failure(status: .unprocessableContent, code: "invalid_event", message: "'reason' is required: why the incident is closed", field: "reason")
            }
            event = IncidentEvent(kind: .closed, at: now, actor: actor, note: note)
        }
        let stored: StoredIncident
        do {
            stored = try await store.append(event, toIncident: id, engine: engine, now: now)
        } catch let StoreError.refused(reason) {
            // Name the field the refusal is about, not a ticket event's `kind`.
            let field = ["confirm": "step", "raise": "level"][action]
            throw Failure(status: .conflict, code: "not_allowed", message: reason, field: field)
        }
        loop.poke()
        let deliveries = try await store.incidentDeliveries(id)
        return Self.json(answer: IncidentAnswer(stored, engine: engine, now: now, deliveries: deliveries))
    }

    static func optionalString(_ object: [String: Any], _ key: String) throws -> String? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let text = value as? String else {
            throw Failure(status: .unprocessableContent, code: "invalid_field", message: "'\(key)' must be a string", field: key)
        }
        return text
    }

    static func optionalBool(_ object: [String: Any], _ key: String) throws -> Bool? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let flag = value as? Bool else {
            throw Failure(status: .unprocessableContent, code: "invalid_field", message: "'\(key)' must be true or false", field: key)
        }
        return flag
    }
}
