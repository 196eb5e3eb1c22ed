import NIOConcurrencyHelpers

/// Wakes one waiting service early: the loop after a new ticket, the dispatcher after a scan wrote
/// outbox rows, a lane after new jobs. `ring()` never suspends, so anyone can ring without starting a
/// task; a ring while nobody waits is kept for the next wait. Waits sleep on the injected clock.
final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = NIOLockedValueBox(State())

    func ring() {
        let waiter: CheckedContinuation<Void, Never>? = state.withLockedValue { state in
            guard let waiter = state.waiter else {
                state.rung = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns when rung, or when the task is cancelled.
    func wait() async {
        await waitForRing()
    }

    /// Returns when rung, after `seconds` of `clock`, or when the task is cancelled.
    func wait(seconds: Double, clock: any WallClock) async {
        if state.withLockedValue({ state in defer { state.rung = false }; return state.rung }) { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await clock.sleep(seconds: seconds) }
            group.addTask { await self.waitForRing() }
            await group.next()
            group.cancelAll()
        }
    }

    /// One waiter at a time: each doorbell belongs to one service's loop.
    private func waitForRing() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
                let now: Bool = state.withLockedValue { state in
                    if state.rung || Task.isCancelled {
                        state.rung = false
                        return true
                    }
                    state.waiter = waiter
                    return false
                }
                if now { waiter.resume() }
            }
        } onCancel: {
            // Leaves `rung` alone: a cancelled wait is not a ring.
            let waiter = state.withLockedValue { state in defer { state.waiter = nil }; return state.waiter }
            waiter?.resume()
        }
    }
}
