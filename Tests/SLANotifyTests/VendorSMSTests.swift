import Foundation
import SLARules
import Testing
@testable import SLANotify

/// `aliyun-sms` and `tencent-sms`: the vendors' published signature examples reproduced through the
/// notifiers' own signing functions, and the requests they build.
@Suite struct VendorSMSTests {
    static let rules = """
    channel ali aliyun-sms { key-id env ALI_ID; key-secret env ALI_SECRET; sign-name "翠湖物业"; template "SMS_154950909"; param "content" }
    channel tc tencent-sms { secret-id env TC_ID; secret-key env TC_KEY; app-id "1400006666"; sign-name "翠湖物业"; template "1234567"; url "http://127.0.0.1:9000/" }
    """
    static let resolver = SecretResolver(environment: ["ALI_ID": "testid", "ALI_SECRET": "testsecret", "TC_ID": "AKIDEXAMPLE",
                                                       "TC_KEY": "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"])

    func make(_ name: String, _ transport: FakeTransport = FakeTransport()) throws -> any Notifier {
        try NotifierRegistry.make(try #require(try channels(Self.rules)[name]), secrets: Self.resolver, transport: transport)
    }

    /// notifier-protocols.md §4: Alibaba Cloud's documented example, GET (official) and POST.
    @Test func aliyunSignatureReproducesTheOfficialVector() {
        let parameters = [("AccessKeyId", "testid"), ("Action", "DescribeRegions"), ("Format", "XML"), ("SignatureMethod", "HMAC-SHA1"),
                          ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"), ("SignatureVersion", "1.0"),
                          ("Timestamp", "2016-02-23T12:46:24Z"), ("Version", "2014-05-26")]
        #expect(AliyunSMSNotifier.signature(method: "GET", parameters: parameters, secret: "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY=")
        #expect(AliyunSMSNotifier.signature(method: "POST", parameters: parameters.reversed(), secret: "testsecret") == "MxbnVAM4w6sft9xjVpe/GCKueuk=")
    }

    /// notifier-protocols.md §5: Tencent Cloud's documented TC3-HMAC-SHA256 example.
    @Test func tencentSignatureReproducesTheOfficialVector() {
        let body = #"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#
        #expect(TencentSMSNotifier.signature(secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", service: "cvm", host: "cvm.tencentcloudapi.com",
                                             timestamp: 1_551_113_065, body: Array(body.utf8))
            == "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168")
    }

    @Test func aliyunRequestIsAFormWithTheSignatureOverEverythingElse() throws {
        let ali = try #require(try make("ali") as? AliyunSMSNotifier)
        let recipients = [Notice.Recipient(person: "a", name: nil, address: "+8613800000001"), .init(person: "b", name: nil, address: "+85261234567")]
        let request = try #require(ali.request(for: notice("【A级投诉超时】3栋 &x=1\n第二行", recipients: recipients),
                                               now: Date(timeIntervalSince1970: 1_796_130_022), nonce: "n-1"))
        #expect(request.url.absoluteString == "https://dysmsapi.aliyuncs.com/")
        var items = URLComponents(string: "?" + String(decoding: request.body, as: UTF8.self))!.queryItems!.map { ($0.name, $0.value ?? "") }
        let fields = Dictionary(uniqueKeysWithValues: items)
        #expect(fields["PhoneNumbers"] == "13800000001,85261234567")
        #expect(fields["Timestamp"] == "2026-12-01T13:00:22Z")
        #expect(fields["OutId"] == "slad-42")
        #expect(try json(Array(fields["TemplateParam"]!.utf8))["content"] as? String == "【A级投诉超时】3栋 &x=1\n第二行")
        let signature = try #require(fields["Signature"])
        items.removeAll { $0.0 == "Signature" }
        #expect(AliyunSMSNotifier.signature(method: "POST", parameters: items, secret: "testsecret") == signature)
    }

    @Test func aliyunCodesMapOntoOutcomes() async throws {
        func outcome(_ reply: String, status: Int = 200) async throws -> DeliveryOutcome {
            try await make("ali", FakeTransport([.response(status: status, headers: [:], body: Array(reply.utf8))])).deliver(notice("x"), now: Date())
        }
        #expect(try await outcome(#"{"Code":"OK","BizId":"1"}"#) == .delivered)
        guard case .retry = try await outcome(#"{"Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"触发分钟级流控"}"#) else { Issue.record("throttle"); return }
        guard case .permanent = try await outcome(#"{"Code":"SignatureDoesNotMatch"}"#, status: 400) else { Issue.record("signature"); return }
        guard case .retry = try await outcome("<html>bad gateway</html>", status: 502) else { Issue.record("502"); return }
    }

    @Test func tencentRequestCarriesTC3HeadersAndE164Numbers() throws {
        let tc = try #require(try make("tc") as? TencentSMSNotifier)
        let recipients = [Notice.Recipient(person: "a", name: nil, address: "+8613800000001"), .init(person: "b", name: nil, address: "13900000002")]
        let request = try #require(tc.request(for: notice("告警 \"},{\"x\":1", recipients: recipients), now: Date(timeIntervalSince1970: 1_796_130_022)))
        let body = try json(request.body)
        #expect(body["PhoneNumberSet"] as? [String] == ["+8613800000001", "+8613900000002"])
        #expect(body["TemplateParamSet"] as? [String] == ["告警 \"},{\"x\":1"])
        #expect(body["SessionContext"] as? String == "slad-42")
        #expect(request.header("X-TC-Action") == "SendSms" && request.header("X-TC-Version") == "2021-01-11")
        let expected = TencentSMSNotifier.signature(secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", service: "sms", host: "127.0.0.1:9000",
                                                    timestamp: 1_796_130_022, body: request.body)
        #expect(request.header("Authorization") == "TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2026-12-01/sms/tc3_request, "
            + "SignedHeaders=content-type;host, Signature=\(expected)")
    }

    @Test func tencentRepliesMapOntoOutcomes() async throws {
        func outcome(_ reply: String) async throws -> DeliveryOutcome {
            try await make("tc", FakeTransport([.response(status: 200, headers: [:], body: Array(reply.utf8))])).deliver(notice("x"), now: Date())
        }
        #expect(try await outcome(#"{"Response":{"SendStatusSet":[{"Code":"Ok","PhoneNumber":"+8613800000001"}],"RequestId":"r"}}"#) == .delivered)
        guard case .retry = try await outcome(#"{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"too fast"}}}"#) else {
            Issue.record("limit"); return
        }
        guard case .permanent = try await outcome(#"{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"bad"}}}"#) else {
            Issue.record("auth"); return
        }
        guard case .permanent = try await outcome(#"{"Response":{"SendStatusSet":[{"Code":"FailedOperation.PhoneNumberInBlacklist"}]}}"#) else {
            Issue.record("blacklist"); return
        }
    }

    @Test func missingSettingsAreCheckedByTheRules() {
        let result = RuleLoader.check([SourceFile(path: "t.sla", text: #"channel ali aliyun-sms { key-id "inline"; sign-name "x" }"#)])
        let messages = result.diagnostics.map(\.message)
        #expect(messages.contains { $0.contains("'key-id' is a secret") })
        #expect(messages.contains { $0.contains("aliyun-sms channel 'ali' has no 'template'") })
    }
}
