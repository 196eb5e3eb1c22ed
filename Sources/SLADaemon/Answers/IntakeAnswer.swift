/// `POST /v1/intake/{source}` (docs/openapi.yaml `IntakeAnswer`): what became of a delivery. The answer
/// is stored with the delivery and sent again, byte for byte, to a delivery id seen before.
struct IntakeAnswer: Encodable {
    let source: String
    let delivery: String
    let externalId: String?
    let ticket: String?
    let upstreamStatus: String?
    var event: String?
    var outcome: String
    /// Only for `skipped`: why (a category mapped to `skip`).
    var reason: String?

    /// The answer's text, as stored and replayed.
    var text: String {
        String(decoding: AnswerWriter.bytes(self) ?? Array("{}".utf8), as: UTF8.self)
    }
}
