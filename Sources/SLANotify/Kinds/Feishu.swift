import Foundation
import SLARules

/// `feishu`: a Feishu/Lark custom bot. With `secret`: `timestamp` in seconds and
/// `sign = base64(HMAC-SHA256(key: timestamp + "\n" + secret, message: empty))` in the body —
/// key and message the other way round from DingTalk. Text messages with `<at>` disarmed; action links
/// as plain URLs on their own lines (Feishu makes them tappable), outside the escaped message.
public struct FeishuNotifier: Notifier {
    public static let kind = "feishu"
    let url: URL
    let secret: String?
    let timeout: Double
    let transport: any HTTPTransport
    public var defaultPerMinute: Int? { 100 }

    public init(channel: Channel, secrets: SecretResolver, transport: any HTTPTransport) throws(NotifierSetupError) {
        let settings = ChannelSettings(channel, secrets)
        let hook = try settings.required("hook")
        secret = try settings.optional("secret")
        let base = try settings.optional("url") ?? "https://open.feishu.cn/open-apis/bot/v2/hook/"
        let joined = base.hasSuffix("/") ? base + Digest.percentEncode(hook) : base + "/" + Digest.percentEncode(hook)
        guard let url = URL(string: joined), url.host != nil else { throw NotifierSetupError("channel '\(channel.name)': bad url") }
        self.url = url
        timeout = channel.timeoutSeconds
        self.transport = transport
    }

    public static func sign(secret: String, timestampSeconds: Int64) -> String {
        Digest.base64(Digest.hmac(.sha256, key: Array("\(timestampSeconds)\n\(secret)".utf8), message: []))
    }

    public func request(for notice: Notice, now: Date) -> OutgoingRequest {
        var object: [String: Any] = [
            "msg_type": "text",
            "content": ["text": ActionLinks.robotText(notice, limit: 18_000)],
        ]
        if let secret {
            let timestamp = Int64(now.timeIntervalSince1970)
            object["timestamp"] = String(timestamp)
            object["sign"] = Self.sign(secret: secret, timestampSeconds: timestamp)
        }
        return OutgoingRequest(url: url, headers: [("Content-Type", "application/json; charset=utf-8")], body: JSONBody.encode(object))
    }

    public func deliver(_ notice: Notice, now: Date) async -> DeliveryOutcome {
        // 11232: throttled.
        HTTPOutcome.classifyRobot(await transport.send(request(for: notice, now: now), timeout: timeout),
                                  codeKey: "code", retryCodes: [11232], now: now)
    }
}
