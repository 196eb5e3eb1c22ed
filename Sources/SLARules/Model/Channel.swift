/// A way to reach people: a kind (`sms-http`, `wecom`, …) and its settings.
public struct Channel: Sendable, Hashable {
    public let name: String
    public let kind: ChannelKind
    public var title: String?
    public var settings: [String: SettingValue] = [:]
    public let location: SourceRange

    /// Whether residents' phone and ID numbers in the message are masked before it is sent (`mask on|off`;
    /// by default on for the group robots, whose messages a whole chat group reads).
    public var masksPersonalData: Bool {
        if case let .word(setting) = settings["mask"] { return setting == "on" }
        return kind.postsToGroups
    }
}

/// The channel kinds slad knows. Each needs a kind of contact address from a person, or none
/// (a group robot, a webhook or a log reaches its destination without one).
public enum ChannelKind: String, Sendable, Hashable, CaseIterable {
    case log, webhook, wecom, dingtalk, feishu
    case smsHTTP = "sms-http"
    case email, exec
    case aliyunSMS = "aliyun-sms"
    case tencentSMS = "tencent-sms"

    /// A group robot: what it posts, a whole chat group reads.
    public var postsToGroups: Bool { self == .wecom || self == .dingtalk || self == .feishu }

    /// The address a person must have for this channel to reach them personally.
    public var personalAddress: ContactKind? {
        switch self {
        case .smsHTTP, .aliyunSMS, .tencentSMS: .phone
        case .email: .email
        case .log, .webhook, .wecom, .dingtalk, .feishu, .exec: nil
        }
    }
}

/// A channel setting's value. Secrets are never literal: they are `env NAME` or `credential NAME`.
public enum SettingValue: Sendable, Hashable {
    case text(String)
    case number(Int)
    case duration(Duration)
    case word(String)
    case list([String])
    /// An environment variable read when the daemon starts.
    case environment(String)
    /// A systemd credential (`LoadCredential=`), read from `$CREDENTIALS_DIRECTORY`.
    case credential(String)
}

/// A message template; `{placeholders}` are filled from the ticket and the escalation.
public struct MessageTemplate: Sendable, Hashable {
    public let name: String
    public var title: String?
    public var body: String = ""
    public let location: SourceRange

    /// Placeholders a template may use. Anything else is an error in `slad check`.
    public static let placeholders: Set<String> = [
        "ticket.id", "ticket.kind", "ticket.category", "ticket.grade", "ticket.priority", "ticket.site",
        "ticket.building", "ticket.unit", "ticket.reporter", "ticket.text", "ticket.tags", "ticket.created",
        "assignee.name", "policy.name", "policy.title", "clock.name", "clock.title", "deadline", "overdue",
        "remaining", "step", "repeat", "recipient.name",
        "plan.name", "plan.title", "incident.id", "incident.level", "incident.started", "incident.site",
        "incident.building", "step.title", "drill",
        // Where the action links go (`links { … }`); channels render them, the text never holds them.
        "actions",
    ]
}
