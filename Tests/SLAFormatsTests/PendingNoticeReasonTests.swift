import Foundation
import SLAEngine
import SLAFormats
import Testing

/// A drill report says why notices are still pending (issue 12, item 6: 13 of 13 pending, no reason).
@Suite struct PendingNoticeReasonTests {
    @Test func pendingNoticesCarryTheirReasonInEveryFormat() throws {
        var report = ReportFixtures.drillReport
        let reason = "channel sms is not configured: 'token' comes from the environment variable SLAD_SMS_TOKEN, which is not set"
        for index in report.notifications.indices where report.notifications[index].channel == "sms" {
            report.notifications[index].state = "pending"
            report.notifications[index].deliveredAt = nil
            report.notifications[index].reason = reason
        }
        let pending = report.notifications.filter { $0.state == "pending" }.count
        #expect(pending > 0)
        let markdown = report.markdown()
        #expect(markdown.contains("待发送 pending: \(reason)"))
        #expect(markdown.contains("未送达原因 Why not sent (\(pending)): \(reason)"))
        #expect(report.html().contains("SLAD_SMS_TOKEN"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        let notices = try #require(json["notifications"] as? [[String: Any]])
        #expect(notices.filter { $0["reason"] as? String == reason }.count == pending)
    }
}
