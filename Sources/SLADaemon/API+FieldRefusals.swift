import Foundation
import SLAEngine
import SLARules

extension API {
    /// Refuses a ticket or an event whose field values the rules do not allow (a grade outside the
    /// declared set, an assignee who is no person): 422, naming the first such field, with every
    /// refused value and its did-you-mean in the message. Stored tickets are never re-checked, so a
    /// reload that narrows a set leaves tickets already taken in as they are.
    static func refuseValues(_ values: [(field: TicketField, value: String)], rules: RuleSet, code: String) throws {
        let refusals = rules.refusals(values)
        guard let first = refusals.first else { return }
        throw Failure(status: .unprocessableContent, code: code,
                      message: refusals.map(\.message).joined(separator: "; "), field: first.field.rawValue, refused: refusals)
    }
}
