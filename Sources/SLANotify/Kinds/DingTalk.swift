import Foundation
import SLARules

/// `dingtalk`: a DingTalk (钉钉) custom robot. With `secret` (加签): `timestamp` in milliseconds and
/// `sign = urlencode(base64(HMAC-SHA256(key: secret, message: timestamp + "\n" + secret)))` in the query.
/// Markdown, escaped; `@` only for the mobiles named in `mention` (never "all" from the message).
/// Action links are real Markdown links, placed outside the escaped message.
public struct DingTalkNotifier: Notifier {
    public static let kind = "dingtalk"
    let base: URL
    let token: String
    let secret: String?
    let mentions: [String]
    let timeout: Double
    let transport: any HTTPTransport
    public var defaultPerMinute: Int? { 20 }

    public init(channel: Channel, secrets: SecretResolver, transport: any HTTPTransport) throws(NotifierSetupError) {
        let settings = ChannelSettings(channel, secrets)
        token = try settings.required("token")
        secret = try settings.optional("secret")
        base = try settings.url("url", default: "https://oapi.dingtalk.com/robot/send")
        mentions = settings.list("mention")
        timeout = channel.timeoutSeconds
        self.transport = transport
    }

    /// base64(HMAC-SHA256(key: secret, message: "\(timestampMilliseconds)\n\(secret)")), not URL-encoded.
    public static func sign(secret: String, timestampMilliseconds: Int64) -> String {
        Digest.base64(Digest.hmacSHA256(key: secret, message: "\(timestampMilliseconds)\n\(secret)"))
    }

    public func request(for notice: Notice, now: Date) -> OutgoingRequest {
        var query = "access_token=" + Digest.percentEncode(token)
        if let secret {
            let timestamp = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
            query += "&timestamp=\(timestamp)&sign=" + Digest.percentEncode(Self.sign(secret: secret, timestampMilliseconds: timestamp), plusForSpace: true)
        }
        var text = ActionLinks.robotMarkdown(notice, limit: 4000)
        let atMobiles = mentions.compactMap { mention -> String? in
            if case let .mobile(number) = RobotMention(mention) { number } else { nil }
        }
        if !atMobiles.isEmpty { text += "\n\n" + atMobiles.map { "@\($0)" }.joined(separator: " ") }
        let object: [String: Any] = [
            "msgtype": "markdown",
            "markdown": ["title": Escaping.robotText(notice.title), "text": text],
            "at": ["atMobiles": atMobiles, "isAtAll": mentions.contains { RobotMention($0) == .everyone }],
        ]
        var components = URLComponents(url: base, resolvingAgainstBaseURL: false)!
        components.percentEncodedQuery = [components.percentEncodedQuery, query].compactMap { $0 }.joined(separator: "&")
        return OutgoingRequest(url: components.url!, headers: [("Content-Type", "application/json; charset=utf-8")], body: JSONBody.encode(object))
    }

    public func deliver(_ notice: Notice, now: Date) async -> DeliveryOutcome {
        // 130101: send too fast (throttled for 10 minutes).
        let outcome = HTTPOutcome.classifyRobot(await transport.send(request(for: notice, now: now), timeout: timeout),
                                                codeKey: "errcode", retryCodes: [130101, -1], now: now)
        if case let .retry(reason, nil) = outcome, reason.contains("130101") { return .retry(reason: reason, after: 600) }
        return outcome
    }
}
