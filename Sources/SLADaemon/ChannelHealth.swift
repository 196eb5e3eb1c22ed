import SLAEngine
import SLAStore

/// A channel that is not getting notices through: `/healthz` answers 503 with `delivery_stalled`.
public struct StalledChannel: Sendable, Hashable {
    public let channel: String
    /// Dead letters in the last hour.
    public let deadLetters: Int
    /// Attempts have failed since then, none delivered; nil when only dead letters are the matter.
    public let failingSince: Instant?
    public let lastReason: String?
}

/// Per channel, what its recent attempts came to, kept in memory by delivery (it starts again empty
/// with the daemon): the dead letters of the last hour, and since when attempts fail without a success.
struct ChannelHealth: Sendable {
    /// How long attempts may fail, none delivered, before the channel counts as stalled.
    static let failingFor = 600
    static let deadWindow = 3600
    private var dead: [String: [Instant]] = [:]
    private var failingSince: [String: Instant] = [:]
    private var lastReason: [String: String] = [:]

    mutating func record(channel: String, result: DeliveryAttempt.Result, reason: String?, at now: Instant) {
        switch result {
        case .sent:
            failingSince[channel] = nil
        case .retry:
            if failingSince[channel] == nil { failingSince[channel] = now }
        case .dead:
            dead[channel, default: []].append(now)
        }
        if result != .sent, let reason { lastReason[channel] = reason }
        dead[channel]?.removeAll { now - $0 >= Self.deadWindow }
    }

    func stalled(at now: Instant) -> [StalledChannel] {
        let channels = Set(dead.keys).union(failingSince.keys).sorted()
        return channels.compactMap { channel in
            let recent = dead[channel]?.filter { now - $0 < Self.deadWindow }.count ?? 0
            let failing = failingSince[channel].flatMap { now - $0 >= Self.failingFor ? $0 : nil }
            guard recent > 0 || failing != nil else { return nil }
            return StalledChannel(channel: channel, deadLetters: recent, failingSince: failing, lastReason: lastReason[channel])
        }
    }
}
