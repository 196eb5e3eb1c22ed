import Foundation
import Logging
import SLAEngine
import SLANotify
import SLARules

/// Sends self-alerts straight through the watch's channels: not through the outbox, which lives in the
/// store that may be the trouble. A raise goes to every watch channel but the one in trouble; an attempt
/// to be retried is tried again with backoff (10 s doubling to 5 min) for up to an hour; an all-clear goes
/// only where its raise got through (nobody hears "resolved" of what they never heard). Kept in memory:
/// a restart forgets what was told, and tells again what is still wrong.
struct SelfAlertSender {
    struct Attempt {
        let alert: SelfAlert
        let channel: String
        var tries: Int
        var next: Double
        let first: Double
    }

    static let giveUpAfter = 3600.0
    let logger: Logger
    private(set) var waiting: [Attempt] = []
    /// Per trouble key, the channels its raise reached.
    private(set) var told: [String: Set<String>] = [:]
    /// The raises of the troubles still active, to send again where nobody heard them.
    private var raised: [String: SelfAlert] = [:]
    /// Troubles whose raise reached nobody, already logged as such.
    private var unheard: Set<String> = []

    init(logger: Logger) { self.logger = logger }

    /// Queues an alert on its channels and tries each at once.
    mutating func send(_ alert: SelfAlert, settings: WatchSettings, notifiers: SelfAlertNotifiers, engine: Engine, now: Double) async {
        var channels = settings.channels.filter { $0 != alert.avoid }
        switch alert.kind {
        case .raised:
            told[alert.key] = []
            raised[alert.key] = alert
        case .cleared:
            raised[alert.key] = nil
            unheard.remove(alert.key)
            let reached = told.removeValue(forKey: alert.key) ?? []
            // A raise still waiting to get through is not sent late; its all-clear goes nowhere it did not.
            waiting.removeAll { $0.alert.key == alert.key && $0.alert.kind == .raised }
            channels = channels.filter { reached.contains($0) }
        }
        for channel in channels {
            waiting.append(Attempt(alert: alert, channel: channel, tries: 0, next: now, first: now))
        }
        await retry(notifiers: notifiers, engine: engine, now: now)
    }

    /// Tries every attempt that is due.
    mutating func retry(notifiers: SelfAlertNotifiers, engine: Engine, now: Double) async {
        var still: [Attempt] = []
        for var attempt in waiting {
            guard attempt.next <= now else { still.append(attempt); continue }
            attempt.tries += 1
            switch await notifiers.deliver(attempt.alert, channel: attempt.channel, engine: engine, now: now) {
            case .delivered:
                if attempt.alert.kind == .raised { told[attempt.alert.key]?.insert(attempt.channel) }
                logger.notice("self-alert \(attempt.alert.kind.rawValue) through \(attempt.channel): \(attempt.alert.title)",
                              metadata: ["trouble": "\(attempt.alert.key)", "channel": "\(attempt.channel)"])
            case let .retry(reason, after) where now - attempt.first < Self.giveUpAfter:
                attempt.next = now + (after ?? min(300, 10 * pow(2, Double(attempt.tries - 1))))
                if attempt.tries == 1 {
                    logger.warning("self-alert through \(attempt.channel) not delivered, retrying: \(reason)",
                                   metadata: ["trouble": "\(attempt.alert.key)", "channel": "\(attempt.channel)"])
                }
                still.append(attempt)
            case let .retry(reason, _), let .permanent(reason):
                logger.error("self-alert through \(attempt.channel) given up: \(reason)",
                             metadata: ["trouble": "\(attempt.alert.key)", "channel": "\(attempt.channel)"])
            }
        }
        waiting = still
        // A raise that every channel gave up on: nobody knows. Say so once; a reload sends it again.
        for (key, alert) in raised where told[key]?.isEmpty ?? true && !waiting.contains(where: { $0.alert.key == key }) {
            if unheard.insert(key).inserted {
                logger.error("self-alert reached nobody: \(alert.title); fix the watch's channels (slad check), and reload to send it again",
                             metadata: ["trouble": "\(key)"])
            }
        }
    }

    /// After a reload (new channels, a fixed script): the raises that reached nobody are sent again.
    mutating func resendUnheard(settings: WatchSettings, notifiers: SelfAlertNotifiers, engine: Engine, now: Double) async {
        for (key, alert) in raised.sorted(by: { $0.key < $1.key })
        where told[key]?.isEmpty ?? true && !waiting.contains(where: { $0.alert.key == key }) {
            unheard.remove(key)
            for channel in settings.channels where channel != alert.avoid {
                waiting.append(Attempt(alert: alert, channel: channel, tries: 0, next: now, first: now))
            }
        }
        await retry(notifiers: notifiers, engine: engine, now: now)
    }
}

/// The notifiers of the watch's channels, made once per rules version. A `log` channel writes the alert
/// to the daemon's log at warning level (a syslog relay or journal forwarder carries it on), and to
/// standard output when escalations are echoed.
struct SelfAlertNotifiers {
    let version: String
    private var notifiers: [String: any Notifier] = [:]
    private var unusable: [String: String] = [:]

    init(version: String, rules: RuleSet, secrets: SecretResolver, transport: any HTTPTransport, echo: Bool, logger: Logger) {
        self.version = version
        for name in rules.watch?.channels ?? [] {
            guard let channel = rules.channels[name] else { continue }
            if channel.kind == .log {
                notifiers[name] = LogNotifier { line, notice in
                    logger.warning("\(line)", metadata: ["channel": "\(notice.channel)", "self_alert": "\(notice.idempotencyKey)"])
                    if echo {   // the demo and --console show them beside the escalations
                        print(line)
                        fflush(nil)
                    }
                }
                continue
            }
            do {
                notifiers[name] = try NotifierRegistry.make(channel, secrets: secrets, transport: transport)
            } catch {
                unusable[name] = UnconfiguredChannel.problem(channel, error)
                logger.error("self-alerts cannot use channel \(name): \(unusable[name]!); fix it, then restart slad (or reload, for a credential file)",
                             metadata: ["channel": "\(name)"])
            }
        }
    }

    func deliver(_ alert: SelfAlert, channel name: String, engine: Engine, now: Double) async -> DeliveryOutcome {
        guard let notifier = notifiers[name], let settings = engine.rules.watch else {
            return .permanent(reason: unusable[name] ?? "channel \(name) is not in the running rules")
        }
        let reach = engine.recipients(targets: settings.targets, channels: [name], assignee: nil, policyTeam: settings.team,
                                      at: Instant(seconds: Int(now)))
        let recipients = reach.deliveries.first?.recipients ?? []
        if recipients.isEmpty, engine.rules.channels[name]?.kind.personalAddress != nil {
            return .permanent(reason: "nobody in the watch's notify has an address for channel \(name)")
        }
        let notice = Notice(idempotencyKey: alert.idempotencyKey, ticketID: "slad", channel: name,
                            recipients: recipients.map { .init(person: $0.person, name: $0.displayName, address: $0.address) },
                            text: alert.text, createdAt: Int(now), title: alert.title)
        return await notifier.deliver(notice, now: Date(timeIntervalSince1970: now))
    }
}
