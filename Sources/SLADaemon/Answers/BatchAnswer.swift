/// `POST /v1/tickets/batch`'s answer (docs/openapi.yaml, that operation's 200): the counts, and one result per ticket in
/// the order sent.
struct BatchAnswer: Encodable {
    let created: Int
    let present: Int
    let failed: Int
    let results: [Result]

    /// One ticket of the batch: its place, and its id and status, or why it was refused.
    struct Result: Encodable {
        let index: Int
        /// Only for JSON Lines: the line it was on.
        let line: Int?
        var id: String?
        var status: Int?
        var error: API.ErrorDetail?

        init(index: Int, line: Int?) {
            self.index = index
            self.line = line
        }
    }
}
