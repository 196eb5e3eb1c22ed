import Foundation
import SLAEngine
import SLAFormats
import SLARules
import Testing

/// A template's `title` is the title channels show (DingTalk's markdown title, an e-mail's subject), not
/// the body's first line (issue 12, item 9).
@Suite struct TemplateTitleTests {
    static let rules = """
    calendar cn { timezone Asia/Shanghai; workdays mon-fri }
    person a "甲" { phone "+8613800000001" }
    channel console log {}
    template titled { title "【{policy.title}】{clock.title}超时"; body "{ticket.building} 工单 {ticket.id}" }
    policy p "投诉" { when kind = complaint
      clock respond "响应" within 1h until acknowledged
      escalate {
        at respond notify person a via console using titled
        at respond + 1h notify person a via console
      } }
    """

    @Test func theTitleComesFromTheTemplate() throws {
        let engine = try Engine(rules: try #require(RuleLoader.check([SourceFile(path: "t.sla", text: Self.rules)]).ruleSet))
        let created = Instant(seconds: 1_758_506_400)
        var fields = TicketFields(kind: "complaint")
        _ = fields.set(.building, to: "3栋")
        let ticket = Ticket(id: "T1", fields: fields, createdAt: created)
        let now = created + 2 * 3600 + 60
        let evaluation = engine.evaluate(ticket, at: now)
        let titles = evaluation.due.map { step in
            MessageComposer.title(engine: engine, ticket: ticket, step: step, clock: evaluation.clocks.first { $0.name == step.clock }, at: now)
        }
        #expect(titles == ["【投诉】响应超时", nil])
        let bodies = evaluation.due.map { step in
            MessageComposer.message(engine: engine, ticket: ticket, step: step, clock: evaluation.clocks.first { $0.name == step.clock }, at: now)
        }
        #expect(bodies.first == "3栋 工单 T1")
    }
}
