import SLAEngine
import SLAStore

/// Group commit for single ticket creations (issue 16, intake): `POST /v1/tickets` from many clients at
/// once share commits instead of paying one fsync each. No timer and no task of its own: the first
/// caller to find no commit in flight leads and commits what is waiting (itself included); callers who
/// arrive meanwhile wait, and when the commit ends the first of them leads the next one with all that
/// gathered. A lone caller commits at once, so nobody waits for a batch to fill.
actor GroupCommit {
    typealias Outcome = Result<(StoredTicket, created: Bool), any Error>

    private enum Turn {
        case done(Outcome)
        case lead
    }

    private struct Waiting {
        let item: NewTicket
        /// Nil for the leader's own item: the leader is not waiting.
        let continuation: CheckedContinuation<Turn, Never>?
    }

    private let store: any TicketStore
    private let rules: RulesHolder
    private let clock: any WallClock
    private var waiting: [Waiting] = []
    private var committing = false
    /// Commits made, and tickets in them (for tests and the benchmark).
    private(set) var commits = 0
    private(set) var tickets = 0

    init(store: any TicketStore, rules: RulesHolder, clock: any WallClock) {
        self.store = store
        self.rules = rules
        self.clock = clock
    }

    /// Creates one ticket, as `TicketStore.create` does, in a commit shared with those that arrive with it.
    func create(_ item: NewTicket) async throws -> (StoredTicket, created: Bool) {
        if committing {
            let turn = await withCheckedContinuation { continuation in waiting.append(Waiting(item: item, continuation: continuation)) }
            if case let .done(outcome) = turn { return try outcome.get() }
            // Led: this caller's item is the first of `waiting`, taken with the rest below.
        } else {
            committing = true
            waiting.insert(Waiting(item: item, continuation: nil), at: 0)
        }
        let batch = waiting
        waiting = []
        let outcomes: [Outcome]
        do {
            let results = try await store.createBatch(batch.map(\.item), engine: await rules.engine, now: clock.now())
            outcomes = results.map { $0.mapError { $0 as any Error } }
        } catch {
            outcomes = Array(repeating: .failure(error), count: batch.count)
        }
        commits += 1
        tickets += batch.count
        for (waiter, outcome) in zip(batch, outcomes) { waiter.continuation?.resume(returning: .done(outcome)) }
        if let next = waiting.first {
            waiting[0] = Waiting(item: next.item, continuation: nil)
            next.continuation?.resume(returning: .lead)
        } else {
            committing = false
        }
        // The leader's item is the first of its batch.
        return try outcomes[0].get()
    }
}
