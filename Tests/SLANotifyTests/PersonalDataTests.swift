import Foundation
import SLANotify
import SLARules
import Testing

/// Residents' phone and ID numbers never reach a group chat in full (issue 15): the masker against what
/// residents really type and what a hostile one might, and the robots' requests as sent.
@Suite struct PersonalDataTests {
    @Test(arguments: [
        // Mobiles, as written.
        ("住户电话13812345678，请回电", "住户电话138****5678，请回电"),
        ("138 1234 5678", "138 **** 5678"),
        ("138-1234-5678", "138-****-5678"),
        ("+86 138 1234 5678", "+86 138 **** 5678"),
        ("(+86)13812345678", "(+86)138****5678"),
        ("0086-13812345678", "0086-138****5678"),
        ("8613812345678", "86138****5678"),
        ("手机：１３８１２３４５６７８", "手机：１３８****５６７８"),
        ("1\u{200B}3\u{200B}8\u{200B}1234\u{200B}5678", "1\u{200B}3\u{200B}8\u{200B}****\u{200B}5678"),
        ("13812345678,13987654321", "138****5678,139****4321"),
        // ID numbers.
        ("身份证110101199003071234", "身份证110101********1234"),
        ("身份证 11010119900307123X 已登记", "身份证 110101********123X 已登记"),
        ("110101 19900307 123x", "110101 ******** 123x"),
        // Landlines with their area codes.
        ("座机 010-12345678", "座机 010-****5678"),
        ("0755 8765 4321", "0755 **** 4321"),
        // Left alone: dates, times, order numbers, short numbers, a phone number inside a longer number.
        ("2025-09-22 10:00 报修", "2025-09-22 10:00 报修"),
        ("订单号 202509221381234567890", "订单号 202509221381234567890"),
        ("3栋2单元1201室，工单 DEMO-12", "3栋2单元1201室，工单 DEMO-12"),
        ("12345678", "12345678"),
        ("23812345678", "23812345678"),
        ("", ""),
    ] as [(String, String)])
    func masks(text: String, expected: String) {
        #expect(PersonalData.mask(text) == expected)
    }

    @Test func aHostileRunNeitherHangsNorLeaks() {
        // Ten thousand digit groups: linear, and the phone number at its end is still masked.
        let text = String(repeating: "1 ", count: 10_000) + "x 13812345678"
        let masked = PersonalData.mask(text)
        #expect(masked.hasSuffix("x 138****5678"))
        #expect(!masked.contains("13812345678"))
    }

    @Test func robotsMaskByDefaultAndAChannelMayOptOutOrIn() async throws {
        let all = try channels("""
        channel group wecom { key env WECOM_KEY }
        channel group-open wecom { key env WECOM_KEY; mask off }
        channel hook webhook { url "http://127.0.0.1:9/hook" }
        channel hook-masked webhook { url "http://127.0.0.1:9/hook"; mask on }
        """)
        #expect(all["group"]?.masksPersonalData == true && all["group-open"]?.masksPersonalData == false)
        #expect(all["hook"]?.masksPersonalData == false && all["hook-masked"]?.masksPersonalData == true)
        let text = "【报修】住户王先生 13812345678 反映：身份证110101199003071234丢在电梯里"
        for (name, masked) in [("group", true), ("group-open", false), ("hook", false), ("hook-masked", true)] {
            let transport = FakeTransport()
            let channel = try #require(all[name])
            let notifier = try NotifierRegistry.make(channel, secrets: secrets, transport: transport)
            _ = await notifier.deliver(notice(text), now: Date(timeIntervalSince1970: 1_700_000_000))
            let sent = try #require(transport.sent.first)
            let body = String(decoding: sent.body, as: UTF8.self)
            #expect(body.contains("13812345678") == !masked, "\(name): \(body)")
            // Robot Markdown shows an asterisk full-width (＊), so that it is not read as emphasis.
            #expect((body.contains("138****5678") || body.contains("138＊＊＊＊5678")) == masked, "\(name): \(body)")
            #expect(body.contains("110101199003071234") == !masked, "\(name): \(body)")
        }
    }

    @Test func theLinksStayWhereTheTemplatePutThem() async throws {
        let all = try channels("channel group wecom { key env WECOM_KEY }")
        let transport = FakeTransport()
        let channel = try #require(all["group"])
        let notifier = try NotifierRegistry.make(channel, secrets: secrets, transport: transport)
        let before = "住户１３８１２３４５６７８报修\n"
        let text = before + "请处理"
        let action = NoticeAction(person: "zhang-wei", name: "张伟", label: "接单", url: "https://x.example/a/TOKEN")
        let withLink = Notice(idempotencyKey: "k", ticketID: "T-1", channel: "group", recipients: [], text: text, createdAt: 0,
                              actions: [action], actionsAt: before.utf8.count)
        _ = await notifier.deliver(withLink, now: Date(timeIntervalSince1970: 0))
        let sent = try #require(transport.sent.first)
        let object = try json(sent.body)
        let content = try #require((object["markdown"] as? [String: Any])?["content"] as? String)
        #expect(content == "住户１３８＊＊＊＊５６７８报修\n[接单](https://x.example/a/TOKEN)\n\n请处理", "\(content)")
    }

    @Test func aMaskSettingOtherThanOnOrOffIsAnError() {
        let result = RuleLoader.check([SourceFile(path: "t.sla", text: "channel group wecom { key env WECOM_KEY; mask yes }")])
        let messages = result.diagnostics.map { DiagnosticRenderer.text($0, in: result) }
        #expect(messages.contains { $0.contains("t.sla:1:47") && $0.contains("'mask' is 'on' or 'off'") }, "\(messages)")
    }
}
