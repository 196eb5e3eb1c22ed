import Foundation
import SLARules

/// `wecom`: a WeCom (企业微信) group robot. The key in the URL is the secret; no signing.
/// Markdown (≤ 4096 bytes) with the message escaped; with `mention`, a text message (≤ 2048 bytes)
/// whose mentions come only from the rules, never from the message: mobile numbers go to
/// `mentioned_mobile_list` (without +86), user ids and `@all` to `mentioned_list`, as WeCom defines them.
/// Action links: real Markdown links in markdown, plain URLs in text, placed outside the escaped message.
public struct WeComNotifier: Notifier {
    public static let kind = "wecom"
    let url: URL
    let mentions: [String]
    let timeout: Double
    let transport: any HTTPTransport
    public var defaultPerMinute: Int? { 20 }

    public init(channel: Channel, secrets: SecretResolver, transport: any HTTPTransport) throws(NotifierSetupError) {
        let settings = ChannelSettings(channel, secrets)
        let key = try settings.required("key")
        let base = try settings.url("url", default: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send")
        guard var components = URLComponents(url: base, resolvingAgainstBaseURL: false) else { throw NotifierSetupError("channel '\(channel.name)': bad url") }
        components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "key", value: key)]
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        guard let url = components.url else { throw NotifierSetupError("channel '\(channel.name)': bad url") }
        self.url = url
        mentions = settings.list("mention")
        timeout = channel.timeoutSeconds
        self.transport = transport
    }

    public func request(for notice: Notice, now: Date) -> OutgoingRequest {
        let object: [String: Any]
        if mentions.isEmpty {
            let content = ActionLinks.robotMarkdown(notice, limit: 4096)
            object = ["msgtype": "markdown", "markdown": ["content": content]]
        } else {
            let content = ActionLinks.robotText(notice, limit: 2048)
            var text: [String: Any] = ["content": content]
            var users: [String] = [], mobiles: [String] = []
            for mention in mentions {
                switch RobotMention(mention) {
                case let .mobile(number): mobiles.append(RobotMention.domestic(number))
                case .everyone: users.append("@all")
                case let .user(id): users.append(id)
                }
            }
            if !users.isEmpty { text["mentioned_list"] = users }
            if !mobiles.isEmpty { text["mentioned_mobile_list"] = mobiles }
            object = ["msgtype": "text", "text": text]
        }
        return OutgoingRequest(url: url, headers: [("Content-Type", "application/json; charset=utf-8")], body: JSONBody.encode(object))
    }

    public func deliver(_ notice: Notice, now: Date) async -> DeliveryOutcome {
        // 45009: API frequency out of limit; -1: system busy (WeCom's general codes).
        HTTPOutcome.classifyRobot(await transport.send(request(for: notice, now: now), timeout: timeout),
                                  codeKey: "errcode", retryCodes: [45009, -1], now: now)
    }
}
