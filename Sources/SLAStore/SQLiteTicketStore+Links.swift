import GRDB
import SLAActions
import SLAEngine
import SLARules

/// What a notice's action links are about, decided by the scan: the subject, the step, and for each
/// person reached the actions that make sense for them now.
struct NoticeLinks {
    let minter: LinkMinter
    let subject: LinkClaim.Subject
    let subjectID: String
    /// The escalation step (a ticket) or the plan step (an incident).
    let step: String
    let actions: (_ person: String) -> [(action: LinkAction, label: String)]

    /// A ticket step: 接单 unless acknowledged or later, 已处理 unless resolved, 不是我的 for its assignee
    /// (when there is a supervisor to send it back to).
    static func ticket(_ ticket: Ticket, step: String, policy: String?, engine: Engine, minter: LinkMinter, now: Instant) -> NoticeLinks {
        let acknowledged = TicketProgress.reached(.acknowledged, in: ticket, at: now) != nil
        let resolved = TicketProgress.reached(.resolved, in: ticket, at: now) != nil
        let assignee = TicketProgress.assignee(of: ticket, engine: engine, at: now)
        return NoticeLinks(minter: minter, subject: .ticket, subjectID: ticket.id, step: step) { person in
            var actions: [(action: LinkAction, label: String)] = []
            if !acknowledged { actions.append((.acknowledge, LinkAction.acknowledge.label)) }
            if !resolved { actions.append((.resolve, LinkAction.resolve.label)) }
            if person == assignee, TicketProgress.supervisor(of: person, ticket: ticket, policy: policy, engine: engine) != nil {
                actions.append((.notMine, LinkAction.notMine.label))
            }
            return actions
        }
    }

    /// An incident or drill step not yet confirmed: 确认完成, with the step's title.
    static func incidentStep(_ incident: Incident, step: PlanStepStatus, minter: LinkMinter) -> NoticeLinks {
        let label = step.title.map { "\(LinkAction.confirm.label)：\($0)" } ?? LinkAction.confirm.label
        return NoticeLinks(minter: minter, subject: .incident, subjectID: incident.id, step: step.name) { _ in
            step.state == .confirmed ? [] : [(.confirm, label)]
        }
    }
}

extension SQLiteTicketStore {
    /// The link settings the scan mints with, or nil for notices without links. Swapped on reload.
    public var linkMinter: LinkMinter? { links.current }

    /// Sets (or, with nil, removes) the link settings: the daemon calls it at start and on each reload.
    public func setLinks(_ minter: LinkMinter?) { links.current = minter }

    /// Mints each recipient's links for one outbox row, in the scan's transaction, and records them in
    /// `action_link` (the fields a token's tag covers) and in the row's `actions`.
    static func mintLinks(_ db: Database, _ links: NoticeLinks, recipients: [OutboxJob.Recipient], firing: Int64, outbox: Int64,
                          actionsAt: Int?, now: Instant) throws {
        var minted: [OutboxAction] = []
        var seen = Set<String>()
        for recipient in recipients where seen.insert(recipient.person).inserted {
            for (action, label) in links.actions(recipient.person) {
                let claim = LinkClaim(subject: links.subject, subjectID: links.subjectID, step: links.step, action: action,
                                      person: recipient.person, expiresAt: now.seconds + links.minter.expireSeconds)
                var token: LinkToken
                repeat {
                    // 72 random bits: a repeated nonce is all but impossible, and would only mean minting again.
                    token = links.minter.signer.mint(claim)
                    try db.cachedStatement(sql: """
                        INSERT INTO action_link (id, subject, subject_id, step, action, person, expires_at, created_at, firing_id, outbox_id)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                        """).execute(arguments: [token.id, claim.subject.rawValue, claim.subjectID, claim.step, action.rawValue, claim.person,
                                                 claim.expiresAt, now.seconds, firing, outbox])
                } while db.changesCount == 0
                minted.append(OutboxAction(person: recipient.person, name: recipient.name, action: action, label: label,
                                           url: links.minter.url(token)))
            }
        }
        guard !minted.isEmpty else { return }
        try db.cachedStatement(sql: "UPDATE outbox SET actions = ?, actions_at = ? WHERE id = ?")
            .execute(arguments: [StoreJSON.actions(minted), actionsAt, outbox])
    }
}

extension StoreJSON {
    static func actions(_ list: [OutboxAction]) -> String {
        "[" + list.map {
            object([("person", $0.person), ("name", $0.name), ("action", $0.action.rawValue), ("label", $0.label), ("url", $0.url)])
        }.joined(separator: ",") + "]"
    }

    static func readActions(_ text: String?) throws -> [OutboxAction] {
        guard let text else { return [] }
        return (try parse(text) as? [[String: String]] ?? []).compactMap { object in
            guard let person = object["person"], let action = object["action"].flatMap(LinkAction.init(rawValue:)),
                  let url = object["url"] else { return nil }
            return OutboxAction(person: person, name: object["name"], action: action, label: object["label"] ?? action.label, url: url)
        }
    }
}
