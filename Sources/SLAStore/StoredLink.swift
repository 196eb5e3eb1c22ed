import GRDB
import SLAActions
import SLAEngine

/// An `action_link` row: the fields a token's tag covers, and whether a press used it.
struct StoredLink {
    let id: String
    let claim: LinkClaim
    let usedAt: Int?
    let usedBy: String?
    let result: String?

    static func load(_ db: Database, id: String) throws -> StoredLink? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM action_link WHERE id = ?", arguments: [id]),
              let subject = LinkClaim.Subject(rawValue: row["subject"]), let action = LinkAction(rawValue: row["action"]) else { return nil }
        let claim = LinkClaim(subject: subject, subjectID: row["subject_id"], step: row["step"], action: action, person: row["person"],
                              expiresAt: row["expires_at"])
        return StoredLink(id: id, claim: claim, usedAt: row["used_at"], usedBy: row["used_by"], result: row["result"])
    }

    /// The link as a token's text leads to it: nil for text that is not a token, an unknown nonce, or a
    /// tag no key held signed (the caller says only "not valid", never which).
    static func find(_ db: Database, token text: String, signer: LinkSigner?, now: Int) throws -> (link: StoredLink, verdict: LinkSigner.Verdict)? {
        guard let signer, let token = LinkToken(text), let link = try load(db, id: token.id) else { return nil }
        let verdict = signer.verdict(token, claim: link.claim, now: now)
        return verdict == .invalid ? nil : (link, verdict)
    }

    /// Marks the link used by its press; false when another press got there first.
    static func markUsed(_ db: Database, id: String, person: String, result: String, now: Int) throws -> Bool {
        try db.execute(sql: "UPDATE action_link SET used_at = ?, used_by = ?, result = ? WHERE id = ? AND used_at IS NULL",
                       arguments: [now, person, result, id])
        return db.changesCount == 1
    }
}

/// Plain Chinese for a page: names, times in the rules' zone, how long is left.
struct LinkWords {
    let engine: Engine

    func name(_ person: String?) -> String {
        guard let person else { return "未知" }
        return engine.rules.people[person]?.displayName ?? person
    }

    func time(_ seconds: Int) -> String { engine.displayZone.formatShort(Instant(seconds: seconds)) }

    /// 剩余 2 小时 5 分钟 / 已超时 5 分钟.
    func timeLeft(until deadline: Int, now: Int) -> String {
        let left = deadline - now
        return left >= 0 ? "剩余 \(Self.duration(left))" : "已超时 \(Self.duration(-left))"
    }

    static func duration(_ seconds: Int) -> String {
        let minutes = seconds / 60
        if minutes < 1 { return "不到 1 分钟" }
        if minutes < 60 { return "\(minutes) 分钟" }
        if minutes < 24 * 60 { return minutes % 60 == 0 ? "\(minutes / 60) 小时" : "\(minutes / 60) 小时 \(minutes % 60) 分钟" }
        let hours = minutes / 60
        return hours % 24 == 0 ? "\(hours / 24) 天" : "\(hours / 24) 天 \(hours % 24) 小时"
    }
}
