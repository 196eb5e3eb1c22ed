import Foundation
import SLAEngine
import SLAStore

extension API {
    /// A ticket's undelivered jobs as timeline entries: queued when the escalation fired, waiting since,
    /// with the reason they have not gone out (`detail`) and when slad tries or looks again.
    func pendingDeliveries(of ticket: String, zone: ZoneTable, now: Instant) async throws -> [(Instant, [String: Any])] {
        try await store.pendingOutbox(ticket: ticket).map { job in
            var entry: [String: Any] = ["type": "delivery", "outbox": job.id, "channel": job.channel, "attempt": job.attempts,
                                        "result": "pending", "at": zone.format(job.createdAt),
                                        "waitingSeconds": max(0, now - job.createdAt), "nextAttempt": zone.format(job.nextAttemptAt),
                                        "recipients": Self.recipientNames(job)]
            entry["detail"] = job.lastError ?? (job.attempts == 0 ? "not tried yet" : nil)
            return (job.createdAt, entry)
        }
    }

    /// Who a job is for: display names with the address it goes to, when it has one (`张伟 +8613800000001`).
    static func recipientNames(_ job: OutboxJob) -> [String] {
        job.recipients.map { recipient in
            let name = recipient.name ?? recipient.person
            return recipient.address.map { "\(name) \($0)" } ?? name
        }
    }
}
