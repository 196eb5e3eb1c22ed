import Foundation
import SLARules

/// `tencent-sms`: Tencent Cloud SMS (API 3.0 `SendSms`, version 2021-01-11), one request for all the
/// recipients' phones (E.164), signed with TC3-HMAC-SHA256 over `content-type;host`. The message is the
/// template's one parameter; `SessionContext` is the idempotency key. Every number's `Code` "Ok" is
/// delivered; `RequestLimitExceeded`/`InternalError` (or every number throttled) is retried; any other
/// error is permanent. Action links are left out, as for `aliyun-sms`: an approved template's parameters
/// may not carry URLs, and one request (one parameter set) goes to every number.
public struct TencentSMSNotifier: Notifier {
    public static let kind = "tencent-sms"
    static let contentType = "application/json; charset=utf-8"
    let url: URL
    let secretID: String
    let secretKey: String
    let appID: String
    let signName: String
    let template: String
    let region: String
    let timeout: Double
    let transport: any HTTPTransport

    public init(channel: Channel, secrets: SecretResolver, transport: any HTTPTransport) throws(NotifierSetupError) {
        let settings = ChannelSettings(channel, secrets)
        url = try settings.url("url", default: "https://sms.tencentcloudapi.com/")
        secretID = try settings.required("secret-id")
        secretKey = try settings.required("secret-key")
        appID = try settings.required("app-id")
        signName = try settings.required("sign-name")
        template = try settings.required("template")
        region = try settings.optional("region") ?? "ap-guangzhou"
        timeout = channel.timeoutSeconds
        self.transport = transport
    }

    /// The TC3-HMAC-SHA256 signature (hex) of a POST to `/` with the headers `content-type;host`.
    public static func signature(secretKey: String, service: String, host: String, timestamp: Int, body: [UInt8]) -> String {
        let date = utcDate(timestamp)
        let canonical = "POST\n/\n\ncontent-type:\(contentType)\nhost:\(host)\n\ncontent-type;host\n" + Digest.hex(Digest.sha256(body))
        let stringToSign = "TC3-HMAC-SHA256\n\(timestamp)\n\(date)/\(service)/tc3_request\n" + Digest.hex(Digest.sha256(Array(canonical.utf8)))
        let kDate = Digest.hmac(.sha256, key: Array("TC3\(secretKey)".utf8), message: Array(date.utf8))
        let kService = Digest.hmac(.sha256, key: kDate, message: Array(service.utf8))
        let kSigning = Digest.hmac(.sha256, key: kService, message: Array("tc3_request".utf8))
        return Digest.hex(Digest.hmac(.sha256, key: kSigning, message: Array(stringToSign.utf8)))
    }

    static func utcDate(_ timestamp: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(timestamp)))
        return "\(c.year ?? 1970)-\(String(c.month ?? 1).leftPadded(2))-\(String(c.day ?? 1).leftPadded(2))"
    }

    /// The Host header as HTTP clients send it: the port only when it is not the scheme's default.
    var host: String {
        let name = url.host ?? ""
        guard let port = url.port, port != (url.scheme?.lowercased() == "https" ? 443 : 80) else { return name }
        return "\(name):\(port)"
    }

    /// E.164: a number without "+" is taken as a mainland number.
    static func phoneNumber(_ address: String) -> String {
        let digits = address.filter { $0.isASCII && $0.isNumber }
        return address.hasPrefix("+") ? "+" + digits : "+86" + digits
    }

    public func request(for notice: Notice, now: Date) -> OutgoingRequest? {
        let phones = notice.recipients.compactMap(\.address).map(Self.phoneNumber).filter { $0.count > 3 }
        guard !phones.isEmpty else { return nil }
        let body = JSONBody.encode([
            "PhoneNumberSet": phones, "SmsSdkAppId": appID, "SignName": signName, "TemplateId": template,
            "TemplateParamSet": [Escaping.normalizedLines(notice.text)], "SessionContext": notice.idempotencyKey,
        ])
        let timestamp = Int(now.timeIntervalSince1970)
        let signature = Self.signature(secretKey: secretKey, service: "sms", host: host, timestamp: timestamp, body: body)
        let authorization = "TC3-HMAC-SHA256 Credential=\(secretID)/\(Self.utcDate(timestamp))/sms/tc3_request, "
            + "SignedHeaders=content-type;host, Signature=\(signature)"
        return OutgoingRequest(url: url, headers: [
            ("Authorization", authorization), ("Content-Type", Self.contentType), ("X-TC-Action", "SendSms"),
            ("X-TC-Version", "2021-01-11"), ("X-TC-Timestamp", String(timestamp)), ("X-TC-Region", region),
        ], body: body)
    }

    public func deliver(_ notice: Notice, now: Date) async -> DeliveryOutcome {
        guard let request = request(for: notice, now: now) else { return .permanent(reason: "no recipient has a phone number") }
        let result = await transport.send(request, timeout: timeout)
        guard case let .response(_, _, body) = result,
              let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let response = object["Response"] as? [String: Any]
        else { return HTTPOutcome.classify(result, now: now) }
        func transient(_ code: String) -> Bool {
            code.hasPrefix("RequestLimitExceeded") || code.hasPrefix("InternalError") || code.hasPrefix("LimitExceeded.PhoneNumberThirtySecondLimit")
        }
        if let error = response["Error"] as? [String: Any] {
            let code = error["Code"] as? String ?? "?"
            let reason = "Tencent \(code): \(error["Message"] as? String ?? "")"
            return transient(code) ? .retry(reason: reason, after: nil) : .permanent(reason: reason)
        }
        let statuses = response["SendStatusSet"] as? [[String: Any]] ?? []
        let failed = statuses.filter { ($0["Code"] as? String) != "Ok" }
        if statuses.isEmpty { return .permanent(reason: "Tencent: no SendStatusSet in the reply") }
        if failed.isEmpty { return .delivered }
        let reason = "Tencent: " + failed.map { "\($0["PhoneNumber"] as? String ?? "?") \($0["Code"] as? String ?? "?")" }.joined(separator: "; ")
        if failed.count == statuses.count, failed.allSatisfy({ transient($0["Code"] as? String ?? "") }) {
            return .retry(reason: reason, after: nil)
        }
        return .permanent(reason: failed.count < statuses.count ? reason + " (the other numbers were sent)" : reason)
    }
}
