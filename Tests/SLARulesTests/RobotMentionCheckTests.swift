import Testing
@testable import SLARules

/// `slad check` reads a robot's `mention` the way the vendor does (issue 12, item 9).
@Suite struct RobotMentionCheckTests {
    func warnings(_ channel: String) -> [Diagnostic] {
        check(channel).diagnostics.filter { $0.code == .mentionNotDelivered }
    }

    @Test func weComTakesPhonesUserIdsAndAtAllWithoutAWarning() {
        #expect(warnings(#"channel ops wecom { key env K; mention "zhangsan", "+8613800000001", "13800000002", "@all" }"#).isEmpty)
    }

    @Test func aPhoneWithDashesIsNotSilentlyAUserId() throws {
        let found = warnings(#"channel ops wecom { key env K; mention "138-0000-0001" }"#)
        let warning = try #require(found.first)
        #expect(found.count == 1)
        #expect(warning.message.contains("phone number with separators"))
        #expect(warning.hint == #"write the digits only: "13800000001""#)
    }

    @Test func dingTalkWarnsAboutAUserIdItWouldIgnore() throws {
        let found = warnings(#"channel ops dingtalk { token env T; mention "zhangsan", "13800000001", "@all" }"#)
        #expect(found.count == 2)
        #expect(found.first?.message.contains("DingTalk robots @ only mobile numbers; mention 'zhangsan' would be ignored") == true)
        #expect(found.last?.hint == #"write "all""#)
    }
}
