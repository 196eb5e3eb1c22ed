import NIOConcurrencyHelpers
import SLAEngine

/// A clock that moves only when told: every service of an in-process daemon shares one, and a test
/// advances it (`advance(by:)`), waking exactly the sleepers whose time has come, earliest first. A
/// backoff of five minutes or a rate window of an hour then takes no real time at all.
public final class ManualClock: WallClock {
    private struct Sleeper {
        let id: UInt64
        let deadline: Double
        let wake: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var uptime: Double = 0
        /// The wall clock minus the uptime: changed by `jump(by:)` (the wall clock stepped, time did not pass).
        var wallOffset: Double
        var sleepers: [Sleeper] = []
        var nextID: UInt64 = 0
        /// Sleepers cancelled before they were registered.
        var cancelled: Set<UInt64> = []
    }

    private let state: NIOLockedValueBox<State>

    /// A clock whose wall time starts at `start` (seconds since the epoch).
    public init(start: Double) { state = NIOLockedValueBox(State(wallOffset: start)) }
    public convenience init(start: Instant) { self.init(start: Double(start.seconds)) }

    public func now() -> Instant { Instant(seconds: Int(preciseNow().rounded(.down))) }
    public func preciseNow() -> Double { state.withLockedValue { $0.uptime + $0.wallOffset } }
    public func uptime() -> Double { state.withLockedValue { $0.uptime } }

    public func sleep(seconds: Double) async throws {
        let id = state.withLockedValue { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (wake: CheckedContinuation<Void, any Error>) in
                let verdict: Result<Void, any Error>? = state.withLockedValue { state in
                    if state.cancelled.remove(id) != nil || Task.isCancelled { return .failure(CancellationError()) }
                    if seconds <= 0 { return .success(()) }
                    state.sleepers.append(Sleeper(id: id, deadline: state.uptime + seconds, wake: wake))
                    return nil
                }
                if let verdict { wake.resume(with: verdict) }
            }
        } onCancel: {
            let sleeper: Sleeper? = state.withLockedValue { state in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else {
                    state.cancelled.insert(id)
                    return nil
                }
                return state.sleepers.remove(at: index)
            }
            sleeper?.wake.resume(throwing: CancellationError())
        }
    }

    /// Moves time on by `seconds` and wakes every sleeper whose deadline has come, earliest first.
    public func advance(by seconds: Double) {
        let due: [Sleeper] = state.withLockedValue { state in
            state.uptime += max(0, seconds)
            let now = state.uptime
            let due = state.sleepers.filter { $0.deadline <= now }.sorted { ($0.deadline, $0.id) < ($1.deadline, $1.id) }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.wake.resume() }
    }

    /// The wall clock steps by `seconds` (an operator, NTP) while no time passes: nobody wakes.
    public func jump(by seconds: Double) {
        state.withLockedValue { $0.wallOffset += seconds }
    }

    /// How many tasks sleep on this clock now.
    public var sleepers: Int { state.withLockedValue { $0.sleepers.count } }

    /// The uptime at which the next sleeper wakes, if any sleeps.
    public var nextWake: Double? { state.withLockedValue { $0.sleepers.map(\.deadline).min() } }
}
