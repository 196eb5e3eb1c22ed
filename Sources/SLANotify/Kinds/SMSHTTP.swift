import Foundation
import SLARules

/// `sms-http`: a generic HTTP SMS gateway. One request per recipient phone number.
/// `body` is a template with `{phone}`, `{text}`, `{id}`, `{ticket}`, `{token}`; each value is escaped for
/// the body's form: JSON-string escaped when the body looks like JSON (starts with `{` or `[`),
/// percent-encoded otherwise (a form body, or the query for `method "GET"`). Without `body`, a JSON
/// object `{"phone","text","id"}`. `token` goes in `Authorization: Bearer`. With `sign`, the request
/// carries `X-Signature: hex(HMAC-SHA256(token, timestamp + "." + body))` and `X-Timestamp`. A notice with
/// action links gives each number its own person's primary link inside `{text}` (see `text(for:person:)`).
public struct SMSHTTPNotifier: Notifier {
    public static let kind = "sms-http"
    let url: URL
    let method: String
    let token: String?
    let bodyTemplate: String?
    let signs: Bool
    let timeout: Double
    let transport: any HTTPTransport

    public init(channel: Channel, secrets: SecretResolver, transport: any HTTPTransport) throws(NotifierSetupError) {
        let settings = ChannelSettings(channel, secrets)
        url = try settings.url("url")
        method = (try settings.optional("method") ?? "POST").uppercased()
        guard ["POST", "GET", "PUT"].contains(method) else { throw NotifierSetupError("channel '\(channel.name)': method must be POST, GET or PUT") }
        token = try settings.optional("token")
        bodyTemplate = try settings.optional("body")
        let sign = try settings.optional("sign")?.lowercased()
        signs = sign == "hmac-sha256" || sign == "yes" || sign == "true"
        if signs, token == nil { throw NotifierSetupError("channel '\(channel.name)': 'sign' needs a 'token'") }
        timeout = channel.timeoutSeconds
        self.transport = transport
    }

    public static func fill(_ template: String, _ values: [String: String], json: Bool) -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let after = rest.index(after: open)
            if let close = rest[after...].firstIndex(of: "}"), let value = values[String(rest[after..<close])] {
                out += json ? jsonStringContent(value) : Digest.percentEncode(value)
                rest = rest[rest.index(after: close)...]
            } else {
                out += "{"
                rest = rest[after...]
            }
        }
        return out + rest
    }

    /// The inside of a JSON string literal for `value`, produced by the JSON serializer itself.
    static func jsonStringContent(_ value: String) -> String {
        let encoded = String(decoding: JSONBody.encode(["v": value]), as: UTF8.self)
        // {"v":"…"}
        return String(encoded.dropFirst(6).dropLast(2))
    }

    /// The most an SMS with a link may hold, in UTF-16 units: two 67-character segments, less room for the
    /// signature (【…】) the gateway adds.
    public static let linkedTextLimit = 120

    /// The text one phone receives: with its person's primary action link (接单 for a ticket, 确认完成 for
    /// a step) at its place, the text's own URLs disarmed and the text (never the link) cut to
    /// `linkedTextLimit`; without one, the text as it is.
    public static func text(for notice: Notice, person: String?) -> String {
        guard let person, let action = ActionLinks.primary(notice, for: person) else { return Escaping.normalizedLines(notice.text) }
        return ActionLinks.place([ActionLinks.singleLine(action.label) + " " + action.url], in: notice.text, at: notice.actionsAt,
                                 escape: Escaping.plainText, limit: linkedTextLimit, size: { $0.utf16.count })
    }

    public func requests(for notice: Notice, now: Date) -> [OutgoingRequest] {
        let phones = notice.recipients.compactMap(\.address).filter { !$0.isEmpty }
        return phones.map { phone in
            let text = Self.text(for: notice, person: notice.recipients.first { $0.address == phone }?.person)
            let values = ["phone": phone, "text": text, "id": "\(notice.idempotencyKey)-\(phone)",
                          "ticket": notice.ticketID, "token": token ?? ""]
            var headers: [(String, String)] = [("Idempotency-Key", "\(notice.idempotencyKey)-\(phone)")]
            if let token { headers.append(("Authorization", "Bearer \(token)")) }
            var target = url
            var body: [UInt8] = []
            if method == "GET" {
                let query = Self.fill(bodyTemplate ?? "phone={phone}&text={text}&id={id}", values, json: false)
                var components = URLComponents(url: url, resolvingAgainstBaseURL: false)!
                components.percentEncodedQuery = [components.percentEncodedQuery, query].compactMap { $0 }.joined(separator: "&")
                target = components.url ?? url
            } else if let bodyTemplate {
                let trimmed = bodyTemplate.trimmingCharacters(in: .whitespaces)
                let json = trimmed.hasPrefix("{") || trimmed.hasPrefix("[")
                body = Array(Self.fill(bodyTemplate, values, json: json).utf8)
                headers.append(("Content-Type", json ? "application/json; charset=utf-8" : "application/x-www-form-urlencoded"))
            } else {
                body = JSONBody.encode(["phone": phone, "text": text, "id": values["id"]!])
                headers.append(("Content-Type", "application/json; charset=utf-8"))
            }
            if signs, let token {
                let timestamp = Int(now.timeIntervalSince1970)
                headers.append(("X-Timestamp", String(timestamp)))
                headers.append(("X-Signature", Digest.hex(Digest.hmac(.sha256, key: Array(token.utf8), message: Array("\(timestamp).".utf8) + body))))
            }
            return OutgoingRequest(method: method, url: target, headers: headers, body: body)
        }
    }

    public func deliver(_ notice: Notice, now: Date) async -> DeliveryOutcome {
        let all = requests(for: notice, now: now)
        if all.isEmpty { return .permanent(reason: "no recipient has a phone number") }
        // Every number is sent each time; the gateway drops repeats by their Idempotency-Key.
        var worst = DeliveryOutcome.delivered
        for request in all {
            let outcome = HTTPOutcome.classify(await transport.send(request, timeout: timeout), now: now)
            switch (worst, outcome) {
            case (_, .delivered): continue
            case (.permanent, _): continue
            default: worst = outcome
            }
        }
        return worst
    }
}
