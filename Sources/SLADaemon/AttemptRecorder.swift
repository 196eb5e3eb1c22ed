import SLAEngine
import SLAStore

/// Group commit for delivery attempts. Every finished attempt waits here until it is in the database,
/// exactly as with one transaction each, but the attempts that finish while a commit is running are
/// written together by the next one: one transaction (and one fsync) for many deliveries. A job leaves
/// the in-flight set only after its attempt is committed, so the outbox never offers it twice.
actor AttemptRecorder {
    private let store: any TicketStore
    private var waiting: [(attempt: DeliveryAttempt, now: Instant, done: CheckedContinuation<Void, any Error>)] = []
    private var writing = false
    /// At most this many attempts in one transaction.
    private let batch: Int

    init(store: any TicketStore, batch: Int = 256) {
        self.store = store
        self.batch = max(1, batch)
    }

    /// Returns once the attempt is committed; throws what the write threw.
    func record(_ attempt: DeliveryAttempt, now: Instant) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            waiting.append((attempt, now, done))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !waiting.isEmpty {
            let taken = Array(waiting.prefix(batch))
            waiting.removeFirst(taken.count)
            do {
                try await store.recordAttempts(taken.map { ($0.attempt, $0.now) })
                for item in taken { item.done.resume() }
            } catch {
                for item in taken { item.done.resume(throwing: error) }
            }
        }
        writing = false
    }
}
