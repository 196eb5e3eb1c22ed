import Foundation
import SLAEngine
import SLAStore

extension API {
    /// Who a job is for: display names with the address it goes to, when it has one (`张伟 +8613800000001`).
    static func recipientNames(_ job: OutboxJob) -> [String] {
        job.recipients.map { recipient in
            let name = recipient.name ?? recipient.person
            return recipient.address.map { "\(name) \($0)" } ?? name
        }
    }
}
