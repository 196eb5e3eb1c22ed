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
    /// The last dead letter and the last delivery, per channel: a dead letter after the last delivery
    /// keeps the channel in trouble for the self-watch until a notice gets through again.
    private var lastDead: [String: Instant] = [:]
    private var lastSent: [String: Instant] = [:]

    mutating func record(channel: String, result: DeliveryAttempt.Result, reason: String?, at now: Instant) {
        switch result {
        case .sent:
            failingSince[channel] = nil
            lastSent[channel] = now
        case .retry:
            if failingSince[channel] == nil { failingSince[channel] = now }
        case .dead:
            dead[channel, default: []].append(now)
            lastDead[channel] = now
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

    /// What the self-watch sees of each channel that has had trouble: since when its attempts fail (none
    /// delivered), and whether it dead-lettered a notice since its last delivery.
    func troubles() -> [ChannelTrouble] {
        Set(failingSince.keys).union(lastDead.keys).sorted().compactMap { channel in
            let deadSinceSent = lastDead[channel].map { dead in lastSent[channel].map { $0 <= dead } ?? true } ?? false
            guard failingSince[channel] != nil || deadSinceSent else { return nil }
            return ChannelTrouble(channel: channel, failingSince: failingSince[channel],
                                  deadLetteredAt: deadSinceSent ? lastDead[channel] : nil, lastReason: lastReason[channel])
        }
    }
}

/// One channel's trouble as the self-watch sees it (`ChannelHealth.troubles`).
struct ChannelTrouble: Sendable, Hashable {
    let channel: String
    let failingSince: Instant?
    /// The last dead letter, when none was delivered after it.
    let deadLetteredAt: Instant?
    let lastReason: String?
}
