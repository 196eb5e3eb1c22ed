import Foundation
import SLARules

/// `webhook`: a JSON POST to an integrator. With a `secret`, the request carries
/// `X-Slad-Timestamp: <unix seconds>` and `X-Slad-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`;
/// every request carries `Idempotency-Key`, the same on every retry of one notice. A notice with action
/// links carries them as `actions: [{person, label, url}]`; `text` never holds them.
public struct WebhookNotifier: Notifier {
    public static let kind = "webhook"
    let url: URL
    let secret: String?
    let headers: [(String, String)]
    let timeout: Double
    let transport: any HTTPTransport

    public init(channel: Channel, secrets: SecretResolver, transport: any HTTPTransport) throws(NotifierSetupError) {
        let settings = ChannelSettings(channel, secrets)
        url = try settings.url("url")
        secret = try settings.optional("secret")
        var headers: [(String, String)] = []
        for line in settings.list("header") {
            guard let colon = line.firstIndex(of: ":") else { throw NotifierSetupError("channel '\(channel.name)': header '\(line)' has no ':'") }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, !name.contains(where: { $0.isWhitespace }), !value.contains(where: \.isNewline) else {
                throw NotifierSetupError("channel '\(channel.name)': header '\(line)' is not 'Name: value'")
            }
            headers.append((name, value))
        }
        self.headers = headers
        timeout = channel.timeoutSeconds
        self.transport = transport
    }

    /// `sha256=` + hex(HMAC-SHA256(key: secret, message: timestamp + "." + body)).
    public static func signature(secret: String, timestamp: Int, body: [UInt8]) -> String {
        "sha256=" + Digest.hex(Digest.hmac(.sha256, key: Array(secret.utf8), message: Array("\(timestamp).".utf8) + body))
    }

    public func request(for notice: Notice, now: Date) -> OutgoingRequest {
        var object: [String: Any] = [
            "id": notice.idempotencyKey,
            "ticket": notice.ticketID,
            "channel": notice.channel,
            "title": notice.title,
            "text": Escaping.normalizedLines(notice.text),
            "recipients": notice.recipients.map { recipient -> [String: Any] in
                var object: [String: Any] = ["person": recipient.person]
                if let name = recipient.name { object["name"] = name }
                if let address = recipient.address { object["address"] = address }
                return object
            },
            "created_at": notice.createdAt,
        ]
        let actions = ActionLinks.jsonObjects(notice)
        if !actions.isEmpty { object["actions"] = actions }
        let body = JSONBody.encode(object)
        var all = headers
        all.append(("Content-Type", "application/json; charset=utf-8"))
        all.append(("Idempotency-Key", notice.idempotencyKey))
        if let secret {
            let timestamp = Int(now.timeIntervalSince1970)
            all.append(("X-Slad-Timestamp", String(timestamp)))
            all.append(("X-Slad-Signature", Self.signature(secret: secret, timestamp: timestamp, body: body)))
        }
        return OutgoingRequest(url: url, headers: all, body: body)
    }

    public func deliver(_ notice: Notice, now: Date) async -> DeliveryOutcome {
        HTTPOutcome.classify(await transport.send(request(for: notice, now: now), timeout: timeout), now: now)
    }
}

extension Channel {
    /// `timeout` in seconds (10 s when not given).
    public var timeoutSeconds: Double {
        switch settings["timeout"] {
        case let .duration(duration): Double(max(1, duration.seconds))
        case let .number(number): Double(max(1, number))
        default: 10
        }
    }

    /// `rate`: messages per minute, when given.
    public var ratePerMinute: Int? {
        switch settings["rate"] {
        case let .number(number) where number > 0: number
        default: nil
        }
    }

    /// `fallback`: the channel told when a job of this one is dead-lettered.
    public var fallback: String? {
        switch settings["fallback"] {
        case let .word(name), let .text(name): name
        default: nil
        }
    }
}
