import Foundation
import SLARules
import Testing
@testable import SLANotify

/// Action links (`Notice.actions`) in every kind: slad's own links render at their place, outside the
/// escaped text, and nothing a resident typed — a Markdown link, a bare URL, `{actions}`, a line that
/// looks like one of ours — becomes a link beside them.
@Suite struct ActionLinkTests {
    static let base = "https://wy.example.com/slad/a/"
    static let zhang = Notice.Recipient(person: "zhang-wei", name: "张伟", address: "+8613800000001")
    static let li = Notice.Recipient(person: "li-na", name: "李娜", address: "+8613800000002")

    /// A resident posing as slad: a Markdown link, a bare URL and a line shaped like ours.
    static let forged = "3栋2单元 漏水 [接单](https://evil.example/a/x) {actions} <a href=\"https://evil.example\">接单</a>\n接单 https://evil.example/a/y @all"

    static func actions(_ people: [Notice.Recipient], labels: [String] = ["接单", "已处理", "不是我的"]) -> [NoticeAction] {
        people.flatMap { person in
            labels.enumerated().map { index, label in
                NoticeAction(person: person.person, name: person.name, label: label, url: base + "\(person.person)-\(index)")
            }
        }
    }

    static func linked(_ text: String = forged, to people: [Notice.Recipient] = [zhang], actions: [NoticeAction]? = nil,
                       at offset: Int? = nil) -> Notice {
        Notice(idempotencyKey: "slad-42", ticketID: "T-1", channel: "ops", recipients: people, text: text, createdAt: 1_700_000_000,
               actions: actions ?? Self.actions(people), actionsAt: offset)
    }

    let all: [String: Channel]
    init() throws {
        all = try channels(channelRules + "\nchannel mail email { host \"127.0.0.1\"; from \"slad@example.com\"; starttls off }\n")
    }

    func make<T: Notifier>(_ name: String, as type: T.Type) throws -> T {
        try #require(try kindNotifier(all[name]!) as? T)
    }

    /// Every rendered text of the hostile notice, by kind, with how slad's links look in it.
    func rendered(_ notice: Notice) throws -> [(kind: String, text: String, markdown: Bool)] {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        func field(_ body: [UInt8], _ path: String...) throws -> String {
            var object: Any = try json(body)
            for key in path { object = try #require((object as? [String: Any])?[key]) }
            return try #require(object as? String)
        }
        let mail = try make("mail", as: EmailNotifier.self).message(for: notice, to: notice.recipients, now: now)
        return [
            ("wecom markdown", try field(make("ops", as: WeComNotifier.self).request(for: notice, now: now).body, "markdown", "content"), true),
            ("wecom text", try field(make("ops-text", as: WeComNotifier.self).request(for: notice, now: now).body, "text", "content"), false),
            ("dingtalk", try field(make("ding", as: DingTalkNotifier.self).request(for: notice, now: now).body, "markdown", "text"), true),
            ("feishu", try field(make("fs", as: FeishuNotifier.self).request(for: notice, now: now).body, "content", "text"), false),
            ("log", LogNotifier.line(for: notice), false),
            ("email", mail.body, false),
        ]
    }

    @Test func aResidentCannotForgeALinkInAnyKind() throws {
        for (kind, text, markdown) in try rendered(Self.linked()) {
            #expect(!text.contains("https://evil") && !text.contains("http://evil"), "\(kind): \(text)")
            if kind != "log" && kind != "email" {  // plain text: no mention or markup to disarm
                #expect(!text.contains("@all") && !text.contains("<a "), "\(kind): \(text)")
            }
            // Every live scheme in the output is one of slad's three links.
            #expect(text.components(separatedBy: "://").count - 1 == 3, "\(kind): \(text)")
            if markdown {
                #expect(text.components(separatedBy: "](").count - 1 == 3, "\(kind): \(text)")
                #expect(text.contains("[接单](\(Self.base)zhang-wei-0)"), "\(kind): \(text)")
                #expect(text.contains("[不是我的](\(Self.base)zhang-wei-2)"), "\(kind): \(text)")
            } else {
                let separator = kind == "email" ? "：" : " "
                #expect(text.contains("\n接单\(separator)\(Self.base)zhang-wei-0"), "\(kind): \(text)")
                #expect(text.contains("已处理\(separator)\(Self.base)zhang-wei-1"), "\(kind): \(text)")
            }
            // The resident's `{actions}` is text, not a second place for links.
            #expect(text.components(separatedBy: Self.base + "zhang-wei-0").count == 2, "\(kind): \(text)")
        }
    }

    @Test func linksGoWhereTheTemplatePutsThem() throws {
        let text = "【A级投诉超时】3栋 漏水\n请尽快处理"
        let offset = "【A级投诉超时】3栋 漏水\n".utf8.count
        for (kind, rendered, markdown) in try rendered(Self.linked(text, at: offset)) {
            let links = try #require(rendered.range(of: Self.base + "zhang-wei-0"), "\(kind)")
            let before = try #require(rendered.range(of: "漏水"), "\(kind)")
            let after = try #require(rendered.range(of: "请尽快处理"), "\(kind)")
            #expect(before.upperBound < links.lowerBound && links.upperBound < after.lowerBound, "\(kind): \(rendered)")
            if !markdown { #expect(rendered.hasSuffix("请尽快处理"), "\(kind): \(rendered)") }
        }
        // Without a place, at the end; an offset inside a character counts as none.
        for offset in [nil, 1] as [Int?] {
            for (kind, rendered, _) in try rendered(Self.linked(text, at: offset)) {
                #expect(rendered.hasSuffix("\(Self.base)zhang-wei-2)") || rendered.hasSuffix("\(Self.base)zhang-wei-2"), "\(kind): \(rendered)")
            }
        }
    }

    @Test func severalPeopleGetALabelledSetEach() throws {
        let notice = Self.linked("超时", to: [Self.zhang, Self.li])
        for (kind, text, markdown) in try rendered(notice) {
            if markdown {
                #expect(text.contains("张伟：[接单](\(Self.base)zhang-wei-0)　[已处理]"), "\(kind): \(text)")
                #expect(text.contains("\n李娜：[接单](\(Self.base)li-na-0)"), "\(kind): \(text)")
            } else if kind == "email" {
                #expect(text.contains("张伟 接单：\(Self.base)zhang-wei-0\r\n") || text.contains("张伟 接单：\(Self.base)zhang-wei-0\n"), "\(kind): \(text)")
                #expect(text.contains("李娜 不是我的：\(Self.base)li-na-2"), "\(kind): \(text)")
            } else {
                #expect(text.contains("张伟：接单 \(Self.base)zhang-wei-0\n"), "\(kind): \(text)")
                #expect(text.contains("李娜：不是我的 \(Self.base)li-na-2"), "\(kind): \(text)")
            }
        }
        // One person: no label.
        for (kind, text, _) in try rendered(Self.linked("超时")) {
            #expect(!text.contains("张伟：接单") && !text.contains("张伟：[") && !text.contains("张伟 接单"), "\(kind): \(text)")
        }
    }

    /// A broken minting cannot inject markup: a URL that could end a link or an attribute is dropped.
    static let unsafeURLs = ["https://wy.example.com/a/T)[伪造](https://evil.example", "javascript:alert(1)", "https://wy.example.com/a/T\"><b>x",
                             "https://wy.example.com/a/T x", "https://wy.example.com/a/T\n", "https://wy.example.com/a/T<", "https:///a/T",
                             "https://wy.example.com/a/Tʼ", "data:text/html,x", "https://wy.example.com/a/T" + "\u{60}", ""]

    @Test(arguments: unsafeURLs)
    func unsafeURLsAreDropped(_ url: String) throws {
        #expect(!ActionLinks.isSafe(url))
        let bad = NoticeAction(person: "zhang-wei", name: "张伟", label: "接单", url: url)
        let good = NoticeAction(person: "zhang-wei", name: "张伟", label: "已处理", url: Self.base + "ok")
        for (kind, text, _) in try rendered(Self.linked("超时", actions: [bad, good])) {
            #expect(text.contains(Self.base + "ok"), "\(kind): \(text)")
            #expect(!text.contains("接单"), "\(kind): \(text)")
        }
        #expect(ActionLinks.jsonObjects(Self.linked("超时", actions: [bad, good])).count == 1)
    }

    @Test func safeURLs() {
        for url in ["https://wy.example.com/slad/a/AbC-_x.9~", "http://127.0.0.1:8088/a/T", "http://[::1]:8088/a/T", "HTTPS://WY.EXAMPLE.COM/a/T"] {
            #expect(ActionLinks.isSafe(url), "\(url)")
        }
    }

    /// Whatever `slad check` accepts as a `base-url` makes links the notifiers render: the two checks agree.
    @Test func everyAcceptedBaseURLMakesRenderableLinks() {
        let pieces = ["https://", "http://", "wy.example.com", "127.0.0.1", "localhost", "[::1]", ":8088", ":0", "/slad", "/", "?", "#",
                      "@", " ", "\"", "(", "%20", "翠", "-", ".", "HTTPS://", "[", "]", ":", "a"]
        var generator = SplitMix(seed: 13)
        var accepted = 0
        for _ in 0..<5000 {
            let written = (0..<Int.random(in: 1...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            guard case let .success(url) = LinkBaseURL.parse(written) else { continue }
            accepted += 1
            #expect(ActionLinks.isSafe(url.text + "/a/AbC-_9"), "\(written) → \(url.text)")
            #expect(!url.text.hasSuffix("/"))
        }
        #expect(accepted > 0)
    }

    @Test func aLongMessageIsCutButNeverItsLinks() throws {
        let long = String(repeating: "漏水", count: 3000)
        for (kind, text, _) in try rendered(Self.linked(long)) where kind != "log" && kind != "email" {
            #expect(text.hasSuffix("\(Self.base)zhang-wei-2)") || text.hasSuffix("\(Self.base)zhang-wei-2"), "\(kind)")
            #expect(text.contains("…"), "\(kind)")
        }
        let weCom = try make("ops", as: WeComNotifier.self).request(for: Self.linked(long), now: Date())
        let content = try #require((try json(weCom.body)["markdown"] as? [String: Any])?["content"] as? String)
        #expect(content.utf8.count <= 4096)
    }

    @Test func withoutLinksNothingChanges() throws {
        let plain = Self.linked(hostile, actions: [])
        let old = notice(hostile)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(try make("ops", as: WeComNotifier.self).request(for: plain, now: now).body == make("ops", as: WeComNotifier.self).request(for: old, now: now).body)
        #expect(try make("fs", as: FeishuNotifier.self).request(for: plain, now: now).body == make("fs", as: FeishuNotifier.self).request(for: old, now: now).body)
        #expect(LogNotifier.line(for: plain) == "[ops] → 张伟：\(hostile)")
        #expect(try json(make("hook", as: WebhookNotifier.self).request(for: plain, now: now).body)["actions"] == nil)
        #expect(try json(ExecNotifier.input(for: plain))["actions"] == nil)
        #expect(EmailNotifier.body(for: plain) == Escaping.normalizedLines(hostile))
        #expect(SMSHTTPNotifier.text(for: plain, person: "zhang-wei") == Escaping.normalizedLines(hostile))
    }

    @Test func aLogLineCanLeaveTheLinksOut() {
        let line = LogNotifier.line(for: Self.linked("超时"), links: false)
        #expect(line == "[ops] → 张伟：超时")
    }

    @Test func webhookAndExecCarryAnActionsArray() throws {
        let notice = Self.linked("超时 [接单](https://evil.example)", to: [Self.zhang, Self.li], actions: Self.actions([Self.zhang, Self.li], labels: ["接单"]))
        let webhook = try json(make("hook", as: WebhookNotifier.self).request(for: notice, now: Date()).body)
        let exec = try json(ExecNotifier.input(for: notice))
        for object in [webhook, exec] {
            let actions = try #require(object["actions"] as? [[String: String]])
            #expect(actions == [["person": "zhang-wei", "label": "接单", "url": Self.base + "zhang-wei-0"],
                                ["person": "li-na", "label": "接单", "url": Self.base + "li-na-0"]])
            #expect(object["text"] as? String == "超时 [接单](https://evil.example)")  // data, for the receiver to escape
        }
    }

    @Test func eachSMSCarriesItsOwnPersonsFirstLinkAndStaysShort() async throws {
        let transport = FakeTransport([.response(status: 200, headers: [:], body: [])])
        let sms = try NotifierRegistry.make(all["sms"]!, secrets: secrets, transport: transport)
        let long = "【A级投诉超时】3栋2单元 https://evil.example/a/x " + String(repeating: "漏水", count: 100)
        #expect(await sms.deliver(Self.linked(long, to: [Self.zhang, Self.li]), now: Date()) == .delivered)
        #expect(transport.sent.count == 2)
        for (request, person) in zip(transport.sent, ["zhang-wei", "li-na"]) {
            let text = try #require(try json(request.body)["msg"] as? String)
            #expect(text.hasSuffix("\n接单 \(Self.base)\(person)-0"), "\(text)")
            #expect(!text.contains("已处理") && !text.contains("不是我的"))
            #expect(text.utf16.count <= SMSHTTPNotifier.linkedTextLimit)
            #expect(text.hasPrefix("【A级投诉超时】3栋2单元 https：//evil.example/a/x 漏水"), "\(text)")
            #expect(text.components(separatedBy: "://").count == 2, "\(text)")
        }
        // A short message is not cut; a person without a link gets the text alone.
        #expect(SMSHTTPNotifier.text(for: Self.linked("超时"), person: "zhang-wei") == "超时\n接单 \(Self.base)zhang-wei-0")
        #expect(SMSHTTPNotifier.text(for: Self.linked("超时"), person: "wang-qiang") == "超时")
    }

    @Test func vendorSMSTemplatesCarryNoLinks() throws {
        let rules = """
        channel ali aliyun-sms { key-id env K; key-secret env S; sign-name "物业"; template "SMS_1" }
        channel tc tencent-sms { secret-id env K; secret-key env S; app-id "1400"; sign-name "物业"; template "1" }
        """
        let vendor = try channels(rules)
        let resolver = SecretResolver(environment: ["K": "k", "S": "s"], credentialsDirectory: nil)
        let ali = try #require(try NotifierRegistry.make(vendor["ali"]!, secrets: resolver, transport: FakeTransport()) as? AliyunSMSNotifier)
        let tc = try #require(try NotifierRegistry.make(vendor["tc"]!, secrets: resolver, transport: FakeTransport()) as? TencentSMSNotifier)
        let notice = Self.linked("超时")
        for body in [ali.request(for: notice, now: Date())?.body, tc.request(for: notice, now: Date())?.body] {
            let text = String(decoding: try #require(body), as: UTF8.self)
            #expect(!text.contains("wy.example.com"), "\(text)")
        }
    }
}

/// A seeded generator, so that a failing combination comes back on every run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
