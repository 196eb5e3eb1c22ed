import Foundation
import SLARules

/// One notice to deliver: an outbox row, as the notifiers see it.
public struct Notice: Sendable, Hashable {
    public struct Recipient: Sendable, Hashable {
        public let person: String
        public let name: String?
        public let address: String?
        public init(person: String, name: String?, address: String?) {
            self.person = person
            self.name = name
            self.address = address
        }
    }

    /// Stable across retries: receivers drop a second copy with the same key.
    public let idempotencyKey: String
    public let ticketID: String
    public let channel: String
    public let recipients: [Recipient]
    /// The composed message. Treated as untrusted text: it carries what a resident typed.
    public let text: String
    public let createdAt: Int
    /// The template's title, when it has one.
    public let heading: String?
    /// slad's own action links (acknowledge, resolve, confirm a step…), one set per person reached. Each
    /// kind renders them outside the escaped `text`, so nothing a resident typed can pose as one.
    public let actions: [NoticeAction]
    /// Where the links go: a UTF-8 offset into `text` (the template's `{actions}`); nil puts them at the end.
    public let actionsAt: Int?

    public init(idempotencyKey: String, ticketID: String, channel: String, recipients: [Recipient], text: String, createdAt: Int,
                title: String? = nil, actions: [NoticeAction] = [], actionsAt: Int? = nil) {
        self.idempotencyKey = idempotencyKey
        self.ticketID = ticketID
        self.channel = channel
        self.recipients = recipients
        self.text = text
        self.createdAt = createdAt
        heading = title.flatMap { $0.isEmpty ? nil : $0 }
        self.actions = actions
        self.actionsAt = actionsAt
    }

    /// The title for channels that have one: the template's `title`, else the message's first line.
    public var title: String {
        let first = heading ?? text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? text
        return String(first.prefix(60))
    }
}

/// One action link in a notice: `label` (接单, 已处理, 不是我的, 确认完成) opens `url`, minted for `person`.
public struct NoticeAction: Sendable, Hashable, Codable {
    /// The person id the link was minted for (the action is recorded as theirs, "via link").
    public let person: String
    /// Their display name, to label the links when a notice reaches several people.
    public let name: String?
    public let label: String
    /// `BASE/a/TOKEN`: only slad composes it; it never holds text a resident typed.
    public let url: String

    public init(person: String, name: String?, label: String, url: String) {
        self.person = person
        self.name = name
        self.label = label
        self.url = url
    }
}

/// What one attempt came to.
public enum DeliveryOutcome: Sendable, Equatable {
    case delivered
    /// Worth another try: a timeout, a 5xx, a 429 or a vendor's "too fast". `after` is the receiver's
    /// own `Retry-After`, in seconds, when it gave one.
    case retry(reason: String, after: Double?)
    /// Retrying cannot help: a 4xx other than 408/429, a bad signature, a refused address.
    case permanent(reason: String)
}

/// A channel kind's notifier: made once per channel from its settings (secrets resolved at start-up),
/// then asked to deliver notifications. Implementations keep no per-notice state.
public protocol Notifier: Sendable {
    /// The kind's name in the rule files (`channel ops wecom { … }`).
    static var kind: String { get }
    init(channel: Channel, secrets: SecretResolver, transport: any HTTPTransport) throws(NotifierSetupError)
    func deliver(_ notice: Notice, now: Date) async -> DeliveryOutcome
    /// The default rate limit: messages per minute (robots allow about 20 per group); nil for none.
    var defaultPerMinute: Int? { get }
}

extension Notifier {
    public var defaultPerMinute: Int? { nil }
}

public struct NotifierSetupError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Every channel kind slad can deliver, by the name used in the rules. Adding a kind: one file with a
/// `Notifier` type, one line here.
public enum NotifierRegistry {
    public static let kinds: [String: any Notifier.Type] = [
        LogNotifier.kind: LogNotifier.self,
        WebhookNotifier.kind: WebhookNotifier.self,
        WeComNotifier.kind: WeComNotifier.self,
        DingTalkNotifier.kind: DingTalkNotifier.self,
        FeishuNotifier.kind: FeishuNotifier.self,
        SMSHTTPNotifier.kind: SMSHTTPNotifier.self,
        ExecNotifier.kind: ExecNotifier.self,
        EmailNotifier.kind: EmailNotifier.self,
        AliyunSMSNotifier.kind: AliyunSMSNotifier.self,
        TencentSMSNotifier.kind: TencentSMSNotifier.self,
    ]

    /// Builds a channel's notifier, resolving its secrets now so that a missing one stops start-up.
    public static func make(_ channel: Channel, secrets: SecretResolver, transport: any HTTPTransport) throws(NotifierSetupError) -> any Notifier {
        guard let type = kinds[channel.kind.rawValue] else {
            throw NotifierSetupError("channel '\(channel.name)': no notifier for kind '\(channel.kind.rawValue)' in this build")
        }
        let notifier = try type.init(channel: channel, secrets: secrets, transport: transport)
        return channel.masksPersonalData ? MaskingNotifier(wrapping: notifier) : notifier
    }
}

/// Reads `env NAME` from the environment and `credential NAME` from `$CREDENTIALS_DIRECTORY`.
public struct SecretResolver: Sendable {
    public let environment: [String: String]
    public let credentialsDirectory: String?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, credentialsDirectory: String? = nil) {
        self.environment = environment
        self.credentialsDirectory = credentialsDirectory ?? environment["CREDENTIALS_DIRECTORY"]
    }

    public func resolve(_ value: SettingValue, setting: String, channel: String) throws(NotifierSetupError) -> String {
        switch value {
        case let .environment(name):
            guard let text = environment[name], !text.isEmpty else {
                throw NotifierSetupError("channel '\(channel)': '\(setting)' comes from the environment variable \(name), which is not set")
            }
            return text
        case let .credential(name):
            guard let directory = credentialsDirectory else {
                throw NotifierSetupError("channel '\(channel)': '\(setting)' is the credential \(name), but CREDENTIALS_DIRECTORY is not set")
            }
            guard let data = FileManager.default.contents(atPath: directory + "/" + name),
                  let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty
            else { throw NotifierSetupError("channel '\(channel)': cannot read the credential \(name) in \(directory)") }
            return text
        case let .text(text), let .word(text): return text
        case let .number(number): return String(number)
        case let .list(items): return items.joined(separator: ",")
        case let .duration(duration): return String(describing: duration)
        }
    }
}

/// Reading a channel's settings.
public struct ChannelSettings {
    public let channel: Channel
    public let secrets: SecretResolver

    public init(_ channel: Channel, _ secrets: SecretResolver) {
        self.channel = channel
        self.secrets = secrets
    }

    public func optional(_ key: String) throws(NotifierSetupError) -> String? {
        guard let value = channel.settings[key] else { return nil }
        return try secrets.resolve(value, setting: key, channel: channel.name)
    }

    public func required(_ key: String) throws(NotifierSetupError) -> String {
        guard let text = try optional(key) else { throw NotifierSetupError("channel '\(channel.name)' has no '\(key)'") }
        return text
    }

    public func list(_ key: String) -> [String] {
        switch channel.settings[key] {
        case let .list(items): return items
        case let .text(text), let .word(text): return [text]
        default: return []
        }
    }

    public func url(_ key: String, default fallback: String? = nil) throws(NotifierSetupError) -> URL {
        guard let text = try optional(key) ?? fallback else { throw NotifierSetupError("channel '\(channel.name)' has no '\(key)'") }
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme.lowercased()), url.host != nil else {
            throw NotifierSetupError("channel '\(channel.name)': '\(key)' is not an http(s) URL")
        }
        return url
    }
}
