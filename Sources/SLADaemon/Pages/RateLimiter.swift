import Foundation

/// A token bucket per client address for the public listener: `capacity` requests at once, refilled at
/// `perMinute` a minute. Time is an argument (monotonic seconds), so tests step it by hand. Memory is
/// bounded: past `maxClients` addresses, those whose bucket has refilled (nothing to remember) are dropped
/// first, then the ones seen longest ago.
public final class RateLimiter: @unchecked Sendable {
    public enum Decision: Sendable, Equatable {
        case allow
        /// Refused: one request is allowed again in this many whole seconds (the `Retry-After` value).
        case wait(seconds: Int)
    }

    struct Bucket {
        var tokens: Double
        var last: Double
    }

    public let capacity: Double
    public let perMinute: Double
    public let maxClients: Int
    private var buckets: [String: Bucket] = [:]
    private let lock = NSLock()

    public init(capacity: Int = 30, perMinute: Int = 30, maxClients: Int = 10_000) {
        self.capacity = Double(max(1, capacity))
        self.perMinute = Double(max(1, perMinute))
        self.maxClients = max(1, maxClients)
    }

    /// Takes one request from `client`'s bucket at `now` (monotonic seconds).
    public func take(_ client: String, now: Double) -> Decision {
        lock.withLock {
            var bucket = refilled(buckets[client], now: now)
            guard bucket.tokens >= 1 else {
                buckets[client] = bucket
                let seconds = (1 - bucket.tokens) * 60 / perMinute
                return .wait(seconds: max(1, Int(seconds.rounded(.up))))
            }
            bucket.tokens -= 1
            if buckets[client] == nil, buckets.count >= maxClients { evict(now: now) }
            buckets[client] = bucket
            return .allow
        }
    }

    /// How many addresses are remembered (tests check the bound).
    public var clientCount: Int { lock.withLock { buckets.count } }

    private func refilled(_ bucket: Bucket?, now: Double) -> Bucket {
        guard var bucket else { return Bucket(tokens: capacity, last: now) }
        let elapsed = max(0, now - bucket.last)
        bucket.tokens = min(capacity, bucket.tokens + elapsed * perMinute / 60)
        bucket.last = now
        return bucket
    }

    /// Makes room for one more address: the full buckets go, then the oldest half if that was not enough.
    private func evict(now: Double) {
        buckets = buckets.filter { refilled($0.value, now: now).tokens < capacity }
        guard buckets.count >= maxClients else { return }
        let keep = buckets.sorted { $0.value.last > $1.value.last }.prefix(maxClients / 2)
        buckets = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
    }
}
