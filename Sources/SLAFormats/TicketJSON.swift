import Foundation
import SLAEngine
import SLARules

/// The JSON form of a ticket with its history, one per line in a JSON Lines file. Shared by
/// `slad simulate`, `slad explain`, `slad test` fixtures and (later) `slad import`:
///
/// ```json
/// {"id": "T1", "kind": "complaint", "grade": "A", "building": "3栋", "assignee": "zhang-wei",
///  "created": "2025-09-22T10:00:00+08:00",
///  "events": [{"kind": "acknowledged", "at": "2025-09-22T11:00:00+08:00", "actor": "li-na"},
///             {"kind": "paused", "at": "2025-09-22 11:30", "status": "waiting-customer"},
///             {"kind": "regraded", "at": "2025-09-22 12:00", "grade": "B"}]}
/// ```
/// Times are ISO 8601 with an offset (or `Z`), or local wall time `YYYY-MM-DD HH:MM[:SS]` in the rules'
/// display zone. Unknown keys are errors, so that a misspelt field is never silently ignored.
public enum TicketJSON {
    public struct Failure: Error, CustomStringConvertible, Equatable {
        /// The JSON path of the problem (`events[2].at`), or empty for the whole line.
        public let field: String
        public let message: String
        public var description: String { field.isEmpty ? message : "\(field): \(message)" }
    }

    static let fieldKeys: Set<String> = ["kind", "category", "grade", "priority", "site", "building", "unit",
                                         "reporter", "assignee", "source", "text"]
    static let ticketKeys: Set<String> = fieldKeys.union(["id", "created", "tags", "events"])
    static let eventKeys: Set<String> = ["kind", "at", "actor", "note", "status", "assignee", "grade", "priority", "category", "score"]

    /// Decodes one ticket from a JSON object's text.
    public static func decode(_ text: String, zone: ZoneTable) -> Result<Ticket, Failure> {
        guard let data = text.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) else {
            return .failure(Failure(field: "", message: "not valid JSON"))
        }
        guard let dictionary = object as? [String: Any] else {
            return .failure(Failure(field: "", message: "expected a JSON object for a ticket"))
        }
        return decode(dictionary, zone: zone)
    }

    public static func decode(_ object: [String: Any], zone: ZoneTable) -> Result<Ticket, Failure> {
        do {
            return .success(try ticket(object, zone: zone))
        } catch let failure as Failure {
            return .failure(failure)
        } catch {
            return .failure(Failure(field: "", message: "\(error)"))
        }
    }

    private static func ticket(_ object: [String: Any], zone: ZoneTable) throws -> Ticket {
        try unknownKeys(object, allowed: ticketKeys, path: "")
        let id = try string(object, "id", path: "") ?? ""
        guard !id.isEmpty else { throw Failure(field: "id", message: "a ticket needs a non-empty \"id\"") }
        guard let kind = try string(object, "kind", path: "") else {
            throw Failure(field: "kind", message: "a ticket needs a \"kind\" (\(TicketKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var fields = TicketFields(kind: kind)
        for key in fieldKeys.subtracting(["kind", "text"]).sorted() {
            if let value = try string(object, key, path: "") { _ = fields.set(TicketField(rawValue: key)!, to: value) }
        }
        fields.text = try string(object, "text", path: "")
        if let tags = object["tags"] {
            guard let list = tags as? [Any], list.allSatisfy({ $0 is String }) else {
                throw Failure(field: "tags", message: "expected an array of strings")
            }
            fields.tags = list.compactMap { $0 as? String }
        }
        guard let createdText = try string(object, "created", path: "") else {
            throw Failure(field: "created", message: "a ticket needs a \"created\" time")
        }
        let created = try instant(createdText, field: "created", zone: zone)
        var events = [TicketEventRecord(kind: .created, at: created, actor: try string(object, "reporter", path: ""))]
        if let raw = object["events"] {
            guard let list = raw as? [Any] else { throw Failure(field: "events", message: "expected an array of events") }
            for (index, item) in list.enumerated() {
                let path = "events[\(index)]"
                guard let entry = item as? [String: Any] else { throw Failure(field: path, message: "expected an object") }
                events.append(try event(entry, path: path, zone: zone))
            }
        }
        return Ticket(id: id, fields: fields, events: events)
    }

    /// Decodes one event object (as posted to the API); `at` defaults to `defaultAt` when absent.
    public static func decodeEvent(_ object: [String: Any], zone: ZoneTable, defaultAt: Instant) -> Result<TicketEventRecord, Failure> {
        var object = object
        if object["at"] == nil { object["at"] = defaultAt.description }
        do {
            return .success(try event(object, path: "", zone: zone))
        } catch let failure as Failure {
            return .failure(failure)
        } catch {
            return .failure(Failure(field: "", message: "\(error)"))
        }
    }

    private static func event(_ object: [String: Any], path: String, zone: ZoneTable) throws -> TicketEventRecord {
        try unknownKeys(object, allowed: eventKeys, path: path)
        guard let kindText = try string(object, "kind", path: path) else {
            throw Failure(field: join(path, "kind"), message: "an event needs a \"kind\"")
        }
        guard let kind = EventKind(rawValue: kindText), kind != .created else {
            let valid = EventKind.allCases.filter { $0 != .created }.map(\.rawValue).joined(separator: ", ")
            throw Failure(field: join(path, "kind"), message: "'\(kindText)' is not an event; expected one of \(valid)")
        }
        guard let atText = try string(object, "at", path: path) else {
            throw Failure(field: join(path, "at"), message: "an event needs an \"at\" time")
        }
        let at = try instant(atText, field: join(path, "at"), zone: zone)
        var changes: [String: String] = [:]
        for key in ["status", "assignee", "grade", "priority", "category"] {
            if let value = try string(object, key, path: path) { changes[key] = value }
        }
        if kind == .paused, let status = changes["status"], !TicketStatus.pauseStatuses.contains(status) {
            throw Failure(field: join(path, "status"), message: "'\(status)' is not a pause status; expected one of \(TicketStatus.pauseStatuses.sorted().joined(separator: ", "))")
        }
        return TicketEventRecord(kind: kind, at: at, actor: try string(object, "actor", path: path),
                                 note: try string(object, "note", path: path), changes: changes.isEmpty ? nil : changes,
                                 score: try score(object, kind: kind, path: path))
    }

    /// `score`: a JSON whole number 1–5, on a `revisited` event only.
    static func score(_ object: [String: Any], kind: EventKind, path: String) throws -> Int? {
        guard let value = object["score"], !(value is NSNull) else { return nil }
        let field = join(path, "score")
        guard !(value is String), let number = value as? NSNumber, !isBoolean(number), let score = Int(exactly: number.doubleValue) else {
            throw Failure(field: field, message: "expected \(RevisitScore.valid), found \(value is String ? "a string" : "\(value)")")
        }
        if let reason = RevisitScore.refusal(score, kind: kind) { throw Failure(field: field, message: reason) }
        return score
    }

    /// JSON `true`/`false` arrive as NSNumber too; their type is a char or a C bool.
    static func isBoolean(_ number: NSNumber) -> Bool {
        let type = String(cString: number.objCType)
        return type == "c" || type == "B"
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    static func instant(_ text: String, field: String, zone: ZoneTable) throws -> Instant {
        guard let value = LocalTime.parse(text, zone: zone) else {
            throw Failure(field: field, message: "'\(text)' is not a time; write 2025-09-22T10:00:00+08:00 or 2025-09-22 10:00 (local)")
        }
        return value
    }

    private static func string(_ object: [String: Any], _ key: String, path: String) throws -> String? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let text = value as? String else {
            throw Failure(field: path.isEmpty ? key : "\(path).\(key)", message: "expected a string")
        }
        return text
    }

    private static func unknownKeys(_ object: [String: Any], allowed: Set<String>, path: String) throws {
        for key in object.keys.sorted() where !allowed.contains(key) {
            let hint = Suggestion.hint(for: key, in: allowed.sorted()).map { " (\($0))" } ?? ""
            throw Failure(field: path.isEmpty ? key : "\(path).\(key)", message: "unknown field\(hint); expected one of \(allowed.sorted().joined(separator: ", "))")
        }
    }

    /// Encodes a ticket in the same form (times in UTC with `Z`).
    public static func encode(_ ticket: Ticket) -> String {
        var object: [String: Any] = ["id": ticket.id, "kind": ticket.fields.kind, "created": ticket.createdAt.description]
        for field in TicketField.allCases where field != .kind {
            if let value = ticket.fields.value(of: field) { object[field.rawValue] = value }
        }
        if let text = ticket.fields.text { object["text"] = text }
        if !ticket.fields.tags.isEmpty { object["tags"] = ticket.fields.tags }
        let events = ticket.events.filter { $0.kind != .created }.map { event -> [String: Any] in
            var entry: [String: Any] = ["kind": event.kind.rawValue, "at": event.at.description]
            if let actor = event.actor { entry["actor"] = actor }
            if let note = event.note { entry["note"] = note }
            if let score = event.score { entry["score"] = score }
            for (key, value) in event.changes ?? [:] { entry[key] = value }
            return entry
        }
        if !events.isEmpty { object["events"] = events }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
