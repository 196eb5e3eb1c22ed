import GRDB
import SLAActions
import SLAEngine
import SLARules
import SLAScan

extension SQLiteTicketStore {
    /// The link settings the scan mints with, or nil for notices without links. Swapped on reload.
    public var linkMinter: LinkMinter? { links.current }

    /// Sets (or, with nil, removes) the link settings: the daemon calls it at start and on each reload.
    public func setLinks(_ minter: LinkMinter?) { links.current = minter }

    /// Mints each recipient's links for one outbox row, in the scan's transaction, and records them in
    /// `action_link` (the fields a token's tag covers) and in the row's `actions`.
    static func mintLinks(_ db: Database, _ links: PlannedLinks, minter: LinkMinter, recipients: [OutboxJob.Recipient], firing: Int64,
                          outbox: Int64, actionsAt: Int?, now: Instant) throws {
        var minted: [OutboxAction] = []
        var seen = Set<String>()
        for recipient in recipients where seen.insert(recipient.person).inserted {
            for planned in links.actions(for: recipient.person) {
                let (action, label) = (planned.action, planned.label)
                let claim = LinkClaim(subject: links.subject, subjectID: links.subjectID, step: links.step, action: action,
                                      person: recipient.person, expiresAt: now.seconds + minter.expireSeconds)
                var token: LinkToken
                repeat {
                    // 72 random bits: a repeated nonce is all but impossible, and would only mean minting again.
                    token = minter.signer.mint(claim)
                    try db.cachedStatement(sql: """
                        INSERT INTO action_link (id, subject, subject_id, step, action, person, expires_at, created_at, firing_id, outbox_id)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                        """).execute(arguments: [token.id, claim.subject.rawValue, claim.subjectID, claim.step, action.rawValue, claim.person,
                                                 claim.expiresAt, now.seconds, firing, outbox])
                } while db.changesCount == 0
                minted.append(OutboxAction(person: recipient.person, name: recipient.name, action: action, label: label,
                                           url: minter.url(token)))
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
