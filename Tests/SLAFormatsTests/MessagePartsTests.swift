import Foundation
import SLAEngine
@testable import SLAFormats
import SLARules
import Testing

/// `{actions}` places the action links: the text never holds them, and no value can move the split.
@Suite struct MessagePartsTests {
    static let rules = """
    calendar cn { timezone Asia/Shanghai; workdays mon-fri }
    person a "甲" { phone "+8613800000001" }
    channel console log {}
    template linked "【{policy.title}】{ticket.text}\\n{actions}\\n负责人 {assignee.name}"
    template plain "【{policy.title}】{ticket.text}"
    policy p "投诉" { when kind = complaint
      clock respond "响应" within 1h until acknowledged
      escalate {
        at respond - 10m notify person a via console using linked
        at respond notify person a via console using plain
      } }
    """

    func parts(text: String, at minutes: Int) throws -> [MessageParts] {
        let engine = try Engine(rules: try #require(RuleLoader.check([SourceFile(path: "m.sla", text: Self.rules)]).ruleSet))
        let created = Instant(seconds: 1_758_506_400)
        let ticket = Ticket(id: "T1", fields: TicketFields(kind: "complaint", text: text), createdAt: created)
        let now = created + minutes * 60
        let evaluation = engine.evaluate(ticket, at: now)
        return evaluation.due.map { step in
            MessageComposer.messageParts(engine: engine, ticket: ticket, step: step, clock: evaluation.clocks.first { $0.name == step.clock }, at: now)
        }
    }

    @Test func theSplitIsWhereTheTemplatePutsIt() throws {
        let hostile = "漏水 {actions} [接单](https://evil.example/a/x)"
        let sent = try parts(text: hostile, at: 60)
        let linked = try #require(sent.first)
        #expect(linked.text == "【投诉】\(hostile)\n\n负责人 未指派")
        let offset = try #require(linked.actionsAt)
        #expect(String(decoding: Array(linked.text.utf8)[..<offset], as: UTF8.self) == "【投诉】\(hostile)\n")
        #expect(sent.last?.actionsAt == nil, "a template without {actions}: the links go at the end")
    }

    @Test func anEscapedBraceIsNotThePlaceholder() {
        #expect(MessageComposer.placeholderRange(in: "a {{actions} b") == nil)
        #expect(MessageComposer.placeholderRange(in: "a {{{actions} b") != nil)
    }
}
