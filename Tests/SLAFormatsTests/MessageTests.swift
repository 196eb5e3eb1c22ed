import Foundation
import SLAEngine
import SLAFormats
import SLARules
import Testing

/// The text of escalations: a warning sent after its deadline says so, and the default message says
/// "remaining" before the deadline and "overdue" after it.
@Suite struct MessageTests {
    static let rules = """
    calendar cn { timezone Asia/Shanghai; workdays mon-fri }
    person a "甲" { phone "+8613800000001" }
    channel console log {}
    template soon "【{policy.title}即将超时】{clock.title}剩余 {remaining}"
    policy p "投诉" { when kind = complaint
      clock respond "响应" within 1h until acknowledged
      escalate {
        at respond - 10m notify person a via console using soon
        at respond notify person a via console
      } }
    """

    func messages(at minutes: Int) throws -> [String] {
        let engine = try Engine(rules: try #require(RuleLoader.check([SourceFile(path: "m.sla", text: Self.rules)]).ruleSet))
        let created = Instant(seconds: 1_758_506_400)   // 2025-09-22 10:00 in Shanghai
        let ticket = Ticket(id: "T1", fields: TicketFields(kind: "complaint"), createdAt: created)
        let now = created + minutes * 60
        let evaluation = engine.evaluate(ticket, at: now)
        return evaluation.due.map { step in
            MessageComposer.message(engine: engine, ticket: ticket, step: step,
                                    clock: evaluation.clocks.first { $0.name == step.clock }, at: now)
        }
    }

    @Test func aWarningInTimeSaysHowLongIsLeft() throws {
        #expect(try messages(at: 50) == ["【投诉即将超时】响应剩余 10 分钟"])
    }

    @Test func aWarningSentAfterTheDeadlineSaysItIsOverdue() throws {
        let sent = try messages(at: 69)
        #expect(sent.first == "【投诉即将超时】响应剩余 0 分钟（已超时 9 分钟）")
        #expect(sent.last == "【投诉·响应】工单 T1 已超时 9 分钟，尚未派单")
    }
}
