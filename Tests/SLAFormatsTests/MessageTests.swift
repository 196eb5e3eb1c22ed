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

    /// A span of a day or more reads in days and hours (it read "1308 小时 31 分钟").
    @Test(arguments: [(35 * 60, "35 分钟"), (2 * 3600, "2 小时"), (2 * 3600 + 300, "2 小时 5 分钟"),
                      (23 * 3600 + 59 * 60, "23 小时 59 分钟"), (24 * 3600, "1 天"),
                      (1308 * 3600 + 31 * 60, "54 天 12 小时"), (48 * 3600 + 30, "2 天")])
    func spansReadAsAPersonSaysThem(seconds: Int, text: String) {
        #expect(MessageComposer.minutes(seconds) == text)
    }

    /// A template's `{assignee.name}` says 未指派 for an unassigned ticket rather than nothing.
    @Test func anUnassignedTicketIsNamedAsSuch() throws {
        let rules = Self.rules.replacingOccurrences(of: "剩余 {remaining}", with: "剩余 {remaining}，负责人 {assignee.name}")
        let engine = try Engine(rules: try #require(RuleLoader.check([SourceFile(path: "m.sla", text: rules)]).ruleSet))
        let created = Instant(seconds: 1_758_506_400)
        for (assignee, name) in [(nil, "未指派"), ("a", "甲")] as [(String?, String)] {
            let ticket = Ticket(id: "T1", fields: TicketFields(kind: "complaint", assignee: assignee), createdAt: created)
            let now = created + 50 * 60
            let step = try #require(engine.evaluate(ticket, at: now).due.first)
            let text = MessageComposer.message(engine: engine, ticket: ticket, step: step,
                                               clock: engine.evaluate(ticket, at: now).clocks.first, at: now)
            #expect(text == "【投诉即将超时】响应剩余 10 分钟，负责人 \(name)")
        }
    }
}
