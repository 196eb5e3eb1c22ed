import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SLAEngine
import SLAFormats
import SLARules
import SLAStore

extension API {
    /// Acts on a mapped delivery: a new ticket, an event on the existing one, or nothing new.
    func apply(_ item: IntakeItem, mapping: IntakeMapping, delivery: String, engine: Engine, now: Instant) async throws -> (Response, String) {
        let source = mapping.source
        let actor = "intake:\(source)"
        var answer = IntakeAnswer(source: source, delivery: delivery, externalId: item.externalID, ticket: item.ticketID,
                                  upstreamStatus: item.status, outcome: "")
        func record(_ outcome: String, status: HTTPResponse.Status) -> IntakeDelivery {
            answer.outcome = outcome
            return IntakeDelivery(source: source, delivery: delivery, ticketID: item.ticketID, outcome: outcome, status: Int(status.code), answer: answer.text)
        }
        guard let existing = try await store.ticket(item.ticketID) else {
            var ticket: Ticket
            do {
                ticket = try newTicket(item.ticketWithEvent(actor: actor), engine: engine, now: now)
                // The source created it, not the resident whose number the payload names as reporter.
                ticket = Ticket(id: ticket.id, fields: ticket.fields,
                                events: ticket.events.map { event in
                                    var event = event
                                    if event.kind == .created { event.actor = actor }
                                    return event
                                })
            } catch let failure as Failure {
                throw IntakeRefused(failure: Self.payloadFailure(failure, mapping: mapping), outcome: "invalid_value")
            }
            if let event = item.event { answer.event = event.rawValue }
            var new = NewTicket(ticket: ticket, idempotencyKey: nil, actor: actor)
            new.intake = record("created", status: .created)
            do {
                let (stored, created) = try await self.intake.create(new)
                if created { countBreach(wasOverdue: false, now: stored) }
            } catch StoreError.duplicateTicket {
                // The same delivery, or another about this work order, created it a moment ago.
                if let earlier = try await store.intakeDelivery(source: source, delivery: delivery) { return (Self.replay(earlier), "replayed") }
                throw IntakeRefused(failure: Failure(status: .conflict, code: "conflict", message: "ticket '\(item.ticketID)' was created meanwhile; send the delivery again",
                                                     retryAfter: 1), outcome: "conflict")
            }
            loop.poke()
            return (Self.replay(new.intake!), "created")
        }
        var event: TicketEventRecord?
        if let kind = item.event, let at = item.eventAt, !Self.hasHappened(kind, in: existing.ticket) {
            if at > now + 60 {
                throw IntakeRefused(failure: Failure(status: .unprocessableContent, code: "invalid_payload", message: "an event cannot be in the future",
                                                     field: mapping.at?.text ?? "at"), outcome: "bad_time")
            }
            event = TicketEventRecord(kind: kind, at: max(at, existing.ticket.createdAt), actor: actor)
            answer.event = kind.rawValue
        }
        let delivered = record(event == nil ? "unchanged" : "event", status: .ok)
        let wasOverdue = existing.overdue
        if let earlier = try await store.appendIntake(event, delivery: delivered, engine: engine, now: now) { return (Self.replay(earlier), "replayed") }
        if event != nil, let stored = try await store.ticket(item.ticketID) {
            countBreach(wasOverdue: wasOverdue, now: stored)
            loop.poke()
        }
        return (Self.replay(delivered), delivered.outcome)
    }

    /// Whether the ticket already had this event since it was last reopened: upstream systems send their
    /// status with every change, so "已受理" twice is one acknowledgement.
    static func hasHappened(_ kind: EventKind, in ticket: Ticket) -> Bool {
        for event in ticket.events.reversed() {
            if event.kind == kind { return true }
            if event.kind == .reopened { return false }
        }
        return false
    }

    /// The answer recorded for a delivery (the first time and every time after).
    static func replay(_ delivery: IntakeDelivery) -> Response {
        Response(status: HTTPResponse.Status(code: delivery.status), headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: delivery.answer)))
    }

    /// A refusal of the ticket the mapping made, naming the payload's field where there is one.
    static func payloadFailure(_ failure: Failure, mapping: IntakeMapping) -> Failure {
        var translated = failure
        translated.code = "invalid_payload"
        if let name = failure.field, name.hasPrefix("events") {
            // The status's event, put in the new ticket's history at the `at` time.
            translated.field = mapping.at?.text ?? mapping.status?.text ?? name
        } else if let name = failure.field, let field = TicketField(rawValue: name) {
            translated.field = mapping.path(of: field)?.text ?? (mapping.path(of: .category).map { "\($0.text) (\(name) set by the mapping)" } ?? name)
        }
        return translated
    }
}

/// An intake source's secret, by reference as channels' secrets are: `env NAME` from the environment,
/// `credential NAME` from `$CREDENTIALS_DIRECTORY`. Read for each delivery, so a rotated secret needs
/// no reload; never logged (only the reference is).
enum IntakeSecret {
    static func resolve(_ value: SettingValue) -> String? {
        let environment = ProcessInfo.processInfo.environment
        switch value {
        case let .environment(name):
            return environment[name].flatMap { $0.isEmpty ? nil : $0 }
        case let .credential(name):
            guard let folder = environment["CREDENTIALS_DIRECTORY"], let data = FileManager.default.contents(atPath: folder + "/" + name) else { return nil }
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? nil : text
        default:
            return nil
        }
    }

    static func describe(_ value: SettingValue) -> String {
        switch value {
        case let .environment(name): "env \(name)"
        case let .credential(name): "credential \(name)"
        default: "?"
        }
    }
}
