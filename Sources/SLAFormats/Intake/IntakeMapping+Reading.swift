import Foundation
import SLAEngine
import SLARules

/// What one payload says, read through its mapping.
public struct IntakeItem: @unchecked Sendable {   // `ticket` holds JSONSerialization's values
    public let externalID: String
    /// `SOURCE-EXTERNALID`.
    public let ticketID: String
    /// The ticket in slad's JSON (docs/simulate.md), as `POST /v1/tickets` takes it, without events.
    public let ticket: [String: Any]
    /// The upstream status and the event it maps to (nil: none, or no status in the payload).
    public let status: String?
    public let event: EventKind?
    /// When the status changed (`at`), else the delivery's arrival; nil when neither is known.
    public let eventAt: Instant?
    /// The delivery id, when the mapping reads it from the payload.
    public let deliveryID: String?

    /// The ticket with the status's event in its history: a first delivery that already says "resolved".
    public func ticketWithEvent(actor: String?) -> [String: Any] {
        guard let event, let eventAt else { return ticket }
        var object = ticket
        var entry: [String: Any] = ["kind": event.rawValue, "at": eventAt.description]
        if let actor { entry["actor"] = actor }
        object["events"] = [entry]
        return object
    }
}

/// Why a payload was refused: the payload's field (its path, as the mapping writes it), the reason, and
/// a short kind for counting (`slad_intake_total{outcome}`).
public struct IntakeRefusal: Error, Equatable, CustomStringConvertible {
    public enum Reason: String, Sendable {
        case missingField = "missing_field"
        case badTime = "bad_time"
        case unmappedValue = "unmapped_value"
        case badValue = "bad_value"
    }

    public let field: String
    public let message: String
    public let reason: Reason
    public var description: String { "\(field): \(message)" }
}

public enum IntakeReading {
    case item(IntakeItem)
    /// The category is mapped to `skip`: nothing to store, and nothing wrong.
    case skipped(String)
    case refused(IntakeRefusal)
}

extension IntakeMapping {
    /// Reads one payload. `arrival` is when the delivery came (the daemon's now): the creation time
    /// when the mapping names no `created` path, and the status change's time when it names no `at`.
    /// `slad import` passes nil, so both must come from the payload there.
    public func read(_ payload: Any, zone displayZone: ZoneTable, arrival: Instant?) -> IntakeReading {
        do throws(IntakeRefusal) {
            return try reading(payload, zone: timeZone.flatMap { ZoneTable(identifier: $0) } ?? displayZone, arrival: arrival)
        } catch {
            return .refused(error)
        }
    }

    private func reading(_ payload: Any, zone: ZoneTable, arrival: Instant?) throws(IntakeRefusal) -> IntakeReading {
        guard let idPath = id else { throw IntakeRefusal(field: "id", message: "the mapping names no id", reason: .missingField) }
        guard let external = try Self.string(at: idPath, in: payload), !external.isEmpty else {
            throw IntakeRefusal(field: idPath.text, message: "the external id is missing", reason: .missingField)
        }
        var ticket: [String: Any] = ["id": ticketID(external: external)]
        if let created {
            guard let value = created.value(in: payload) else {
                throw IntakeRefusal(field: created.text, message: "the creation time is missing", reason: .missingField)
            }
            ticket["created"] = try instant(value, path: created, zone: zone).description
        } else if let arrival {
            ticket["created"] = arrival.description
        } else {
            throw IntakeRefusal(field: "created", message: "the mapping names no 'created' path, and an import has no arrival time to use",
                                reason: .missingField)
        }
        for (field, path) in fields {
            if let value = try Self.string(at: path, in: payload), !value.isEmpty { ticket[field.rawValue] = value }
        }
        if let path = text, let value = try Self.string(at: path, in: payload), !value.isEmpty { ticket["text"] = value }
        if let categoryPath = path(of: .category) {
            let category = ticket["category"] as? String ?? ""
            if let rule = rule(forCategory: category) {
                guard let kind = rule.kind else { return .skipped("category '\(category)' (mapped to skip)") }
                ticket["kind"] = kind
                for (field, value) in rule.fields { ticket[field.rawValue] = value }
            } else if path(of: .kind) == nil {
                throw IntakeRefusal(field: categoryPath.text,
                                    message: "'\(category)' is not mapped; add 'map \"\(category)\" = KIND' or a 'default' to the mapping",
                                    reason: .unmappedValue)
            }
        } else if path(of: .kind) == nil, let rule = defaultRule {
            guard let kind = rule.kind else { return .skipped("default is skip") }
            ticket["kind"] = kind
            for (field, value) in rule.fields { ticket[field.rawValue] = value }
        }
        for (field, value) in defaults where ticket[field.rawValue] == nil { ticket[field.rawValue] = value }
        var statusText: String?
        var event: EventKind?
        if let statusPath = status, let value = try Self.string(at: statusPath, in: payload), !value.isEmpty {
            guard let mapped = statuses[value] else {
                let known = statuses.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
                throw IntakeRefusal(field: statusPath.text,
                                    message: "status '\(value)' is not mapped; the mapping knows \(known) (add 'status \"\(value)\" = EVENT' or '= none')",
                                    reason: .unmappedValue)
            }
            statusText = value
            event = mapped.event
        }
        var eventAt = arrival
        if event != nil, let at {
            if let value = at.value(in: payload) { eventAt = try instant(value, path: at, zone: zone) }
        }
        if event != nil, eventAt == nil {
            throw IntakeRefusal(field: at?.text ?? "at", message: "the status maps to an event but no time says when it happened",
                                reason: .missingField)
        }
        var deliveryID: String?
        if case let .path(path) = delivery { deliveryID = try Self.string(at: path, in: payload) }
        return .item(IntakeItem(externalID: external, ticketID: ticketID(external: external), ticket: ticket, status: statusText,
                                event: event, eventAt: eventAt, deliveryID: deliveryID))
    }

    private func instant(_ value: Any, path: JSONPath, zone: ZoneTable) throws(IntakeRefusal) -> Instant {
        guard let instant = timeFormat.instant(value, zone: zone) else {
            let shown = value is String ? "'\(value)'" : "\(value)"
            throw IntakeRefusal(field: path.text, message: "\(shown) is not a time in the format '\(timeFormat)'", reason: .badTime)
        }
        return instant
    }

    /// A payload value as text: strings as they are, numbers as written (whole numbers without `.0`),
    /// `true`/`false`; nil when absent or null. An object or an array is refused.
    public static func string(at path: JSONPath, in payload: Any) throws(IntakeRefusal) -> String? {
        guard let value = path.value(in: payload) else { return nil }
        if let text = value as? String { return text.trimmingSpaces }
        if let number = value as? NSNumber {
            if TicketJSON.isBoolean(number) { return number.boolValue ? "true" : "false" }
            if let whole = Int64(exactly: number.doubleValue) { return String(whole) }
            return number.stringValue
        }
        throw IntakeRefusal(field: path.text, message: "expected a string or a number, found \(value is [Any] ? "an array" : "an object")",
                            reason: .badValue)
    }
}
