import Foundation
import SLARules
import Testing
@testable import SLANotify

let channelRules = """
channel hook webhook { url "http://127.0.0.1:8080/hook"; secret env HOOK_SECRET; header "X-Site: %E7%BF%A0%E8%8B%91" }
channel ops wecom { key env WECOM_KEY }
channel ops-text wecom { key env WECOM_KEY; mention "zhangsan" }
channel ding dingtalk { token env DT_TOKEN; secret env DT_SECRET; url "http://127.0.0.1:9/robot/send" }
channel fs feishu { hook env FS_HOOK; secret env FS_SECRET; url "http://127.0.0.1:9/open-apis/bot/v2/hook/" }
channel sms sms-http { url "http://127.0.0.1:9000/send"; token env SMS_TOKEN; body "{\\"to\\":\\"{phone}\\",\\"msg\\":\\"{text}\\"}" }
channel sms-get sms-http { url "http://127.0.0.1:9000/send"; method "GET" }
channel console log {}
"""

/// Text a resident could type into a complaint.
let hostile = """
3栋2单元 漏水 @all @所有人 <at user_id="all">所有人</at> <@zhangsan> [点此领奖](http://evil.example/x) \
![img](http://evil.example/p.png) <font color="warning">紧急</font> **粗** `code` "},"msgtype":"text","text":{"content":"x
# 伪造标题
> 引用\r\n- 列表 \u{202E}反转\u{0000}
"""

@Suite struct NotifierTests {
    let all: [String: Channel]
    init() throws { all = try channels(channelRules) }

    /// The channel's own notifier (robots come wrapped in the personal-data masker: PersonalDataTests).
    func make(_ name: String, _ transport: FakeTransport = FakeTransport()) throws -> any Notifier {
        try kindNotifier(all[name]!, transport: transport)
    }

    @Test func registryKnowsTheKindsByName() throws {
        for name in ["log", "webhook", "wecom", "dingtalk", "feishu", "sms-http"] { #expect(NotifierRegistry.kinds[name] != nil) }
        #expect(try make("ops") is WeComNotifier)
        #expect(try make("console") is LogNotifier)
    }

    @Test func missingSecretStopsSetup() throws {
        #expect(throws: NotifierSetupError.self) {
            try NotifierRegistry.make(all["ops"]!, secrets: SecretResolver(environment: [:]), transport: FakeTransport())
        }
    }

    @Test func credentialsComeFromTheCredentialsDirectory() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slad-cred-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "wk-from-file\n".write(to: folder.appendingPathComponent("wecom-key"), atomically: true, encoding: .utf8)
        let resolver = SecretResolver(environment: [:], credentialsDirectory: folder.path)
        #expect(try resolver.resolve(.credential("wecom-key"), setting: "key", channel: "ops") == "wk-from-file")
    }

    @Test func webhookSignsAndCarriesAnIdempotencyKey() async throws {
        let transport = FakeTransport([.response(status: 204, headers: [:], body: [])])
        let notifier = try make("hook", transport)
        let now = Date(timeIntervalSince1970: 1_700_000_123)
        #expect(await notifier.deliver(notice("【A级投诉超时】3栋2单元"), now: now) == .delivered)
        let request = try #require(transport.sent.first)
        #expect(request.header("Idempotency-Key") == "slad-42")
        #expect(request.header("X-Site") == "%E7%BF%A0%E8%8B%91")  // ASCII only: slad check refuses raw 翠苑 (E119)
        #expect(request.header("X-Slad-Timestamp") == "1700000123")
        let expected = "sha256=" + Digest.hex(Digest.hmac(.sha256, key: Array("s3cret".utf8), message: Array("1700000123.".utf8) + request.body))
        #expect(request.header("X-Slad-Signature") == expected)
        let object = try json(request.body)
        #expect(object["id"] as? String == "slad-42")
        #expect(object["text"] as? String == "【A级投诉超时】3栋2单元")
    }

    @Test func dingTalkPutsTimestampAndSignInTheQuery() throws {
        let notifier = try #require(try make("ding") as? DingTalkNotifier)
        let request = notifier.request(for: notice("超时"), now: Date(timeIntervalSince1970: 1_700_000_000))
        let query = try #require(request.url.query)
        #expect(query == "access_token=dt-token&timestamp=1700000000000&sign=7LVwF0dAF3%2F%2BMRRulbpE4y72Ogzykc6bS2nG4I99T4s%3D")
        let object = try json(request.body)
        #expect(object["msgtype"] as? String == "markdown")
        #expect((object["at"] as? [String: Any])?["isAtAll"] as? Bool == false)
    }

    @Test func feishuSignsInTheBody() throws {
        let notifier = try #require(try make("fs") as? FeishuNotifier)
        let request = notifier.request(for: notice("超时"), now: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(request.url.absoluteString == "http://127.0.0.1:9/open-apis/bot/v2/hook/hook-uuid")
        let object = try json(request.body)
        #expect(object["timestamp"] as? String == "1700000000")
        #expect(object["sign"] as? String == "AOc8oJ7//5OlQlfWC3nRL0R+IkuzcD1FKcAyibRK9Q8=")
        #expect(object["msg_type"] as? String == "text")
    }

    @Test func weComKeyGoesInTheQuery() throws {
        let notifier = try #require(try make("ops") as? WeComNotifier)
        let request = notifier.request(for: notice("超时"), now: Date())
        #expect(request.url.absoluteString == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wk-123")
        #expect(try json(request.body)["msgtype"] as? String == "markdown")
    }

    /// No resident text can break the JSON, mention everyone, forge a link or add markup.
    @Test func hostileTextStaysInItsField() throws {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        var contents: [String] = []
        let weCom = try #require(try make("ops") as? WeComNotifier)
        let weComText = try #require(try make("ops-text") as? WeComNotifier)
        let ding = try #require(try make("ding") as? DingTalkNotifier)
        let feishu = try #require(try make("fs") as? FeishuNotifier)
        var object = try json(weCom.request(for: notice(hostile), now: now).body)
        #expect(object.keys.sorted() == ["markdown", "msgtype"])
        contents.append(try #require((object["markdown"] as? [String: Any])?["content"] as? String))
        object = try json(weComText.request(for: notice(hostile), now: now).body)
        let text = try #require(object["text"] as? [String: Any])
        #expect(text["mentioned_list"] as? [String] == ["zhangsan"])
        contents.append(try #require(text["content"] as? String))
        object = try json(ding.request(for: notice(hostile), now: now).body)
        #expect((object["at"] as? [String: Any])?["isAtAll"] as? Bool == false)
        #expect(((object["at"] as? [String: Any])?["atMobiles"] as? [String])?.isEmpty == true)
        contents.append(try #require((object["markdown"] as? [String: Any])?["text"] as? String))
        object = try json(feishu.request(for: notice(hostile), now: now).body)
        #expect(object.keys.sorted() == ["content", "msg_type", "sign", "timestamp"])
        contents.append(try #require((object["content"] as? [String: Any])?["text"] as? String))
        for content in contents {
            #expect(content.contains("3栋2单元 漏水"))
            for forbidden in ["@all", "@所有人", "<at", "<@", "http://", "<font", "\u{202E}", "\u{0000}", "\r"] {
                #expect(!content.contains(forbidden), "\(forbidden) survived in \(content)")
            }
        }
        // In Markdown nothing keeps a meaning: no heading, quote, emphasis, code or image.
        for content in [contents[0], contents[2]] {
            for forbidden in ["](", "#", "**", "`", "![", "\n>", "\n-", "[", "]"] { #expect(!content.contains(forbidden), "\(forbidden) survived in \(content)") }
        }
    }

    @Test func smsTemplateEscapesValuesForJSON() async throws {
        let transport = FakeTransport([.response(status: 200, headers: [:], body: [])])
        let notifier = try make("sms", transport)
        #expect(await notifier.deliver(notice(hostile), now: Date()) == .delivered)
        let request = try #require(transport.sent.first)
        let object = try json(request.body)
        #expect(object.keys.sorted() == ["msg", "to"])
        #expect(object["to"] as? String == "+8613800000001")
        #expect((object["msg"] as? String)?.contains("3栋2单元") == true)
        #expect(request.header("Authorization") == "Bearer tok")
        #expect(request.header("Idempotency-Key") == "slad-42-+8613800000001")
    }

    @Test func smsGetPercentEncodesTheQuery() async throws {
        let transport = FakeTransport([.response(status: 200, headers: [:], body: [])])
        let notifier = try make("sms-get", transport)
        _ = await notifier.deliver(notice("a&b=c 张"), now: Date())
        let request = try #require(transport.sent.first)
        let items = URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.queryItems ?? []
        #expect(items.first { $0.name == "text" }?.value == "a&b=c 张")
        #expect(items.count == 3)
    }

    @Test func smsWithoutPhonesIsPermanent() async throws {
        let notifier = try make("sms")
        let outcome = await notifier.deliver(notice("x", recipients: [.init(person: "p", name: nil, address: nil)]), now: Date())
        guard case .permanent = outcome else { Issue.record("\(outcome)"); return }
    }
}

@Suite struct OutcomeTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func httpStatusesAreClassified() {
        #expect(HTTPOutcome.classify(.response(status: 200, headers: [:], body: []), now: now) == .delivered)
        #expect(HTTPOutcome.classify(.response(status: 503, headers: ["retry-after": "7"], body: []), now: now) == .retry(reason: "HTTP 503 ", after: 7))
        #expect(HTTPOutcome.classify(.response(status: 429, headers: ["retry-after": "Tue, 14 Nov 2023 22:13:27 GMT"], body: []), now: now)
            == .retry(reason: "HTTP 429 ", after: 7))
        #expect(HTTPOutcome.classify(.response(status: 400, headers: [:], body: Array("bad".utf8)), now: now) == .permanent(reason: "HTTP 400 bad"))
        #expect(HTTPOutcome.classify(.response(status: 408, headers: [:], body: []), now: now) == .retry(reason: "HTTP 408 ", after: nil))
        guard case .retry(_, nil) = HTTPOutcome.classify(.failed("refused"), now: now) else { Issue.record("no retry"); return }
    }

    @Test func robotErrorCodes() {
        let tooFast = HTTPResult.response(status: 200, headers: [:], body: Array(#"{"errcode":130101,"errmsg":"send too fast"}"#.utf8))
        guard case .retry = HTTPOutcome.classifyRobot(tooFast, codeKey: "errcode", retryCodes: [130101]) else { Issue.record("not retried"); return }
        let badKey = HTTPResult.response(status: 200, headers: [:], body: Array(#"{"errcode":93000,"errmsg":"invalid webhook url"}"#.utf8))
        guard case .permanent = HTTPOutcome.classifyRobot(badKey, codeKey: "errcode", retryCodes: [130101]) else { Issue.record("retried"); return }
        let ok = HTTPResult.response(status: 200, headers: [:], body: Array(#"{"code":0,"msg":"success","data":{}}"#.utf8))
        #expect(HTTPOutcome.classifyRobot(ok, codeKey: "code", retryCodes: []) == .delivered)
    }

    @Test func truncationKeepsCharactersWhole() {
        let text = String(repeating: "张", count: 1000)
        let cut = Escaping.truncate(text, bytes: 2048)
        #expect(cut.utf8.count <= 2048)
        #expect(cut.hasSuffix("…"))
    }
}
