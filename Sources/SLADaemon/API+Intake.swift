import Foundation
import HTTPTypes
import Hummingbird
import Metrics
import NIOCore
import SLAEngine
import SLAFormats
import SLARules
import SLAStore

/// `POST /v1/intake/SOURCE` (issue 17; docs/intake.md): another system's webhook, as it is sent, through
/// the source's mapping (`rules/intake/SOURCE.map`). The source authenticates with its own secret, not
/// an API token (the route is open at the access check). A new external id becomes a ticket, created as
/// `POST /v1/tickets` creates one (the same checks, the same group commit, the audit's actor
/// `intake:SOURCE`); a known one gets the event its upstream status maps to. A delivery id acted on is
/// answered the same way again and changes nothing; a refused delivery is stored nowhere. Every answer
/// is counted in `slad_intake_total{source, outcome}`.
extension API {
    static let intakeRoutes: [(method: String, path: String)] = [("POST", "/v1/intake/{source}")]

    /// A refusal and the outcome it is counted as.
    struct IntakeRefused: Error {
        let failure: Failure
        let outcome: String
    }

    func addIntakeRoutes(to router: Router<BasicRequestContext>) {
        router.post("/v1/intake/:source") { request, context in
            await self.receiveIntake(request, source: context.parameters.get("source") ?? "")
        }
    }

    func receiveIntake(_ request: Request, source: String) async -> Response {
        let mapping = await rules.intake[source]
        let response: Response
        let outcome: String
        do {
            guard let mapping else {
                throw IntakeRefused(failure: Failure(status: .notFound, code: "unknown_source",
                                                     message: "no intake source '\(source)' (rules/intake/\(source).map)", field: "source"),
                                    outcome: "unknown_source")
            }
            (response, outcome) = try await AuditTrail.$via.withValue("intake \(source)") {
                try await intake(request, mapping: mapping)
            }
        } catch let refused as IntakeRefused {
            (response, outcome) = (Self.error(refused.failure), refused.outcome)
        } catch {
            // A store's refusal (the lifecycle's `not_allowed`) or a storage fault, answered as every write answers it.
            let thrown = error
            (response, outcome) = (await guarded(request) { throw thrown }, (error as? StoreError).map { Self.failure($0).code } ?? "error")
        }
        // An unknown name is counted without it: the label's values are the sources the rules declare.
        Metrics.Counter(label: "slad_intake_total", dimensions: [("source", mapping == nil ? "-" : source), ("outcome", outcome)]).increment()
        if outcome != "created", outcome != "event", outcome != "unchanged", outcome != "replayed" {
            logger.info("intake delivery refused", metadata: ["source": .string(mapping == nil ? "-" : source), "outcome": .string(outcome),
                                                              "status": .stringConvertible(response.status.code)])
        }
        return response
    }

    private func intake(_ request: Request, mapping: IntakeMapping) async throws -> (Response, String) {
        let source = mapping.source
        var request = request
        let body: [UInt8]
        do {
            body = Array(try await request.collectBody(upTo: maxBody).readableBytesView)
        } catch {
            throw IntakeRefused(failure: Failure(status: .contentTooLarge, code: "too_large", message: "the request body is larger than \(maxBody) bytes"),
                                outcome: "too_large")
        }
        guard let secret = mapping.secret.flatMap(IntakeSecret.resolve) else {
            logger.error("intake source has no secret: set it and reload", metadata: ["source": .string(source),
                                                                                       "secret": .string(mapping.secret.map(IntakeSecret.describe) ?? "-")])
            throw IntakeRefused(failure: Failure(status: .serviceUnavailable, code: "not_configured",
                                                 message: "intake source '\(source)' is not configured on this server", retryAfter: 60),
                                outcome: "not_configured")
        }
        let headers = request.headers
        func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { headers[$0] } }
        let payload = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        var deliveryID: String?
        switch mapping.delivery {
        case let .header(name): deliveryID = header(name)
        case let .path(path): deliveryID = payload.flatMap { try? IntakeMapping.string(at: path, in: $0) }
        case nil: break
        }
        let now = clock.now()
        switch IntakeVerifier(mapping: mapping, secret: Array(secret.utf8)).verify(header: header, body: body, delivery: deliveryID, now: now.seconds) {
        case .accepted: break
        case .unauthorized:
            throw IntakeRefused(failure: Failure(status: .unauthorized, code: "unauthorized",
                                                 message: "this delivery is not authenticated for source '\(source)'"), outcome: "unauthorized")
        case let .stale(seconds):
            throw IntakeRefused(failure: Failure(status: .unauthorized, code: "stale_timestamp",
                                                 message: "the delivery's timestamp is \(abs(seconds)) s from this server's time; the limit is \(mapping.timestamp?.tolerance ?? 0) s",
                                                 field: mapping.timestamp?.header), outcome: "stale")
        }
        guard let payload else {
            throw IntakeRefused(failure: Failure(status: .badRequest, code: "malformed_json", message: "the request body is not valid JSON"),
                                outcome: "malformed_json")
        }
        guard let deliveryID, !deliveryID.isEmpty else {
            let field: String = switch mapping.delivery { case let .header(name): name; case let .path(path): path.text; case nil: "delivery" }
            throw IntakeRefused(failure: Failure(status: .badRequest, code: "missing_delivery_id",
                                                 message: "the delivery has no id (the mapping reads it from \(field))", field: field),
                                outcome: "missing_field")
        }
        if let earlier = try await store.intakeDelivery(source: source, delivery: deliveryID) { return (Self.replay(earlier), "replayed") }
        let engine = await rules.engine
        let item: IntakeItem
        switch mapping.read(payload, zone: engine.displayZone, arrival: now) {
        case let .item(value): item = value
        case let .skipped(reason):
            return (Self.json(answer: IntakeAnswer(source: source, delivery: deliveryID, externalId: nil, ticket: nil, upstreamStatus: nil,
                                                   outcome: "skipped", reason: reason)), "skipped")
        case let .refused(refusal):
            throw IntakeRefused(failure: Failure(status: .unprocessableContent, code: "invalid_payload", message: refusal.message, field: refusal.field),
                                outcome: refusal.reason.rawValue)
        }
        return try await apply(item, mapping: mapping, delivery: deliveryID, engine: engine, now: now)
    }
}
