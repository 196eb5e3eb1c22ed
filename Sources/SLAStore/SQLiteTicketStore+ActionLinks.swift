import GRDB
import SLAActions
import SLAEngine
import SLARules

/// What stands behind an action link: looking it up for its page (never changing anything) and acting
/// on it once, in one transaction — verify, check it is unused and in date, append the event, mark it used.
extension SQLiteTicketStore {
    /// The page a GET shows. Throws only when the database cannot be read.
    public func lookLink(token: String, now: Int, engine: Engine) async throws -> ActionLookup {
        let signer = linkMinter?.signer
        return try await pool.read { db in
            guard let found = try StoredLink.find(db, token: token, signer: signer, now: now),
                  let subject = try LinkSubject.load(db, link: found.link, engine: engine, now: now) else { return .invalid }
            let (link, verdict) = found
            let words = LinkWords(engine: engine)
            if let usedAt = link.usedAt { return .alreadyDone(subject.view, by: words.name(link.usedBy), at: words.time(usedAt)) }
            if verdict == .expired { return .expired(subject.view) }
            if case let .done(by, at) = subject.state { return .alreadyDone(subject.view, by: words.name(by), at: words.time(at)) }
            return .ready(subject.view)
        }
    }

    /// The button's press: does what the link says, once. A second press (of this link, or after someone
    /// did the same another way) answers who did it and when. Throws only when the database fails.
    public func actOnLink(token: String, now: Int, engine: Engine) async throws -> ActionResult {
        let signer = linkMinter?.signer
        return try await pool.write { db in
            guard let found = try StoredLink.find(db, token: token, signer: signer, now: now),
                  let subject = try LinkSubject.load(db, link: found.link, engine: engine, now: now) else { return .invalid }
            let (link, verdict) = found
            let words = LinkWords(engine: engine)
            if let usedAt = link.usedAt { return .alreadyDone(subject.view, by: words.name(link.usedBy), at: words.time(usedAt)) }
            if verdict == .expired { return .expired(subject.view) }
            switch subject.state {
            case let .done(by, at): return .alreadyDone(subject.view, by: words.name(by), at: words.time(at))
            case let .notApplicable(reason): return .notApplicable(subject.view, reason: reason)
            case .ready: break
            }
            let claim = link.claim
            let at = Instant(seconds: now)
            let note: String
            do {
                switch claim.action {
                case .acknowledge, .resolve:
                    let kind: EventKind = claim.action == .acknowledge ? .acknowledged : .resolved
                    _ = try Self.append(db, TicketEventRecord(kind: kind, at: at, actor: claim.person, via: "link"), to: claim.subjectID,
                                        engine: engine, now: at)
                    note = claim.action == .acknowledge ? "已接单" : "已处理"
                case .notMine:
                    guard let supervisor = subject.supervisor else { return .notApplicable(subject.view, reason: "找不到可以改派的主管") }
                    let event = TicketEventRecord(kind: .assigned, at: at, actor: claim.person, note: "不是我的（经链接）",
                                                  changes: ["assignee": supervisor], via: "link")
                    _ = try Self.append(db, event, to: claim.subjectID, engine: engine, now: at)
                    note = "已改派给 \(words.name(supervisor))"
                case .confirm:
                    let event = IncidentEvent(kind: .confirmed, at: at, actor: claim.person, step: claim.step, via: "link")
                    _ = try Self.append(db, event, toIncident: claim.subjectID, engine: engine, now: at)
                    note = "已确认：\(subject.view.stepTitle ?? claim.step)"
                }
            } catch let StoreError.refused(reason) {
                return .notApplicable(subject.view, reason: reason)
            }
            _ = try StoredLink.markUsed(db, id: link.id, person: claim.person, result: note, now: now)
            return .done(subject.view, note: note)
        }
    }
}
