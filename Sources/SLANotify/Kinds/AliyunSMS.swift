import Foundation
import SLARules

/// `aliyun-sms`: Alibaba Cloud SMS (dysmsapi `SendSms`, version 2017-05-25), one request for all the
/// recipients' phones, signed with the RPC signature v1: the parameters sorted and RFC 3986-encoded,
/// `StringToSign = "POST&%2F&" + encode(canonical)`, `Signature = base64(HMAC-SHA1(key-secret + "&", StringToSign))`.
/// The message goes into the template variable `param` (default `text`); `OutId` is the idempotency key.
/// `Code` "OK" is delivered; throttling and the vendor's system errors are retried; any other code is permanent.
/// Action links are left out: the vendor sends only pre-approved templates, refuses URLs in template
/// variables, and one request goes to every number, so no per-person link could ride in it.
public struct AliyunSMSNotifier: Notifier {
    public static let kind = "aliyun-sms"
    let url: URL
    let keyID: String
    let keySecret: String
    let signName: String
    let template: String
    let param: String
    let region: String
    let timeout: Double
    let transport: any HTTPTransport

    public init(channel: Channel, secrets: SecretResolver, transport: any HTTPTransport) throws(NotifierSetupError) {
        let settings = ChannelSettings(channel, secrets)
        url = try settings.url("url", default: "https://dysmsapi.aliyuncs.com/")
        keyID = try settings.required("key-id")
        keySecret = try settings.required("key-secret")
        signName = try settings.required("sign-name")
        template = try settings.required("template")
        param = try settings.optional("param") ?? "text"
        region = try settings.optional("region") ?? "cn-hangzhou"
        timeout = channel.timeoutSeconds
        self.transport = transport
    }

    /// The RPC signature v1 over `parameters` (all but `Signature`).
    public static func signature(method: String, parameters: [(String, String)], secret: String) -> String {
        let stringToSign = method + "&" + Digest.percentEncode("/") + "&" + Digest.percentEncode(canonical(parameters))
        return Digest.base64(Digest.hmac(.sha1, key: Array((secret + "&").utf8), message: Array(stringToSign.utf8)))
    }

    /// Sorted by key (byte order), each key and value RFC 3986-encoded, joined with `&`.
    public static func canonical(_ parameters: [(String, String)]) -> String {
        parameters.map { (Digest.percentEncode($0.0), Digest.percentEncode($0.1)) }
            .sorted { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
            .map { $0.0 + "=" + $0.1 }.joined(separator: "&")
    }

    /// Aliyun takes mainland numbers as 11 digits and others as country code + number, without "+".
    static func phoneNumber(_ address: String) -> String {
        let digits = address.filter { $0.isASCII && $0.isNumber }
        return address.hasPrefix("+86") ? String(digits.dropFirst(2)) : digits
    }

    public func request(for notice: Notice, now: Date, nonce: String = UUID().uuidString) -> OutgoingRequest? {
        let phones = notice.recipients.compactMap(\.address).map(Self.phoneNumber).filter { !$0.isEmpty }
        guard !phones.isEmpty else { return nil }
        let templateParam = String(decoding: JSONBody.encode([param: Escaping.normalizedLines(notice.text)]), as: UTF8.self)
        var parameters: [(String, String)] = [
            ("AccessKeyId", keyID), ("Action", "SendSms"), ("Format", "JSON"), ("RegionId", region),
            ("SignatureMethod", "HMAC-SHA1"), ("SignatureNonce", nonce), ("SignatureVersion", "1.0"),
            ("Timestamp", Self.timestamp(now)), ("Version", "2017-05-25"),
            ("PhoneNumbers", phones.joined(separator: ",")), ("SignName", signName), ("TemplateCode", template),
            ("TemplateParam", templateParam), ("OutId", notice.idempotencyKey),
        ]
        parameters.append(("Signature", Self.signature(method: "POST", parameters: parameters, secret: keySecret)))
        let body = parameters.map { Digest.percentEncode($0.0) + "=" + Digest.percentEncode($0.1) }.joined(separator: "&")
        return OutgoingRequest(url: url, headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
                               body: Array(body.utf8))
    }

    /// `yyyy-MM-ddTHH:mm:ssZ` in UTC.
    static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ n: Int?) -> String { String(n ?? 0).leftPadded(2) }
        return "\(c.year ?? 1970)-\(two(c.month))-\(two(c.day))T\(two(c.hour)):\(two(c.minute)):\(two(c.second))Z"
    }

    public func deliver(_ notice: Notice, now: Date) async -> DeliveryOutcome {
        guard let request = request(for: notice, now: now) else { return .permanent(reason: "no recipient has a phone number") }
        let result = await transport.send(request, timeout: timeout)
        guard case let .response(_, _, body) = result,
              let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any], let code = object["Code"] as? String
        else { return HTTPOutcome.classify(result, now: now) }
        if code == "OK" { return .delivered }
        let reason = "Aliyun \(code): \(object["Message"] as? String ?? "")"
        let transient = code.hasPrefix("Throttling") || code.hasPrefix("isp.") || code == "isv.BUSINESS_LIMIT_CONTROL"
            || code == "ServiceUnavailable" || code == "InternalError"
        return transient ? .retry(reason: reason, after: nil) : .permanent(reason: reason)
    }
}
