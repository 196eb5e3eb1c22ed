import SLAEngine
import SLAStore

/// Group commit for delivery attempts. Every finished attempt waits here until it is in the database,
/// exactly as with one transaction each, but the attempts that finish while a commit is running are
/// written together by the next one: one transaction (and one fsync) for many deliveries. A job leaves
/// the in-flight set only after its attempt is committed, so the outbox never offers it twice. `run`
/// is a child task of the delivery service; `close` lets it return once everything it holds is written.
actor AttemptRecorder {
    private let store: any TicketStore
    private var waiting: [(attempt: DeliveryAttempt, now: Instant, done: CheckedContinuation<Void, any Error>)] = []
    private var closed = false
    private let bell = Doorbell()
    /// At most this many attempts in one transaction.
    private let batch: Int

    init(store: any TicketStore, batch: Int = 256) {
        self.store = store
        self.batch = max(1, batch)
    }

    /// Returns once the attempt is committed; throws what the write threw (`CancellationError` when the
    /// recorder was cancelled or closed before writing it).
    func record(_ attempt: DeliveryAttempt, now: Instant) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            guard !closed else { return done.resume(throwing: CancellationError()) }
            waiting.append((attempt, now, done))
            bell.ring()
        }
    }

    /// Writes what waits, batch after batch, until closed and empty (or cancelled).
    func run() async {
        while true {
            if Task.isCancelled {
                let dropped = waiting
                waiting = []
                closed = true
                for item in dropped { item.done.resume(throwing: CancellationError()) }
                return
            }
            if waiting.isEmpty {
                if closed { return }
                await bell.wait()
                continue
            }
            let taken = Array(waiting.prefix(batch))
            waiting.removeFirst(taken.count)
            do {
                try await store.recordAttempts(taken.map { ($0.attempt, $0.now) })
                for item in taken { item.done.resume() }
            } catch {
                for item in taken { item.done.resume(throwing: error) }
            }
        }
    }

    /// No more attempts come: `run` returns once those waiting are written.
    func close() {
        closed = true
        bell.ring()
    }
}
