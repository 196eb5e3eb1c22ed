import Foundation
import Hummingbird
import HTTPTypes
import SLAEngine
import SLAStore

/// `POST /v1/tickets/batch` (issue 16): many new tickets in one request and one transaction — one commit
/// instead of one per ticket. The body is a JSON array of tickets, or JSON Lines (one ticket per line;
/// blank lines and `#` comments skipped). Each ticket is checked as `POST /v1/tickets` checks it and may
/// carry its own `idempotencyKey`; the answer has one result per ticket, in order, and a ticket refused
/// changes nothing for the others.
extension API {
    static let batchRoutes: [(method: String, path: String)] = [("POST", "/v1/tickets/batch")]
    /// Tickets in one batch at most: a batch is one transaction, and other writers wait for it.
    static let batchLimit = 5000
    /// The largest batch body: 5,000 tickets of about 1 KiB, with room.
    static let batchBodyLimit = 16 << 20

    func addBatchRoutes(to router: Router<BasicRequestContext>) {
        router.post("/v1/tickets/batch") { request, _ in await self.guarded(request) { try await self.createBatch(request) } }
    }

    /// One ticket of the body: its place (`index` in an array, `line` in JSON Lines) and its JSON, or why it is not one.
    struct BatchEntry {
        let index: Int
        let line: Int?
        let object: Result<[String: Any], Failure>
    }

    func createBatch(_ request: Request) async throws -> Response {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: Self.batchBodyLimit)
        } catch {
            throw Failure(status: .contentTooLarge, code: "too_large", message: "the batch is larger than \(Self.batchBodyLimit >> 20) MiB: send it in parts")
        }
        let entries = try Self.batchEntries(Array(buffer.readableBytesView))
        guard entries.count <= Self.batchLimit else {
            throw Failure(status: .contentTooLarge, code: "too_many",
                          message: "the batch has \(entries.count) tickets; at most \(Self.batchLimit) go in one batch: send it in parts")
        }
        let engine = await rules.engine
        let now = clock.now()
        var results = entries.map { BatchAnswer.Result(index: $0.index, line: $0.line) }
        var accepted: [(index: Int, ticket: NewTicket)] = []
        var ids: Set<String> = []
        for entry in entries {
            do {
                var object = try entry.object.get()
                let key = object.removeValue(forKey: "idempotencyKey")
                guard key == nil || key is String else {
                    throw Failure(status: .unprocessableContent, code: "invalid_ticket", message: "idempotencyKey must be a string", field: "idempotencyKey")
                }
                var ticket = try newTicket(object, engine: engine, now: now)
                // Ids made here (T-…-xxxx) share the second: draw again until one is not yet in the batch.
                while object["id"] == nil, ids.contains(ticket.id) { ticket.id = Self.generatedID(createdAt: ticket.createdAt, zone: engine.displayZone) }
                ids.insert(ticket.id)
                accepted.append((entry.index, NewTicket(ticket: ticket, idempotencyKey: key as? String, actor: ticket.events.first?.actor)))
                results[entry.index].id = ticket.id
            } catch let failure as Failure {
                results[entry.index].status = failure.status.code
                results[entry.index].error = ErrorDetail(failure)
            }
        }
        let stored = try await store.createBatch(accepted.map(\.ticket), engine: engine, now: now)
        var created = 0, present = 0
        var earliestDue: Instant?
        for ((index, _), outcome) in zip(accepted, stored) {
            switch outcome {
            case let .success((ticket, isNew)):
                results[index].id = ticket.ticket.id
                results[index].status = isNew ? 201 : 200
                if isNew {
                    created += 1
                    if let due = ticket.nextDue, earliestDue.map({ due < $0 }) ?? true { earliestDue = due }
                    countBreach(wasOverdue: false, now: ticket)
                } else {
                    present += 1
                }
            case let .failure(error):
                let failure = Self.failure(error)
                results[index].status = failure.status.code
                results[index].error = ErrorDetail(failure)
            }
        }
        loop.poke(nextDue: earliestDue)
        return Self.json(answer: BatchAnswer(created: created, present: present, failed: entries.count - created - present, results: results))
    }

    /// The body's tickets: a JSON array, or JSON Lines. A body that is neither is refused whole (400); a
    /// line that is not a JSON object is refused alone, at its line.
    static func batchEntries(_ bytes: [UInt8]) throws -> [BatchEntry] {
        guard let first = bytes.first(where: { !Set<UInt8>([0x20, 0x09, 0x0A, 0x0D]).contains($0) }) else {
            throw Failure(status: .badRequest, code: "malformed_json", message: "the batch is empty: send a JSON array of tickets or JSON Lines")
        }
        if first == UInt8(ascii: "[") {
            guard let array = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [Any] else {
                throw Failure(status: .badRequest, code: "malformed_json", message: "the body starts with '[' but is not a JSON array")
            }
            return array.enumerated().map { index, item in
                BatchEntry(index: index, line: nil, object: (item as? [String: Any]).map { .success($0) }
                    ?? .failure(Failure(status: .badRequest, code: "malformed_json", message: "item \(index) is not a JSON object")))
            }
        }
        var entries: [BatchEntry] = []
        for (number, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty || text.hasPrefix("#") { continue }
            let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
            entries.append(BatchEntry(index: entries.count, line: number + 1, object: object.map { .success($0) }
                ?? .failure(Failure(status: .badRequest, code: "malformed_json", message: "line \(number + 1) is not a JSON object"))))
        }
        return entries
    }
}
