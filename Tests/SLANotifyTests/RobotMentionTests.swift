import Foundation
import SLARules
import Testing
@testable import SLANotify

/// Robots as their vendors define them (issue 12, item 9).
@Suite struct RobotMentionTests {
    let all: [String: Channel]
    init() throws {
        all = try channels("""
        channel wecom-mixed wecom { key env WECOM_KEY; mention "zhangsan", "+8613800000001", "13900000002", "@all" }
        channel wecom-phones wecom { key env WECOM_KEY; mention "13800000001" }
        channel ding dingtalk { token env DT_TOKEN; mention "13800000001", "all" }
        """)
    }

    func request(_ name: String, _ notice: Notice) throws -> [String: Any] {
        let notifier = try kindNotifier(all[name]!)
        let request: OutgoingRequest
        switch notifier {
        case let weCom as WeComNotifier: request = weCom.request(for: notice, now: Date())
        case let ding as DingTalkNotifier: request = ding.request(for: notice, now: Date())
        default: throw CancellationError()
        }
        return try json(request.body)
    }

    @Test func weComPutsPhonesInTheMobileListAndUserIdsInTheUserList() throws {
        let text = try #require(try request("wecom-mixed", notice("超时"))["text"] as? [String: Any])
        #expect(text["mentioned_list"] as? [String] == ["zhangsan", "@all"])
        #expect(text["mentioned_mobile_list"] as? [String] == ["13800000001", "13900000002"])
    }

    @Test func weComWithOnlyPhonesSendsNoUserList() throws {
        let text = try #require(try request("wecom-phones", notice("超时"))["text"] as? [String: Any])
        #expect(text["mentioned_list"] == nil)
        #expect(text["mentioned_mobile_list"] as? [String] == ["13800000001"])
    }

    @Test func dingTalkTitleIsTheTemplatesTitleNotTheBodysFirstLine() throws {
        let titled = Notice(idempotencyKey: "k", ticketID: "T-1", channel: "ding", recipients: [], text: "3栋 漏水\n第二行",
                            createdAt: 0, title: "【A级投诉】首次响应超时")
        var markdown = try #require(try request("ding", titled)["markdown"] as? [String: Any])
        #expect(markdown["title"] as? String == "【A级投诉】首次响应超时")
        // Without a template title, the first line of the message stands in.
        markdown = try #require(try request("ding", notice("3栋 漏水\n第二行"))["markdown"] as? [String: Any])
        #expect(markdown["title"] as? String == "3栋 漏水")
        let at = try #require(try request("ding", titled)["at"] as? [String: Any])
        #expect(at["atMobiles"] as? [String] == ["13800000001"])
        #expect(at["isAtAll"] as? Bool == true)
    }

    @Test(arguments: [("13800000001", true), ("+8613800000001", true), ("zhangsan", false), ("@all", false), ("138-0000-0001", false)])
    func phonesAreTellable(_ text: String, _ isMobile: Bool) {
        if case .mobile = RobotMention(text) { #expect(isMobile) } else { #expect(!isMobile) }
    }
}
