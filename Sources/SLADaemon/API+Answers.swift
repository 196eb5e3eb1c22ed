import Foundation
import HTTPTypes
import Hummingbird
import SLAEngine
import SLARules
import SLAStore

/// Typed answers for the schemas every operation shares in docs/openapi.yaml (docs/adr/0028): the error
/// body (`Error`, `ErrorDetail`) and an outbox job (`OutboxJob`). Each is an Encodable value whose members
/// are the schema's properties; `AnswerWriter` writes it, so the bytes are those the hand-built
/// dictionaries gave. The other answers are in Answers/.
extension API {
    /// `{"error": ErrorDetail}`.
    struct ErrorAnswer: Encodable {
        let error: ErrorDetail
    }

    /// docs/openapi.yaml's ErrorDetail: `field` and `refused` only when there is something to say.
    struct ErrorDetail: Encodable {
        let code: String
        let message: String
        let field: String?
        let refused: [RefusedValue]?

        init(_ failure: Failure) {
            code = failure.code
            message = failure.message
            field = failure.field
            refused = failure.refused.isEmpty ? nil : failure.refused.map(RefusedValue.init)
        }
    }

    /// One value the rules refuse; `suggestion` is always written, null when there is none.
    struct RefusedValue: Encodable {
        let field: String
        let value: String
        let message: String
        let suggestion: String?

        init(_ refusal: FieldRefusal) {
            field = refusal.field.rawValue
            value = refusal.value
            message = refusal.message
            suggestion = refusal.suggestion?.name
        }

        enum CodingKeys: String, CodingKey { case field, value, message, suggestion }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(field, forKey: .field)
            try container.encode(value, forKey: .value)
            try container.encode(message, forKey: .message)
            try container.encode(suggestion, forKey: .suggestion)
        }
    }

    /// docs/openapi.yaml's OutboxJob; `lastError` is always written, null when there is none.
    struct OutboxJobAnswer: Encodable {
        let id: Int64
        let subject: String
        let ticket: String
        let channel: String
        let kind: String
        let state: String
        let attempts: Int
        let nextAttempt: String
        let created: String
        let lastError: String?
        let message: String
        let recipients: [String]
        let to: [String]

        init(_ job: OutboxJob, zone: ZoneTable) {
            id = job.id
            subject = job.subject.rawValue
            ticket = job.ticketID
            channel = job.channel
            kind = job.channelKind
            state = job.state
            attempts = job.attempts
            nextAttempt = zone.format(job.nextAttemptAt)
            created = zone.format(job.createdAt)
            lastError = job.lastError
            message = job.message
            recipients = job.recipients.map { $0.name ?? $0.person }
            to = API.recipientNames(job)
        }

        enum CodingKeys: String, CodingKey { case id, subject, ticket, channel, kind, state, attempts, nextAttempt, created, lastError, message, recipients, to }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(subject, forKey: .subject)
            try container.encode(ticket, forKey: .ticket)
            try container.encode(channel, forKey: .channel)
            try container.encode(kind, forKey: .kind)
            try container.encode(state, forKey: .state)
            try container.encode(attempts, forKey: .attempts)
            try container.encode(nextAttempt, forKey: .nextAttempt)
            try container.encode(created, forKey: .created)
            try container.encode(lastError, forKey: .lastError)
            try container.encode(message, forKey: .message)
            try container.encode(recipients, forKey: .recipients)
            try container.encode(to, forKey: .to)
        }
    }

    /// The outbox list: `{"jobs": [OutboxJob]}`.
    struct OutboxListAnswer: Encodable {
        let jobs: [OutboxJobAnswer]
    }

    /// A typed answer, written by `AnswerWriter`; one holding a floating-point number (the explanation's
    /// model confidence) the old way, through `AnswerEncoder` and `JSONSerialization`, whose numbers they are.
    static func json(answer: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        json(data: data(answer: answer), status: status)
    }

    /// The answer's bytes (`json(answer:)`).
    static func data(answer: some Encodable) -> Data {
        AnswerWriter.data(answer) ?? foundationData(AnswerEncoder.value(answer))
    }
}
