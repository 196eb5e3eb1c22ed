import Foundation
import Logging
import SLAEngine
import SLANotify
import SLAStore

extension DeliveryService {
    /// One attempt of one job, sent: what the receiver answered and the attempt's record, not yet written.
    struct Sent: Sendable {
        let job: OutboxJob
        let outcome: DeliveryOutcome
        let record: DeliveryAttempt
        /// Why the job is dead-lettered, if it is.
        let dead: String?
        let now: Instant
        let fallback: (name: String, kind: String)?
    }

    /// One attempt of one job: sends it (a receiver's pause is applied to the lane at once) and says what to
    /// record. The job stays claimed until `record` has committed it.
    func send(_ job: OutboxJob, lane: Lane) async -> Sent {
        let notifier = lane.notifier
        let started = ContinuousClock.now
        let notice = Self.notice(for: job)
        let outcome = await notifier.deliver(notice, now: Date(timeIntervalSince1970: clock.preciseNow()))
        let milliseconds = (ContinuousClock.now - started).milliseconds
        let now = clock.now()
        let attemptNumber = job.attempts + 1
        let record: DeliveryAttempt
        var dead: String?
        switch outcome {
        case .delivered:
            record = DeliveryAttempt(outboxID: job.id, result: .sent, detail: nil, nextAttempt: nil, durationMilliseconds: milliseconds)
        case let .permanent(reason):
            dead = reason
            record = DeliveryAttempt(outboxID: job.id, result: .dead, detail: reason, nextAttempt: nil, durationMilliseconds: milliseconds)
        case let .retry(reason, after):
            if let after { await lane.pause(seconds: after) }
            if attemptNumber >= policy.maxAttempts || now.seconds - job.createdAt.seconds >= policy.maxAgeSeconds {
                dead = "\(reason) (gave up after \(attemptNumber) attempts)"
                record = DeliveryAttempt(outboxID: job.id, result: .dead, detail: dead, nextAttempt: nil, durationMilliseconds: milliseconds)
            } else {
                let delay = policy.delay(afterAttempt: attemptNumber, retryAfter: after)
                let next = Instant(seconds: Int((clock.preciseNow() + delay).rounded(.up)))
                record = DeliveryAttempt(outboxID: job.id, result: .retry, detail: reason, nextAttempt: next, durationMilliseconds: milliseconds)
            }
        }
        return Sent(job: job, outcome: outcome, record: record, dead: dead, now: now, fallback: lane.fallback)
    }

    /// Writes a sent attempt (group commit), then logs and tells the fallback channel what needs it.
    func record(_ sent: Sent) async {
        let job = sent.job, record = sent.record, now = sent.now, dead = sent.dead, outcome = sent.outcome
        let attemptNumber = job.attempts + 1
        var transition: ChannelHealth.Transition?
        // The notice went out: until its attempt is written the job stays claimed, so that a disk that
        // cannot take the record (full, read-only) never makes the outbox offer it again to be sent twice.
        while true {
            do {
                try await recorder.record(record, now: now)
                DaemonMetrics.deliveryAttempt(channel: job.channel, result: record.result.rawValue)
                // Committed: the job may be offered again (a retry, when due). One hop for all the bookkeeping.
                let (ended, changed) = await state.recorded(job.id, channel: job.channel, result: record.result, reason: record.detail, at: now)
                if let ended { logRecovery(.writes, ended) }
                transition = changed
                break
            } catch {
                // Cancelled (shutdown past its drain time): the job stays pending and is sent again after a restart.
                guard !Task.isCancelled, !(error is CancellationError) else { return }
                let fault = await failed(error, doing: .writes)
                try? await clock.sleep(seconds: fault.backoff())
            }
        }
        // The journal's MESSAGE names the channel and the reason (an operator reads `journalctl -u slad`, not
        // the fields); a failing channel writes one warning when it starts failing and one line when it
        // delivers again, not one per notice retried (each retry is at debug level, with its fields).
        let metadata: Logger.Metadata = ["ticket_id": "\(job.ticketID)", "channel": "\(job.channel)", "outbox_id": "\(job.id)",
                                         "attempt": "\(attemptNumber)"]
        switch transition {
        case .startedFailing?:
            let reason = dead ?? record.detail ?? "unknown"
            logger.warning("channel \(job.channel) is failing: \(reason); its notices are retried with backoff (one line per channel until it delivers again)",
                           metadata: metadata.merging(["reason": "\(reason)"]) { $1 })
        case let .deliversAgain(failures)?:
            logger.notice("channel \(job.channel) delivers again after \(failures) failed attempt(s)", metadata: metadata)
        case nil:
            break
        }
        do {
            if let dead {
                logger.error("notice dead-lettered on channel \(job.channel): \(dead)", metadata: metadata.merging(["reason": "\(dead)"]) { $1 })
                if let fallback = sent.fallback, !job.message.hasPrefix(Self.fallbackMark) {
                    let text = "\(Self.fallbackMark)通道 \(job.channel) 未能送达（\(dead.prefix(120))）：\(job.message)"
                    try await store.enqueueFallback(for: job, channel: fallback.name, kind: fallback.kind, message: text, now: now)
                    poke()
                }
            } else if case let .retry(reason, _) = outcome {
                logger.debug("delivery on channel \(job.channel) will be retried: \(reason)", metadata: metadata.merging(["reason": "\(reason)"]) { $1 })
            }
        } catch {
            logger.error("delivery: recording an attempt failed: \(error)")
        }
    }

    static let fallbackMark = "【投递失败】"

    /// Reading the outbox, or writing the attempts: on a full disk reads still work while writes fail,
    /// so each has its own state (one would otherwise end the other's at every poll).
    enum Storage: String { case reads = "reading the outbox", writes = "recording deliveries" }

    /// A failure of the outbox's storage: one log line when the failing starts or changes kind.
    func failed(_ error: any Error, doing what: Storage) async -> ScanFault {
        let (fault, changed) = await state.fail(what, error, at: clock.now())
        if changed {
            logger.error("delivery failing (\(what.rawValue)): \(fault.code): \(fault.message); retrying with backoff, no notice sent twice",
                         metadata: ["fault": "\(fault.code)", "error": "\(error)"])
        }
        return fault
    }

    func recovered(_ what: Storage) async {
        guard let ended = await state.recover(what) else { return }
        logRecovery(what, ended)
    }

    func logRecovery(_ what: Storage, _ ended: ScanFault) {
        logger.notice("delivery works again (\(what.rawValue)) after \(ended.failures) failed attempt\(ended.failures == 1 ? "" : "s") since \(ended.since)",
                      metadata: ["fault": "\(ended.code)"])
    }

    /// What a notifier is handed for an outbox job: its text, title, recipients and action links.
    public static func notice(for job: OutboxJob) -> Notice {
        Notice(idempotencyKey: job.noticeKey ?? "slad-\(job.firingID)-\(job.id)", ticketID: job.ticketID, channel: job.channel,
               recipients: job.recipients.map { .init(person: $0.person, name: $0.name, address: $0.address) },
               text: job.message, createdAt: job.createdAt.seconds, title: job.title,
               actions: job.actions.map { NoticeAction(person: $0.person, name: $0.name, label: $0.label, url: $0.url) },
               actionsAt: job.actionsAt)
    }
}
