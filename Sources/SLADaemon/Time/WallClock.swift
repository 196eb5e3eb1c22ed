import Foundation
import SLAEngine

/// Where the daemon gets the time, and how it waits: one clock for "now" and for sleeping. The real
/// daemon reads the system's clocks and sleeps with `Task.sleep`; tests hand every service one
/// `ManualClock` and move time on themselves, so nothing waits on real time for a deadline.
public protocol WallClock: Sendable {
    /// The wall-clock second (deadlines, records).
    func now() -> Instant
    /// Seconds since the epoch with a fraction, so that the loop wakes right at a due second.
    func preciseNow() -> Double
    /// Seconds on a clock that never jumps with the wall clock, from an arbitrary origin: rate windows,
    /// Retry-After pauses and other spans of elapsed time are measured on it.
    func uptime() -> Double
    /// Suspends for `seconds` of this clock's time (at once for zero or less). Throws `CancellationError`
    /// when the task is cancelled.
    func sleep(seconds: Double) async throws
}

public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Instant { Instant(seconds: Int(Date().timeIntervalSince1970.rounded(.down))) }
    public func preciseNow() -> Double { Date().timeIntervalSince1970 }
    public func uptime() -> Double { (ContinuousClock.now - Self.origin).seconds }
    public func sleep(seconds: Double) async throws {
        guard seconds > 0 else { return try Task.checkCancellation() }
        try await Task.sleep(for: .nanoseconds(Int64(min(seconds, 1e9) * 1e9)))
    }

    private static let origin = ContinuousClock.now
}

extension Duration {
    /// The duration in seconds, with its fraction.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    /// The duration in whole milliseconds (rounded down).
    var milliseconds: Int { Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000) }
}
